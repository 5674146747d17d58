/**
 * How fast the GHL sandbox serves a full search scan, so a client benchmark measures the client:
 * 100,000 contacts, POST /contacts/search sorted by dateUpdated asc, pageLimit 500, searchAfter through
 * every page, over real HTTP on 127.0.0.1 (rate limits off).
 *
 *   npx tsx test/bench/sandbox-ghl.ts [ghlContacts=100000]
 */
import { performance } from 'node:perf_hooks';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { parseSearchBody, runSearch, searchBody } from '../../main/sandbox/ghl/search.js';
import { ghlIdentity, seedStore } from '../../main/sandbox/ghl/seed.js';
import { GhlStore } from '../../main/sandbox/ghl/store.js';
import { generateWorld } from '../../main/sandbox/world.js';

/** GHL contacts wanted (the world holds more people: not all are in GHL). */
const target = Number(process.argv[2] ?? 100_000);

type Post = (body: string) => Promise<{ status: number; text: string }>;

/** Over the network, as a client sees it. */
const overHttp =
  (baseUrl: string, token: string): Post =>
  async (body) => {
    const res = await fetch(`${baseUrl}/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, version: '2021-07-28', 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

async function scan(post: Post, locationId: string, extra: Record<string, unknown>) {
  let searchAfter: unknown;
  let pages = 0;
  let contacts = 0;
  let bytes = 0;
  const times: number[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const t = performance.now();
    const { status, text } = await post(
      JSON.stringify({
        locationId,
        pageLimit: 500,
        sort: [{ field: 'dateUpdated', direction: 'asc' }],
        ...extra,
        ...(searchAfter ? { searchAfter } : {}),
      }),
    );
    if (status !== 200) throw new Error(`search answered ${status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { contacts: Array<{ searchAfter: unknown }> };
    const n = body.contacts.length;
    searchAfter = body.contacts.at(-1)?.searchAfter;
    times.push(performance.now() - t);
    bytes += text.length;
    pages++;
    if (n === 0) break;
    contacts += n;
  }
  const total = times.reduce((a, b) => a + b, 0);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    pages,
    contacts,
    totalMs: total,
    msPerPage: total / pages,
    p95: sorted[Math.floor(sorted.length * 0.95)]!,
    pagesPerSec: (pages / total) * 1000,
    mb: bytes / 1e6,
  };
}

const t0 = performance.now();
const world = generateWorld({ seed: 1, contacts: Math.round(target / 0.8) }); // ~80% of the world is in GHL
const t1 = performance.now();
const sb = await startGhlSandbox({ world, rateLimits: 'off' });
const t2 = performance.now();
const { privateToken, locationId } = sb.credentials;
console.log(
  `world: ${world.people.length} people in ${((t1 - t0) / 1000).toFixed(1)} s; sandbox start (seed + indexes): ${((t2 - t1) / 1000).toFixed(2)} s`,
);

const line = (label: string, r: Awaited<ReturnType<typeof scan>>) =>
  console.log(
    `${label}: ${r.contacts} contacts, ${r.pages} pages (incl. the empty last), ${r.mb.toFixed(0)} MB — ` +
      `${r.pagesPerSec.toFixed(1)} pages/s, ${r.msPerPage.toFixed(1)} ms/page (p95 ${r.p95.toFixed(1)} ms), total ${(r.totalMs / 1000).toFixed(2)} s`,
  );
const http = overHttp(sb.baseUrl, privateToken);
const cpu0 = process.cpuUsage();
line('full scan over HTTP', await scan(http, locationId, {}));
const cpu = process.cpuUsage(cpu0);
console.log(
  `  (CPU of this process — sandbox + fetch client — during that scan: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
);
const since = Date.parse(world.people[Math.floor(world.people.length / 2)]!.createdAt);
line(
  'incremental dateUpdated > checkpoint (HTTP)',
  await scan(http, locationId, { filters: [{ field: 'dateUpdated', operator: 'range', value: { gt: since } }] }),
);
line(
  'filtered tags eq vip (HTTP)',
  await scan(http, locationId, { filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] }),
);
await sb.close();

/** The sandbox's own share of a page: search + response assembly in process (no HTTP, no client parsing). */
function inProcess(pass: number, store: GhlStore, loc: string): void {
  const index = store.searchIndex(loc);
  let searchAfter: [number, string] | undefined;
  let pages = 0;
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  for (let guard = 0; guard < 10_000; guard++) {
    const req = parseSearchBody({
      locationId: loc,
      pageLimit: 500,
      sort: [{ field: 'dateUpdated', direction: 'asc' }],
      ...(searchAfter ? { searchAfter } : {}),
    });
    const r = runSearch(req, index, 'AU');
    searchBody(r, 'trace');
    pages++;
    const last = r.docs.at(-1);
    if (!last) break;
    searchAfter = [last.updated, last.id];
  }
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `in-process search + response assembly, pass ${pass}: ${pages} pages, ${(ms / pages).toFixed(2)} ms/page wall, ${((cpu.user + cpu.system) / 1000 / pages).toFixed(2)} ms/page CPU`,
  );
}
const ident = ghlIdentity(world.seed);
const store = new GhlStore({ seed: world.seed, now: Date.now, searchLagMs: 0, taskNoteEditsBumpContact: false });
seedStore(store, world, ident);
inProcess(1, store, ident.locationId); // first pass builds and caches each item's JSON
inProcess(2, store, ident.locationId);
