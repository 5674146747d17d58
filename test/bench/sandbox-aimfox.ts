/**
 * Aimfox sandbox figures: start time for a big world, whole-audience GET size/time, lead search and
 * /total time. Prints figures; asserts nothing. Run: npx tsx test/bench/sandbox-aimfox.ts [contacts]
 */
import { performance } from 'node:perf_hooks';
import { startAimfoxSandbox } from '../../main/sandbox/aimfox/index.js';
import { generateWorld, linkedinUrl } from '../../main/sandbox/world.js';

const contacts = Number(process.argv[2] ?? 100_000);
const t0 = performance.now();
const world = generateWorld({ contacts });
const t1 = performance.now();
const sb = await startAimfoxSandbox({ world, rateLimits: 'off' });
const t2 = performance.now();
const headers = { authorization: `Bearer ${sb.credentials.apiKey}`, 'content-type': 'application/json' };

async function timed(label: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const s = performance.now();
  const res = await fetch(sb.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  console.log(
    `${label.padEnd(42)} ${res.status} ${(performance.now() - s).toFixed(1).padStart(8)} ms ${(text.length / 1024).toFixed(0).padStart(7)} KiB`,
  );
  return JSON.parse(text);
}

const outsiders = world.people.filter((p) => p.linkedinId && !p.in.aimfox).slice(0, 1000);
console.log(
  `world ${contacts} people: generate ${(t1 - t0).toFixed(0)} ms, sandbox start ${(t2 - t1).toFixed(0)} ms, leads ${sb.admin.listLeads().length}`,
);
await timed(
  'POST audience/multiple (1000 profiles)',
  'POST',
  `/campaigns/${sb.credentials.campaignId}/audience/multiple`,
  {
    type: 'profile_url',
    profiles: outsiders.map((p) => ({ profile_url: linkedinUrl(p.linkedinId!) })),
  },
);
await timed('GET campaigns/:id/audience (1000)', 'GET', `/campaigns/${sb.credentials.campaignId}/audience`);
const search = sb.admin.listCampaigns().find((c) => c.name === 'Melbourne trades search')!;
await timed(`GET search campaign audience`, 'GET', `/campaigns/${search.id}/audience`);
await timed('POST leads:search?start=0&count=100', 'POST', '/leads:search?start=0&count=100', {});
await timed('POST leads:search (keywords)', 'POST', '/leads:search?count=100', { keywords: 'smith' });
await timed('POST leads:search/total', 'POST', '/leads:search/total', {});
await timed('GET labels (with counts)', 'GET', '/labels');
await sb.close();
