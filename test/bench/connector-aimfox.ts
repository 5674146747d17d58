/**
 * Aimfox connector throughput at the documented limit (60 requests / minute, all endpoints), time-scaled.
 *
 *   npx tsx test/bench/connector-aimfox.ts [--scale 10] [--windows 5] [--concurrency 8]
 *
 * Starts the Aimfox sandbox with real limits divided by --scale (x10: 60 per 6 s), tells the client the same
 * window, and runs a realistic mix of reads from several concurrent workers for --windows windows' worth of
 * requests. Prints requests/second achieved vs the ceiling, and the 429s seen by the server and the client.
 *
 * "Sustained" rate = requests after the first window's burst / time between the end of the first window's
 * requests and the end of the last: the steady-state rate the pacer allows (the ceiling is 60 / window).
 */
import { parseArgs } from 'node:util';
import { AimfoxClient } from '../../main/connectors/aimfox/index.js';
import { startAimfoxSandbox } from '../../main/sandbox/aimfox/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    windows: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
  },
});
const scale = Number(values.scale);
const windows = Number(values.windows);
const concurrency = Number(values.concurrency);
const MAX = 60;
const windowMs = 60_000 / scale;
const total = MAX * (windows + 1);

const sb = await startAimfoxSandbox({
  world: generateWorld({ seed: 3, contacts: 500 }),
  port: 0,
  rateLimits: scale,
  admin: true,
});
const settled: number[] = [];
const client = new AimfoxClient({
  baseUrl: sb.baseUrl,
  apiKey: sb.credentials.apiKey,
  limits: { windowMs },
  onAttempt: () => settled.push(performance.now()),
});

const campaigns = (await client.listCampaigns()).items;
const leads = sb.admin.listLeads();
sb.resetStats();
settled.length = 0;

const mix: Array<(i: number) => Promise<unknown>> = [
  (i) => client.getAudience((campaigns[i % campaigns.length] ?? campaigns[0]!).id),
  () => client.listLabels(),
  (i) => client.getLead(leads[i % leads.length]!.id),
  (i) => client.listNotes(leads[i % leads.length]!.id),
  (i) =>
    client
      .searchLeads({}, { pageSize: 20 })
      .next()
      .then(() => i),
];

let next = 0;
let failures = 0;
const started = performance.now();
const worker = async (): Promise<void> => {
  while (next < total) {
    const i = next++;
    try {
      await (mix[i % mix.length] as (i: number) => Promise<unknown>)(i);
    } catch (e) {
      failures++;
      console.error(`request ${i} failed: ${(e as Error).message}`);
    }
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = performance.now() - started;

const sorted = [...settled].sort((a, b) => a - b);
const firstWindowEnd = sorted[MAX - 1] as number;
const last = sorted[sorted.length - 1] as number;
const sustained = (sorted.length - MAX) / ((last - firstWindowEnd) / 1000);
const ceiling = MAX / (windowMs / 1000);
const stats = sb.stats();
const budget = client.budget();

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
console.log(
  `Aimfox connector benchmark — limit 60 requests / ${windowMs} ms (real limit time-scaled x${scale}), ${concurrency} concurrent workers`,
);
console.log(`  requests sent          ${stats.requests} (${total} calls, ${failures} failed)`);
console.log(`  elapsed                ${(elapsed / 1000).toFixed(2)} s`);
console.log(`  ceiling                ${ceiling.toFixed(2)} req/s`);
console.log(`  sustained rate         ${sustained.toFixed(2)} req/s = ${pct(sustained / ceiling)} of the ceiling`);
console.log(`  429s (server / client) ${stats.rateLimited} / ${budget.rateLimited}`);
console.log(`  by endpoint            ${JSON.stringify(stats.byEndpoint)}`);
await sb.close();
if (stats.rateLimited > 0 || failures > 0 || sustained < ceiling * 0.9) process.exitCode = 1;
