/**
 * Found by the soak: deletes must stick, and a record whose parent is gone must not keep failing.
 *  - With the "unlink" delete policy (notes, Aimfox leads), a record deleted on one side stops being synced; its copy
 *    on the other side stays, and is not copied back as if it were new.
 *  - A note added in AroFlo on a customer whose HighLevel contact was deleted is left alone (reported as skipped),
 *    not sent to the deleted contact run after run.
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
    const link = bed.svc.sync.repo.linksFor('ghl-aroflo', 'note').find((l) => {
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
    const link = bed.svc.sync.repo.linksFor('ghl-aroflo', 'contact').find((l) => l.other_id?.startsWith('client:'))!;
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
