/**
 * Found by the soak: a create the service carried out but whose answer was lost or unreadable (a truncated or
 * malformed body, a dropped connection after the request went out) must not be created a second time. The next run
 * looks for it first (the outbox), links it, and nothing gets a twin. Also: the audit log only claims writes that
 * happened — AroFlo cannot archive a client through its API, so that "archive" is recorded as what it is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { norm, startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** A GHL contact linked to a residential AroFlo client (a person who is their own customer). */
function residentialPair(b: Bed): { ghlId: string; clientId: string } {
  const link = b.svc.sync.store.links
    .active('ghl-aroflo', 'contact')
    .find((l) => l.other_id?.startsWith('client:') && b.boxes.ghl.admin.getContact(l.ghl_id!));
  expect(link).toBeTruthy();
  return { ghlId: link!.ghl_id!, clientId: link!.other_id!.split(':')[1]! };
}

describe('writes whose answer was lost', () => {
  for (const kind of ['malformed', 'truncated'] as const) {
    it(`a HighLevel task created under a ${kind} answer is found and linked next run, not created twice`, async () => {
      bed = await startBed({ contacts: 20 });
      await bed.run({ full: true });
      const { ghlId, clientId } = residentialPair(bed);
      const cred = bed.boxes.aroflo.credentials;
      const title = `Uncertain ${kind} job`;
      bed.boxes.aroflo.admin.createTask({
        clientid: clientId,
        taskname: title,
        duedate: '2026-12-05',
        orgid: cred.businessUnits[0]!.orgid,
        tasktypeid: cred.taskTypes[0]!.tasktypeid,
      });
      // GHL creates the task, but the answer to exactly that POST comes back broken.
      bed.boxes.setFaults(`system=ghl,path=POST /contacts/${ghlId}/tasks,rate=1,kinds=${kind}`);
      const first = await bed.run();
      bed.boxes.setFaults(undefined);
      expect(first.summary.errors).toBeGreaterThan(0);
      expect(bed.boxes.ghl.admin.listTasks(ghlId).filter((t) => t.title === title)).toHaveLength(1);
      await bed.run({ full: true });
      await bed.run({ full: true });
      expect(bed.boxes.ghl.admin.listTasks(ghlId).filter((t) => t.title === title)).toHaveLength(1);
      expect(
        bed.boxes.aroflo.admin
          .listTasks({ clientid: clientId })
          .filter((t) => norm(t.taskname) === norm(title) && t.status !== 'Archived'),
      ).toHaveLength(1);
      expect(bed.svc.sync.store.outbox.pending()).toEqual([]);
    });
  }
});

describe('the audit log claims only what happened', () => {
  it('deleting a person in HighLevel whose AroFlo client cannot be archived records an unlink, not an archive', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const { ghlId, clientId } = residentialPair(bed);
    bed.boxes.ghl.admin.deleteContact(ghlId);
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    // AroFlo's API cannot archive a client: it is still there and not archived…
    expect(bed.boxes.aroflo.admin.getClient(clientId)?.archived).toBe(false);
    // …so the audit must not say it was archived; it says the record is no longer synced, and why.
    const rows = bed.svc.sync.store.audit.forRun(r.summary.id).filter((a) => a.recordId === `client:${clientId}`);
    expect(rows.map((a) => a.action)).toEqual(['unlink']);
    expect(rows[0]!.after).toMatch(/cannot archive/i);
    expect(bed.svc.sync.store.links.byOther('ghl-aroflo', 'contact', `client:${clientId}`)?.state).toBe('deleted');
    // And it is not brought back to HighLevel on later runs.
    await bed.run({ full: true });
    expect(
      bed.boxes.ghl.admin
        .listContacts()
        .filter((c) => c.email && norm(c.email as string) === norm(bed!.boxes.aroflo.admin.getClient(clientId)!.email)),
    ).toHaveLength(0);
  });
});
