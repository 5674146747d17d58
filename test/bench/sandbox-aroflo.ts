/**
 * AroFlo sandbox figures over real HTTP: start time for a world with 50,000+ clients, then GET clients/tasks with
 * a where and paging (first page = full scan; later pages come from the per-query cache), id look-ups, time ranges.
 * Prints figures; asserts nothing. Run: npx tsx test/bench/sandbox-aroflo.ts [people]   (default 110,000 people)
 */
import { performance } from 'node:perf_hooks';
import { createHmac } from 'node:crypto';
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import type { Loose } from '../sandbox/fixtures/aroflo/client.js';

const people = Number(process.argv[2] ?? 110_000);
const now = Date.parse('2026-11-01T00:00:00Z');
const t0 = performance.now();
const world = generateWorld({ contacts: people });
const t1 = performance.now();
const sb = await startArofloSandbox({ world, rateLimits: 'off', now: () => now });
const t2 = performance.now();
const c = sb.credentials;
const enc = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
const auth = `uencoded=${enc(c.uEncoded)}&pencoded=${enc(c.pEncoded)}&orgEncoded=${enc(c.orgEncoded)}`;

async function get(params: Array<[string, string]>): Promise<{ ms: number; kib: number; body: Loose }> {
  const vs = params.map(([k, v]) => `${k}=${enc(v)}`).join('&');
  const ts = new Date(now).toISOString();
  const sig = createHmac('sha512', c.secretKey).update(['GET', '', 'text/json', auth, ts, vs].join('+')).digest('hex');
  const s = performance.now();
  const res = await fetch(`${sb.baseUrl}?${vs}`, {
    headers: { Authentication: `HMAC ${sig}`, Authorization: auth, Accept: 'text/json', afdatetimeutc: ts },
  });
  const text = await res.text();
  const ms = performance.now() - s;
  const body = JSON.parse(text);
  if (body.status !== '0') throw new Error(text.slice(0, 300));
  return { ms, kib: text.length / 1024, body };
}

function line(label: string, ms: number, extra = ''): void {
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms ${extra}`);
}

const clients = sb.admin.listClients();
const tasks = sb.admin.listTasks();
console.log(
  `world ${people} people: generate ${(t1 - t0).toFixed(0)} ms, sandbox load+start ${(t2 - t1).toFixed(0)} ms`,
);
console.log(`clients ${clients.length}, contacts ${sb.admin.listContacts().length}, tasks ${tasks.length}`);

// Page through every client with an explicit where, 500 a page.
let page = 1;
let total = 0;
let first = 0;
let serverMs = 0;
const started = performance.now();
for (;;) {
  const r = await get([
    ['zone', 'clients'],
    ['where', 'and|clientid|!=|0'],
    ['page', String(page)],
  ]);
  if (page === 1) first = r.ms;
  serverMs += r.body.zoneresponse.generatedisplayresponsetime;
  total += r.body.zoneresponse.currentpageresults;
  if (r.body.zoneresponse.currentpageresults < r.body.zoneresponse.maxpageresults) break;
  page++;
}
const all = performance.now() - started;
line(`GET clients where clientid!=0, page 1 (full scan)`, first);
line(
  `GET clients where clientid!=0, all ${page} pages (${total} clients)`,
  all,
  `(${(all / page).toFixed(1)} ms/page over HTTP incl. client JSON.parse; server-side ${serverMs} ms in all)`,
);
const joined = await get([
  ['zone', 'clients'],
  ['where', 'and|clientid|!=|0'],
  ['join', 'contacts'],
  ['page', '7'],
]);
line('GET clients join=contacts page 7', joined.ms, `${joined.kib.toFixed(0)} KiB`);

const someClient = clients[Math.floor(clients.length / 2)]!;
const byId = [] as number[];
for (let i = 0; i < 50; i++)
  byId.push(
    (
      await get([
        ['zone', 'clients'],
        ['where', `and|clientid|=|${clients[(i * 997) % clients.length]!.clientid}`],
      ])
    ).ms,
  );
byId.sort((a, b) => a - b);
line('GET clients where clientid=X (median of 50)', byId[25]!);
line(
  'GET clients where clientname=X (full scan)',
  (
    await get([
      ['zone', 'clients'],
      ['where', `and|clientname|=|${someClient.clientname}`],
    ])
  ).ms,
);
line(
  'GET clients where lastupdatedatetimeutc > now-7d (index range)',
  (
    await get([
      ['zone', 'clients'],
      [
        'where',
        `and|lastupdatedatetimeutc|>|${new Date(now - 7 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ')}`,
      ],
    ])
  ).ms,
);
line('GET clients, no where (default 30-day filter, index range)', (await get([['zone', 'clients']])).ms);
line(
  'GET clients where postable=true (full scan, 0 rows)',
  (
    await get([
      ['zone', 'clients'],
      ['where', 'and|postable|=|true'],
    ])
  ).ms,
);

line(
  'GET tasks where status IN notstarted*inprogress, page 1',
  (
    await get([
      ['zone', 'tasks'],
      ['where', 'and|status|IN|notstarted*inprogress'],
      ['join', 'notes'],
    ])
  ).ms,
);
line(
  'GET tasks order=clientname|asc, page 1 (sort)',
  (
    await get([
      ['zone', 'tasks'],
      ['where', 'and|taskid|!=|0'],
      ['order', 'clientname|asc'],
    ])
  ).ms,
);
line(
  'GET tasks order=clientname|asc, page 2 (cached)',
  (
    await get([
      ['zone', 'tasks'],
      ['where', 'and|taskid|!=|0'],
      ['order', 'clientname|asc'],
      ['page', '2'],
    ])
  ).ms,
);
line(
  'GET tasks where taskid=X',
  (
    await get([
      ['zone', 'tasks'],
      ['where', `and|taskid|=|${tasks[tasks.length - 1]!.taskid}`],
    ])
  ).ms,
);
line(
  'GET lastupdate where zonename=clients & lastupdateutc > now-2d',
  (
    await get([
      ['zone', 'lastupdate'],
      ['where', 'and|zonename|=|clients'],
      ['where', `and|lastupdateutc|>|${new Date(now - 2 * 86_400_000).toISOString().slice(0, 10)}`],
    ])
  ).ms,
);
await sb.close();
