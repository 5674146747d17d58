/**
 * HighLevel tasks read through the location task search (main/sync/sides/ghl-tasks.ts), over real HTTP against the
 * sandboxes: a full run pages through the location's tasks (⌈tasks / 100⌉ search calls, no per-contact task reads); a
 * task completed or retitled in HighLevel with no change to its contact reaches AroFlo in the next (incremental) sync;
 * and a sign-in without `locations/tasks.readonly` reads tasks one contact at a time and the connection says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

const SEARCH = 'POST /locations/:locationId/tasks/search';
const PER_CONTACT = 'GET /contacts/:contactId/tasks';
const TASKS_PER_CONTACT =
  "Tasks are read one contact at a time because the sign-in lacks 'locations/tasks.readonly'; sign in again to grant it.";

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const calls = (b: Bed, endpoint: string) => b.boxes.ghl.stats().byEndpoint[endpoint] ?? 0;
const allGhlTasks = (b: Bed) => b.boxes.ghl.admin.listContacts().flatMap((c) => b.boxes.ghl.admin.listTasks(c.id));

/** HighLevel tasks of contacts linked to AroFlo that no task link holds. */
function unlinkedTasksOfLinkedContacts(b: Bed): string[] {
  const store = b.svc.sync.store;
  const linked = new Set(store.links.active('ghl-aroflo', 'task').map((l) => l.ghl_id));
  return store.links
    .active('ghl-aroflo', 'contact')
    .flatMap((l) => b.boxes.ghl.admin.listTasks(l.ghl_id!).map((t) => `${t.contactId}/${t.id}`))
    .filter((k) => !linked.has(k));
}

/** An open HighLevel task linked to an AroFlo task that agrees with it (no conflict waiting), and that AroFlo task. */
function linkedOpenTask(b: Bed) {
  for (const l of b.svc.sync.store.links.active('ghl-aroflo', 'task')) {
    const [contactId, taskId] = l.ghl_id!.split('/') as [string, string];
    const g = b.boxes.ghl.admin.getTask(contactId, taskId);
    const a = b.boxes.aroflo.admin.getTask(l.other_id!);
    if (g && !g.completed && a && a.taskname === g.title && !b.svc.sync.store.conflicts.openBySubject(`link:${l.id}`))
      return { contactId, taskId, arofloId: l.other_id! };
  }
  throw new Error('no linked open task');
}

