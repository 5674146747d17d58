/**
 * Found by the soak: what the bridge writes into AroFlo must not come back as new work.
 *  - AroFlo cannot change a job's title, due date or description through its API, so the bridge writes a note on the
 *    job instead. That note is the bridge's own echo: it must not come back to HighLevel as a note, nor become a
 *    follow-up task through the notes-to-tasks rule.
 *  - A change noted on a job is noted once, also when the answer to that job update was lost (a kill between the
 *    update and its confirmation wrote the note twice in a 60-cycle soak).
 *  - A follow-up task the rule made in HighLevel stays a HighLevel task: it never becomes an AroFlo job, also after
 *    note sync has carried the same AroFlo note to HighLevel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

function linkedTask(b: Bed) {
  const l = b.svc.sync.store.links.active('ghl-aroflo', 'task').find((x) => {
    const [cid, tid] = x.ghl_id!.split('/');
    return b.boxes.ghl.admin.getTask(cid!, tid!) && b.boxes.aroflo.admin.getTask(x.other_id!)?.status !== 'Archived';
  });
  expect(l).toBeTruthy();
  const [contactId, taskId] = l!.ghl_id!.split('/') as [string, string];
  return { contactId, taskId, jobId: l!.other_id! };
}

describe("the bridge's own writes in AroFlo", () => {
  it('a description change written as a note on the AroFlo job does not come back as a HighLevel note or follow-up task', async () => {
    bed = await startBed({ contacts: 20, noteToTask: true });
    await bed.run({ full: true });
    await bed.run();
    const { contactId, taskId, jobId } = linkedTask(bed);
    const notesBefore = bed.boxes.ghl.admin.listNotes(contactId).length;
    const tasksBefore = bed.boxes.ghl.admin.listTasks(contactId).length;
    bed.boxes.ghl.admin.updateTask(contactId, taskId, { body: 'Bring the long ladder' });
    // GHL has no change feed for tasks: a full reconcile reads them.
    await bed.run({ full: true });
    // AroFlo got the change the only way it can: a note on the job.
    expect(
      bed.boxes.aroflo.admin
        .listTaskNotes(jobId)
        .map((n) => n.content)
        .join('\n'),
    ).toContain('Bring the long ladder');
    await bed.run();
    await bed.run({ full: true });
    expect(
      bed.boxes.ghl.admin.listNotes(contactId).filter((n) => n.body.includes('Bring the long ladder')),
    ).toHaveLength(0);
    expect(bed.boxes.ghl.admin.listNotes(contactId)).toHaveLength(notesBefore);
    expect(bed.boxes.ghl.admin.listTasks(contactId)).toHaveLength(tasksBefore);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('a follow-up task made by the notes-to-tasks rule never becomes an AroFlo job', async () => {
    bed = await startBed({ contacts: 20, noteToTask: true });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:'))!;
    const clientId = link.other_id!.split(':')[1]!;
    const jobsBefore = bed.boxes.aroflo.admin.listTasks({ clientid: clientId }).length;
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Wants gutter guards quoted' });
    await bed.run();
    await bed.run();
    await bed.run({ full: true });
    await bed.run({ full: true });
    const followUps = bed.boxes.ghl.admin
      .listTasks(link.ghl_id!)
      .filter((t) => t.title.startsWith('Follow up: Wants gutter guards'));
    expect(followUps).toHaveLength(1);
    expect(
      bed.boxes.aroflo.admin.listTasks({ clientid: clientId }).filter((t) => t.taskname.startsWith('Follow up')),
    ).toHaveLength(0);
    expect(bed.boxes.aroflo.admin.listTasks({ clientid: clientId })).toHaveLength(jobsBefore);
  });

  it('a follow-up task whose creation was interrupted by a crash is found and linked, and never becomes an AroFlo job', async () => {
    bed = await startBed({ contacts: 20, noteToTask: true });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:'))!;
    const clientId = link.other_id!.split(':')[1]!;
    const jobsBefore = bed.boxes.aroflo.admin.listTasks({ clientid: clientId }).length;
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Call about the roof leak' });
    expect(await bed.crashRun({ after: 1, when: (r) => r.entity === 'rule_task' })).toBe('crashed');
    await bed.run({ full: true });
    await bed.run({ full: true });
    expect(
      bed.boxes.ghl.admin.listTasks(link.ghl_id!).filter((t) => t.title.startsWith('Follow up: Call about the roof')),
    ).toHaveLength(1);
    expect(bed.boxes.aroflo.admin.listTasks({ clientid: clientId })).toHaveLength(jobsBefore);
  });

  it('a due-date change AroFlo cannot take is noted on the job once, even when the answer to that write was lost', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    const { contactId, taskId, jobId } = linkedTask(bed);
    const jobNotes = () =>
      bed!.boxes.aroflo.admin
        .listTaskNotes(jobId)
        .map((n) => n.content)
        .filter((c) => c.startsWith('Due date changed in HighLevel'));
    // GHL tasks have no change feed: full runs read them (as the periodic reconcile does).
    bed.boxes.ghl.admin.updateTask(contactId, taskId, { dueDate: '2031-05-06T09:00:00.000Z' });
    // The job update (carrying the note) reaches AroFlo, then the process dies before confirming it.
    const crashed = await bed.crashRun(
      { after: 1, when: (r) => r.action === 'update' && r.system === 'aroflo' && r.entity === 'task' },
      { full: true },
    );
    expect(crashed).toBe('crashed');
    expect(jobNotes()).toHaveLength(1);
    await bed.run({ full: true });
    expect(jobNotes()).toHaveLength(1);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
    // Changed again, then back: each change is still noted.
    bed.boxes.ghl.admin.updateTask(contactId, taskId, { dueDate: '2031-07-08T09:00:00.000Z' });
    await bed.run({ full: true });
    bed.boxes.ghl.admin.updateTask(contactId, taskId, { dueDate: '2031-05-06T09:00:00.000Z' });
    await bed.run({ full: true });
    expect(jobNotes().map((c) => c.slice(0, 43))).toEqual([
      'Due date changed in HighLevel to 2031-05-06',
      'Due date changed in HighLevel to 2031-07-08',
      'Due date changed in HighLevel to 2031-05-06',
    ]);
  });
});
