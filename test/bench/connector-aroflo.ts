/**
 * AroFlo connector throughput at the documented limits (3/s, 120/min — FACTS §9), time-scaled.
 *
 *   npx tsx test/bench/connector-aroflo.ts [--scale=10] [--windows=4] [--concurrency=8]
 *
 * Starts the AroFlo sandbox with its real limits divided by --scale (x10: 3 per 100 ms, 120 per 6 s), gives the
 * client the same windows, and runs a realistic read mix (task and client listings, single-id reads, client notes,
 * and the free `lastupdate` feed) from several concurrent workers: 120 × (--windows + 1) requests.
 *
 * Ceiling: the fastest any client could finish the same number of requests without breaking either window
 * (computed exactly: request i may not start before request i−3 + 1 s or request i−120 + 60 s, scaled). In the
 * long run that is 120 per minute (2/s real); the first minute allows a 3/s burst.
 * Target: within 10 % of the ceiling, zero 429s / status 6.
 *
 * Every request counts toward the per-second/minute windows, lastupdate included; only the daily 2,000 skips it.
 */
import { performance } from 'node:perf_hooks';
import { ArofloClient } from '../../main/connectors/aroflo/index.js';
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { Where } from '../../main/connectors/aroflo/where.js';

function arg(name: string, dflt: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const n = hit ? Number(hit.split('=')[1]) : dflt;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const scale = arg('scale', 10);
const windows = arg('windows', 4);
const concurrency = arg('concurrency', 8);
const total = 120 * (windows + 1);
const secMs = 1000 / scale;
const minMs = 60_000 / scale;

/** Earliest finish for n requests under both sliding windows (ideal client, zero latency). */
function idealSpanMs(n: number): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) t.push(Math.max(0, i >= 3 ? t[i - 3]! + secMs : 0, i >= 120 ? t[i - 120]! + minMs : 0));
  return t[n - 1]!;
}

const sb = await startArofloSandbox({
  world: generateWorld({ seed: 9, contacts: 400 }),
  port: 0,
  rateLimits: scale,
  admin: true,
});
const { uEncoded, pEncoded, orgEncoded, secretKey } = sb.credentials;
const latencies: number[] = [];
const client = new ArofloClient({
  baseUrl: sb.baseUrl,
  credentials: { uEncoded, pEncoded, orgEncoded, secretKey },
  limits: { secondWindowMs: secMs, minuteWindowMs: minMs, secondMarginMs: 5, minuteMarginMs: 20 },
  onAttempt: (i) => latencies.push(i.ms),
});

const tasks = sb.admin.listTasks();
const clients = sb.admin.listClients();
await client.testConnection(); // warm the connection
// Let the windows empty before measuring.
await new Promise((r) => setTimeout(r, minMs + 200));
sb.resetStats();
latencies.length = 0;
const before = client.budget();

const mix: Array<(i: number) => Promise<unknown>> = [
  () => client.listTasks({ linkProcessed: false }),
  (i) => client.getTask(tasks[i % tasks.length]!.taskid, { notes: true }),
  (i) => client.changedSince(i % 2 ? 'tasks' : 'clients', '2026-10-20T00:00:00Z'),
  (i) => client.getClient(clients[i % clients.length]!.clientid),
  () => client.listClientNotes({ createdSince: '2026-10-01T00:00:00Z' }),
  (i) => client.listClients({ where: Where.and('clientname', '=', clients[i % clients.length]!.clientname) }),
];

let next = 0;
const sendTimes: number[] = [];
const started = performance.now();
async function worker(): Promise<void> {
  for (;;) {
    const i = next++;
    if (i >= total) return;
    sendTimes.push(performance.now());
    await mix[i % mix.length]!(i);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = performance.now() - started;

const s = sb.admin.stats();
const after = client.budget();
const ideal = idealSpanMs(total);
const achieved = total / (elapsed / 1000);
const ceiling = total / (ideal / 1000);
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
const counted = after.daily.used - before.daily.used;

console.log(
  `AroFlo connector benchmark — sandbox limits x${scale} (3 per ${secMs} ms, 120 per ${minMs} ms), ${concurrency} workers`,
);
console.log(`requests:                 ${total} sent by the client, ${s.requests} seen by the sandbox`);
console.log(`elapsed:                  ${(elapsed / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(2)} s)`);
console.log(
  `achieved:                 ${achieved.toFixed(2)} req/s  (= ${(achieved / scale).toFixed(3)} req/s at real time)`,
);
console.log(
  `ceiling for this run:     ${ceiling.toFixed(2)} req/s  → ${((100 * achieved) / ceiling).toFixed(1)} % of the ceiling`,
);
console.log(`long-run ceiling:         ${(120 / (minMs / 1000)).toFixed(2)} req/s (120/min; 2 req/s real)`);
console.log(`429 / status 6 (server):  ${s.rateLimited}`);
console.log(`rate-limited (client):    ${after.requests.rateLimited}, retries ${after.requests.retries}`);
console.log(
  `daily budget used:        ${counted} counted (sandbox: ${s.counted}), ${s.free} free lastupdate, ${after.secondary.used - before.secondary.used} single-id (sandbox: ${s.secondary})`,
);
console.log(
  `daily remaining:          ${after.daily.remaining} of ${after.daily.limit} (server says ${after.daily.serverRemaining})`,
);
console.log(`attempt ms:               p50 ${pct(0.5)}  p95 ${pct(0.95)}  max ${pct(0.999)}`);
await sb.close();
