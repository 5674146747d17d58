/**
 * Found by fuzzing AroFlo answers: a residential customer (an AroFlo client who is the person) must stay a person when
 * someone edits the client's surname or first name without retyping the client's name — before, the client stopped
 * looking residential, the person vanished from the listing, and the linked HighLevel contact was archived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ARCHIVED_TAG } from '../../main/service/adapters/ghl.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

describe('a residential AroFlo customer', () => {
  it('stays linked to its HighLevel contact when only the surname is edited in AroFlo', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const link = bed.svc.sync.repo.linksFor('ghl-aroflo', 'contact').find((l) => l.other_id?.startsWith('client:') && bed!.boxes.ghl.admin.getContact(l.ghl_id!))!;
    const clientId = link.other_id!.split(':')[1]!;
    bed.boxes.aroflo.admin.updateClient(clientId, { surname: 'Renamed-Only-Here' });
    const r = await bed.run({ full: true });
    expect(r.summary.deleted).toEqual({});
    const c = bed.boxes.ghl.admin.getContact(link.ghl_id!)!;
    expect(c.tags).not.toContain(ARCHIVED_TAG);
    expect(c.lastName).toBe('Renamed-Only-Here');
    expect(bed.svc.sync.repo.linkByGhl('ghl-aroflo', 'contact', link.ghl_id!)?.state).toBe('active');
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });
});