describe('HighLevel tasks through the location task search', () => {
  it('a full run reads every task of the location in ⌈tasks / 100⌉ search calls, none per contact', async () => {
    bed = await startBed({ contacts: 60, seed: 31, noteToTask: false });
    // More tasks than one page: 250 or so, not a whole number of pages.
    const contacts = bed.boxes.ghl.admin.listContacts();
    let k = 0;
    while (allGhlTasks(bed).length < 230 || allGhlTasks(bed).length % 100 === 0)
      bed.boxes.ghl.admin.createTask(contacts[k++ % contacts.length]!.id, {
        title: `Site visit ${k}`,
        dueDate: '2026-12-10',
      });
    const n = allGhlTasks(bed).length;
    const [s0, p0] = [calls(bed, SEARCH), calls(bed, PER_CONTACT)];
    const r = await bed.run({ full: true });
    expect(r.summary.errors).toBe(0);
    expect(calls(bed, SEARCH) - s0).toBe(Math.ceil(n / 100));
    expect(calls(bed, PER_CONTACT) - p0).toBe(0);
    // Every HighLevel task of a linked contact is now linked to an AroFlo task.
    expect(unlinkedTasksOfLinkedContacts(bed)).toEqual([]);
  });

  it('a task completed in HighLevel, with no change to its contact, is completed in AroFlo by the next sync', async () => {
    bed = await startBed({ contacts: 40, seed: 32, noteToTask: false });
    await bed.run({ full: true });
    const t = linkedOpenTask(bed);
    const contactBefore = bed.boxes.ghl.admin.getContact(t.contactId)!.dateUpdated;
    bed.boxes.ghl.admin.completeTask(t.contactId, t.taskId, true);
    expect(bed.boxes.ghl.admin.getContact(t.contactId)!.dateUpdated).toBe(contactBefore);
    const r = await bed.run({ full: false });
    expect(r.summary.errors).toBe(0);
    expect(bed.boxes.aroflo.admin.getTask(t.arofloId)!.status.toLowerCase()).toBe('completed');
    // Not taken for deleted: the link stays.
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'task', `${t.contactId}/${t.taskId}`)).toBeDefined();
  });

  it('a job the bridge updated is not read back: one AroFlo read before the write, and the next sync writes nothing', async () => {
    bed = await startBed({ contacts: 40, seed: 35, noteToTask: false });
    await bed.run({ full: true });
    await bed.run();
    const t = linkedOpenTask(bed);
    bed.boxes.ghl.admin.completeTask(t.contactId, t.taskId, true);
    const reads = () => bed!.boxes.aroflo.admin.stats().byEndpoint['GET tasks'] ?? 0;
    const r0 = reads();
    const r = await bed.run({ full: false });
    expect(r.summary.errors).toBe(0);
    expect(bed.boxes.aroflo.admin.getTask(t.arofloId)!.status.toLowerCase()).toBe('completed');
    // The job read fresh before it is overwritten; nothing after the write (main/sync/sides/README.md).
    expect(reads() - r0).toBe(1);
    // What the bridge took for the job's new state is what AroFlo holds: the next sync reads it (the change feed
    // reports the bridge's own write) and finds nothing to write either way.
    const next = await bed.run({ full: false });
    expect(Object.values(next.summary.updated).reduce((a, n) => a + (n ?? 0), 0)).toBe(0);
    expect(Object.values(next.summary.created).reduce((a, n) => a + (n ?? 0), 0)).toBe(0);
  });

  it('a task retitled in HighLevel, with no change to its contact, reaches AroFlo by the next sync', async () => {
    bed = await startBed({ contacts: 40, seed: 33, noteToTask: false });
    await bed.run({ full: true });
    const t = linkedOpenTask(bed);
    bed.boxes.ghl.admin.updateTask(t.contactId, t.taskId, { title: 'Replace the hot-water unit' });
    const r = await bed.run({ full: false });
    expect(r.summary.errors).toBe(0);
    // AroFlo cannot rename a job through its API: the bridge leaves the new title as a note on the job
    // (main/sync/sides/aroflo.ts, BRIDGE_NOTE).
    const notes = bed.boxes.aroflo.admin.listTaskNotes(t.arofloId).map((n) => n.content);
    expect(notes).toContainEqual(expect.stringContaining('Title changed in HighLevel to: Replace the hot-water unit'));
  });

  it('a completed task retitled in HighLevel, with no change to its contact, reaches AroFlo by the next sync', async () => {
    bed = await startBed({ contacts: 40, seed: 34, noteToTask: false });
    await bed.run({ full: true });
    const t = linkedOpenTask(bed);
    bed.boxes.ghl.admin.completeTask(t.contactId, t.taskId, true);
    expect((await bed.run({ full: false })).summary.errors).toBe(0);
    expect(bed.boxes.aroflo.admin.getTask(t.arofloId)!.status.toLowerCase()).toBe('completed');
    // No open listing shows it now: the completed tasks' listing does (main/sync/sides/ghl-tasks.ts).
    bed.boxes.ghl.admin.updateTask(t.contactId, t.taskId, { title: 'Invoice the hot-water unit' });
    const s0 = calls(bed, SEARCH);
    const r = await bed.run({ full: false });
    expect(r.summary.errors).toBe(0);
    expect(calls(bed, SEARCH) - s0, 'the open and the completed listings, a page each').toBe(2);
    const notes = bed.boxes.aroflo.admin.listTaskNotes(t.arofloId).map((n) => n.content);
    expect(notes).toContainEqual(expect.stringContaining('Title changed in HighLevel to: Invoice the hot-water unit'));
  });

  it('a task deleted in HighLevel is found by the rolling re-read within the window, its slices read through the search', async () => {
    bed = await startBed({ contacts: 40, seed: 36, noteToTask: false });
    // Window 4 h at one sync an hour: every contact's tasks are re-checked within 4 syncs.
    await bed.svc.api.saveSettings({ settings: { syncIntervalMinutes: 60, budget: { rereadWindowHours: 4 } } });
    await bed.run({ full: true });
    const t = linkedOpenTask(bed);
    const link = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'task', `${t.contactId}/${t.taskId}`)!;
    bed.boxes.ghl.admin.deleteTask(t.contactId, t.taskId);
    const p0 = calls(bed, PER_CONTACT);
    const store = bed.svc.sync.store;
    for (let i = 0; i < 4; i++) {
      // A slice is due in proportion to the time since the last one: an hour passes before each sync (as in
      // test/integration/rolling-reread.test.ts; the sandboxes and AroFlo's request signing keep real time).
      for (const name of ['ghl-aroflo:business', 'ghl-aroflo:contact', 'ghl-aroflo:task', 'ghl-aroflo:note']) {
        const p = store.budget.position(name);
        if (p?.lastAt !== undefined) store.budget.setPosition(name, { ...p, lastAt: p.lastAt - 60 * 60_000 });
      }
      expect((await bed.run()).summary.status).toBe('ok');
    }
    expect(bed.svc.sync.store.links.byId(link.id)?.state, 'the delete found').not.toBe('active');
    // Its job in AroFlo follows the tasks' delete policy (archive), and no task was read one contact at a time.
    expect(calls(bed, PER_CONTACT) - p0).toBe(0);
  }, 120_000);

  it('without locations/tasks.readonly: tasks are read per contact, still synced, and the connection says so', async () => {
    bed = await startBed({ contacts: 30, seed: 34, noteToTask: false });
    bed.boxes.ghl.admin.setPrivateTokenScopes([
      'contacts.readonly',
      'contacts.write',
      'locations/customFields.readonly',
      'locations/tags.readonly',
      'users.readonly',
      'locations.readonly',
      'calendars.readonly',
      'calendars/events.readonly',
    ]);
    // The sync finds it out itself (the scope was taken away after the last connection check).
    const p0 = calls(bed, PER_CONTACT);
    const r = await bed.run({ full: true });
    expect(r.summary.errors).toBe(0);
    expect(calls(bed, PER_CONTACT) - p0).toBeGreaterThan(0);
    expect(allGhlTasks(bed).length).toBeGreaterThan(0);
    expect(unlinkedTasksOfLinkedContacts(bed)).toEqual([]);
    const listed = (await bed.svc.api.getConnections()).find((c) => c.system === 'ghl')!;
    expect(listed.notices).toEqual([TASKS_PER_CONTACT]);
    // And "Test connection" says so too (still a working connection).
    const info = await bed.svc.api.testConnection({ system: 'ghl' });
    expect(info.health).toBe('ok');
    expect(info.notices).toEqual([TASKS_PER_CONTACT]);
  });

  it('with the scope: the connection shows no such notice', async () => {
    bed = await startBed({ contacts: 10, seed: 35, noteToTask: false, enable: false });
    const info = await bed.svc.api.testConnection({ system: 'ghl' });
    expect(info.notices).toBeUndefined();
  });
});
