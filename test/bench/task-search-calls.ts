/**
 * HighLevel calls needed to read every task of 2,000 contacts: one GET /contacts/{id}/tasks per contact, against the
 * location task search (main/connectors/ghl/README.md "Location task search") — by batches of contact ids, and as one
 * scan of the whole location. Counted by the sandbox (requests per endpoint), over real HTTP on 127.0.0.1, with the
 * limits off on both sides so only the call counts matter. Prints figures; asserts nothing.
 *
 *   npx tsx test/bench/task-search-calls.ts [--contacts=2000] [--tasks-per-contact=3]
 *
 * `--tasks-per-contact` tops every contact up to about that many tasks (the seeded world has ~0.3 a contact), since
 * the search's cost grows with the number of tasks and the per-contact read's does not.
 */
import { performance } from 'node:perf_hooks';
import { GhlClient, PrivateIntegrationAuth } from '../../main/connectors/ghl/index.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

function arg(name: string, dflt: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const n = hit ? Number(hit.split('=')[1]) : dflt;
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return n;
}

const N = arg('contacts', 2000);
const PER = arg('tasks-per-contact', 3);
const DAILY = 200_000;

const sb = await startGhlSandbox({
  world: generateWorld({ seed: 42, contacts: Math.ceil(N * 1.3) }),
  port: 0,
  rateLimits: 'off',
  admin: true,
});
try {
  const contacts = sb.admin.listContacts().slice(0, N);
  if (contacts.length < N) throw new Error(`the world has only ${contacts.length} HighLevel contacts`);
  const ids = contacts.map((c) => c.id);
  const ghl = new GhlClient({
    baseUrl: sb.baseUrl,
    auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
    locationId: sb.credentials.locationId,
    rateLimits: { burstMax: 1e9, dailyMax: 1e9 },
  });

  const run = async (label: string, fn: () => Promise<number>): Promise<void> => {
    sb.resetStats();
    const t0 = performance.now();
    const tasks = await fn();
    const ms = performance.now() - t0;
    const calls = sb.stats().requests;
    console.log(
      `  ${label.padEnd(46)} ${String(calls).padStart(6)} calls  ${String(tasks).padStart(6)} tasks  ${(ms / 1000).toFixed(2).padStart(6)} s  ${((calls / DAILY) * 100).toFixed(2)} % of a day's budget`,
    );
  };

  const scenario = async (title: string): Promise<void> => {
    const total = ids.reduce((n, id) => n + sb.admin.listTasks(id).length, 0);
    const location = sb.admin.listContacts().reduce((n, c) => n + sb.admin.listTasks(c.id).length, 0);
    console.log(
      `\n${title}: ${N} contacts with ${total} tasks (${location} tasks in the whole location of ${sb.admin.listContacts().length} contacts)`,
    );
    await run('per contact: GET /contacts/{id}/tasks', async () => {
      let n = 0;
      for (const id of ids) n += (await ghl.tasks.list(id)).items.length;
      return n;
    });
    await run('task search: contactIds in batches of 100', async () => {
      let n = 0;
      for await (const p of ghl.scanTasks({ contactIds: ids })) n += p.items.length;
      return n;
    });
    await run('task search: whole location, 100 a page', async () => {
      let n = 0;
      for await (const p of ghl.scanTasks({})) n += p.items.length;
      return n;
    });
    await run('task search: whole location, open tasks only', async () => {
      let n = 0;
      for await (const p of ghl.scanTasks({ completed: false })) n += p.items.length;
      return n;
    });
  };

  await scenario('Seeded world');
  if (PER > 0) {
    contacts.forEach((c, i) => {
      for (let k = sb.admin.listTasks(c.id).length; k < PER; k++) {
        sb.admin.createTask(c.id, {
          title: `Bench task ${i}.${k}`,
          dueDate: `2026-12-${String((i % 28) + 1).padStart(2, '0')}`,
          completed: k % 3 === 2,
        });
      }
    });
    await scenario(`Every contact topped up to ${PER} tasks`);
  }
} finally {
  await sb.close();
}
