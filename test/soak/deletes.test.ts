/**
 * Found by the soak: deletes must stick, and a record whose parent is gone must not keep failing.
 *  - With the "unlink" delete policy (notes, Aimfox leads), a record deleted on one side stops being synced; its copy
 *    on the other side stays, and is not copied back as if it were new.
 *  - A note added in AroFlo on a customer whose HighLevel contact was deleted is left alone (reported as skipped),
 *    not sent to the deleted contact run after run.
 *  - A create interrupted by a crash whose outcome cannot be checked yet (the service is down) is not sent again in
 *    the same run: it waits until the check can be made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

describe('deletes stick', () => {
  it('a note deleted in HighLevel (policy "unlink") is not brought back from its AroFlo copy', async () => {
    bed = await startBed({ contacts: 20, noteToTask: false });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links.active('ghl-aroflo', 'note').find((l) => {
      const [cid, nid] = l.ghl_id!.split('/');
      return !!bed!.boxes.ghl.admin.getNote(cid!, nid!);
    })!;
    const [contactId, noteId] = link.ghl_id!.split('/') as [string, string];
    const body = bed.boxes.ghl.admin.getNote(contactId, noteId)!.body;
    bed.boxes.ghl.admin.deleteNote(contactId, noteId);
    await bed.run({ full: true });
    await bed.run({ full: true });
    await bed.run({ full: true });
    expect(bed.boxes.ghl.admin.listNotes(contactId).filter((n) => n.body === body)).toHaveLength(0);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('a note added in AroFlo for a customer whose HighLevel contact was deleted is skipped, and the sync settles', async () => {
    bed = await startBed({ contacts: 20, noteToTask: false });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:'))!;
    const clientId = link.other_id!.split(':')[1]!;
    bed.boxes.ghl.admin.deleteContact(link.ghl_id!);
    await bed.run({ full: true });
    bed.boxes.aroflo.admin.addClientNote(clientId, { content: 'Left a card in the letterbox' });
    const r1 = await bed.run({ full: true });
    const r2 = await bed.run({ full: true });
    expect(r1.summary.errors).toBe(0);
    expect(r2.summary.status).toBe('ok');
    expect(writesOf(r2.summary)).toBe(0);
  });
});

describe('interrupted creates', () => {
  it('a create whose outcome cannot be checked after a crash is not sent again until it can be', async () => {
    bed = await startBed({ contacts: 20, noteToTask: false });
    await bed.run({ full: true });
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:'))!;
    const contactId = link.ghl_id!;
    bed.boxes.aroflo.admin.addClientNote(link.other_id!.split(':')[1]!, { content: 'Crash-window note' });
    // The run sends the HighLevel note, then "crashes" before it could record the answer.
    expect(
      await bed.crashRun(
        { after: 1, when: (r) => r.entity === 'note' && r.action === 'create' && r.system === 'ghl' },
        { full: true },
      ),
    ).toBe('crashed');
    const notes = () => bed!.boxes.ghl.admin.listNotes(contactId).filter((n) => n.body === 'Crash-window note');
    expect(notes()).toHaveLength(1);
    // Next run, that contact's notes cannot be read (how the bridge finds what it made); everything else works.
    bed.boxes.setFaults(`system=ghl,path=GET /contacts/${contactId}/notes,rate=1,kinds=malformed`);
    await bed.run({ full: true });
    bed.boxes.setFaults(undefined);
    expect(notes()).toHaveLength(1);
    await bed.run({ full: true });
    expect(notes()).toHaveLength(1);
    expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
  });
});

describe('an edit made after the other side deleted the record', () => {
  // Soak seed 2026: a task deleted in HighLevel, then its AroFlo job's description edited (a field that flows only from
  // HighLevel to AroFlo). The incremental runs in between saw the job change but took the HighLevel task from what an
  // earlier run had read, so they moved the job's base to the edit; the next full run found the task gone, saw the job
  // "unchanged since the last sync" and archived it, edit and all.
  it('a job edited in AroFlo after its HighLevel task was deleted is kept (and its task made again), not archived', async () => {
    bed = await startBed({ contacts: 20, noteToTask: false });
    await bed.run({ full: true });
    const admin = { ghl: bed.boxes.ghl.admin, aroflo: bed.boxes.aroflo.admin };
    const link = bed.svc.sync.store.links.active('ghl-aroflo', 'task').find((l) => {
      const [cid, tid] = l.ghl_id!.split('/') as [string, string];
      return !!admin.ghl.getTask(cid, tid) && admin.aroflo.getTask(l.other_id!)?.status !== 'Archived';
    })!;
    expect(link).toBeTruthy();
    const [contactId, taskId] = link.ghl_id!.split('/') as [string, string];
    const jobId = link.other_id!;
    const title = admin.aroflo.getTask(jobId)!.taskname;
    admin.ghl.deleteTask(contactId, taskId);
    admin.aroflo.updateTask(jobId, { description: 'Gate code is now 4821; dog in the yard' });
    // As the app's timer runs it: from the change feeds (the job changed; HighLevel reports no deleted task).
    await bed.run({ full: false });
    await bed.run({ full: true });
    await bed.run({ full: true });
    const job = admin.aroflo.getTask(jobId)!;
    expect(job.status).not.toBe('Archived');
    expect(job.description).toBe('Gate code is now 4821; dog in the yard');
    // The job is synced again: a HighLevel task for it, linked.
    const now = bed.svc.sync.store.links.byOther('ghl-aroflo', 'task', jobId);
    expect(now?.state).toBe('active');
    const [cid, tid] = now!.ghl_id!.split('/') as [string, string];
    expect(cid).toBe(contactId);
    expect(admin.ghl.getTask(cid, tid)?.title).toBe(title);
  });
});
