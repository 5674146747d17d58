/**
 * Found by the soak: deletes must stick, and a record whose parent is gone must not keep failing.
 *  - With the "unlink" delete policy (notes, Aimfox leads), a record deleted on one side stops being synced; its copy
 *    on the other side stays, and is not copied back as if it were new.
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
});
