/**
 * Found by the long fleet soak (test/fleet/README.md): "Aimfox label removed … label:vip = "absent" — overwritten in
 * the system where it was made (now null)". The fleet's locations have their first run whenever a worker gets to them,
 * so people edit before it; a label a person removes from an Aimfox lead before the lead is first linked comes back
 * from its HighLevel contact's tag: a first link merges labels as a union (main/sync/engine/merge.ts; tags flow to
 * labels only). That is the sync doing what it says, so the soak's check must not call it a lost edit — and it must
 * still call a removal made on a linked lead and then put back a lost edit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';
import { parseLinkedInProfileUrl } from '../../main/connectors/aimfox/index.js';
import { EditLog } from './harness/edits.js';
import { checkEdits } from './harness/invariants.js';
import { rng } from './harness/random.js';
import { takeSnapshot, type Snapshot } from './harness/snapshot.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** A seeded lead and its HighLevel contact (same LinkedIn profile) that both carry one label/tag. */
function leadSharingALabel(b: Bed) {
  const snap = takeSnapshot(b.boxes);
  for (const lead of b.boxes.aimfox.admin.listLeads()) {
    const contact = [...snap.ghl.contacts.values()].find((c) => {
      const p = c.linkedin ? parseLinkedInProfileUrl(c.linkedin) : undefined;
      return p?.ok && p.publicIdentifier.toLowerCase() === lead.public_identifier.toLowerCase();
    });
    const label = lead.labels.find((l) => contact?.tags?.includes(l.name));
    if (contact && label) return { leadId: lead.id, contactId: contact.id, label: label.name, labelId: label.id };
  }
  throw new Error('the seed has no lead sharing a label with its contact');
}

/** What the soak's `People` records for an Aimfox label edit (test/soak/harness/edits.ts, aimfoxLabel). */
function removeLabel(b: Bed, log: EditLog, x: ReturnType<typeof leadSharingALabel>) {
  b.boxes.aimfox.admin.removeLabel(x.leadId, x.labelId);
  log.add({
    system: 'aimfox',
    family: 'person',
    id: x.leadId,
    op: 'update',
    field: `label:${x.label}`,
    value: 'absent',
    what: 'Aimfox label removed',
  });
}

const lostEdits = (b: Bed, baseline: Snapshot, log: EditLog) =>
  checkEdits({
    store: b.svc.sync.store,
    snap: takeSnapshot(b.boxes),
    baseline,
    edits: log.edits,
    rng: rng(1),
    auditSample: 0,
  })
    .filter((f) => f.kind === 'lost_edit')
    .map((f) => f.message);

const labelsOf = (b: Bed, leadId: string) =>
  b.boxes.aimfox.admin
    .listLeads()
    .find((l) => l.id === leadId)!
    .labels.map((l) => l.name);

describe('an Aimfox label a person removed', () => {
  it('before the lead was first linked: the first link puts it back from the HighLevel tag, and the check does not call that lost', async () => {
    bed = await startBed({ contacts: 40 });
    const baseline = takeSnapshot(bed.boxes);
    const log = new EditLog();
    const x = leadSharingALabel(bed);
    expect(bed.svc.sync.store.links.active('ghl-aimfox', 'lead')).toEqual([]);
    removeLabel(bed, log, x);
    await bed.run({ full: true });
    // Linked now, by the first run: the label is back (a first link merges labels as a union) …
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'lead', x.contactId)?.other_id).toBe(x.leadId);
    expect(labelsOf(bed, x.leadId)).toContain(x.label);
    expect(bed.boxes.ghl.admin.getContact(x.contactId)?.tags).toContain(x.label);
    // … as the mapping says (HighLevel's tags are the lead's labels): not a lost edit.
    expect(lostEdits(bed, baseline, log)).toEqual([]);
  });

  it('on a linked lead: it stays removed when HighLevel changes another tag, and the check sees it if it came back', async () => {
    bed = await startBed({ contacts: 40 });
    const baseline = takeSnapshot(bed.boxes);
    const log = new EditLog();
    await bed.run({ full: true });
    const x = leadSharingALabel(bed);
    expect(bed.svc.sync.store.links.byGhl('ghl-aimfox', 'lead', x.contactId)?.other_id).toBe(x.leadId);
    removeLabel(bed, log, x);
    // HighLevel changes the same contact's tags (another one): the lead's labels are written on this run.
    const tags = bed.boxes.ghl.admin.getContact(x.contactId)!.tags ?? [];
    bed.boxes.ghl.admin.setTags(x.contactId, [...tags, 'soak-green']);
    log.add({
      system: 'ghl',
      family: 'person',
      id: x.contactId,
      op: 'update',
      field: 'label:soak-green',
      value: 'present',
      what: 'GHL tag added',
    });
    await bed.run({ full: true });
    expect(lostEdits(bed, baseline, log)).toEqual([]);
    expect(labelsOf(bed, x.leadId)).toContain('soak-green');
    expect(labelsOf(bed, x.leadId)).not.toContain(x.label);

    // What a sync that overwrote the removal would leave behind: the check reports it, naming what the lead holds.
    bed.boxes.aimfox.admin.addLabel(x.leadId, x.labelId);
    const found = lostEdits(bed, baseline, log);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`Aimfox label removed #1 (cycle 0) on aimfox ${x.leadId}: label:${x.label} = "absent"`);
    expect(found[0]).toContain('overwritten in the system where it was made');
    expect(found[0]).toMatch(new RegExp(`\\(now labels \\[.*"${x.label}".*\\]\\)$`));
  });
});
