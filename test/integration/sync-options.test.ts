/**
 * What people configure, end to end against the sandboxes: filters by tag and business unit, a changed mapping that
 * waits for a preview, Aimfox labels flowing back when the mapping says so, appointments in the activity feed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NothingToSyncError } from '../../main/service/sync.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

async function editMapping(
  b: Bed,
  pair: 'ghl-aroflo' | 'ghl-aimfox',
  edit: (m: Awaited<ReturnType<Bed['svc']['api']['getMappings']>>[number]) => void,
) {
  const m = structuredClone((await b.svc.api.getMappings()).find((x) => x.pair === pair)!);
  edit(m);
  return b.svc.api.saveMapping({ mapping: m });
}

describe('sync options', () => {
  it('a tag filter limits which HighLevel contacts go to AroFlo', async () => {
    bed = await startBed({ contacts: 40, enable: false });
    const tagged = bed.boxes.ghl.admin.listContacts().slice(0, 3);
    for (const c of tagged) bed.boxes.ghl.admin.setTags(c.id, [...c.tags, 'to-aroflo']);
    await editMapping(bed, 'ghl-aroflo', (m) => {
      m.filters.ghlTags = ['to-aroflo'];
    });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const contactCreatesInAroflo = preview.items.filter(
      (i) => i.entity === 'contact' && i.action === 'create' && i.target === 'aroflo',
    );
    expect(contactCreatesInAroflo.length).toBeLessThanOrEqual(3);
    const taggedNames = new Set(tagged.map((c) => `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim()));
    for (const i of contactCreatesInAroflo) expect(taggedNames.has(i.label)).toBe(true);
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true });
    await bed.run({ full: true });
    const links = bed.svc.sync.store.links.active('ghl-aroflo', 'contact').map((l) => l.ghl_id);
    const ghlIds = new Set(
      bed.boxes.ghl.admin
        .listContacts()
        .filter((c) => !tagged.some((t) => t.id === c.id) && !String(c.source ?? '').startsWith('GHL Bridge'))
        .map((c) => c.id),
    );
    // Untagged HighLevel contacts that were not in AroFlo to begin with were left alone.
    expect(
      links.filter(
        (id) =>
          id &&
          ghlIds.has(id) &&
          !bed!.boxes.world.people.some(
            (p) => p.in.aroflo && p.email && p.email === bed!.boxes.ghl.admin.getContact(id)!.email,
          ),
      ).length,
    ).toBe(0);
  });

  it('a changed mapping is not synced until it has been previewed again', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await editMapping(bed, 'ghl-aroflo', (m) => {
      m.entities.find((e) => e.entity === 'note')!.enabled = false;
    });
    await editMapping(bed, 'ghl-aimfox', (m) => {
      m.entities.find((e) => e.entity === 'note')!.enabled = false;
    });
    const status = await bed.svc.api.getStatus();
    expect(status.attention.filter((a) => a.kind === 'mapping_review')).toHaveLength(2);
    await expect(bed.run()).rejects.toBeInstanceOf(NothingToSyncError);
    await expect(bed.svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true })).rejects.toThrow(/preview/);
    await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
  });

  it('Aimfox labels flow back into HighLevel tags when the mapping says both ways', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    await editMapping(bed, 'ghl-aimfox', (m) => {
      m.entities.find((e) => e.entity === 'lead')!.fields[0]!.direction = 'both';
    });
    await bed.svc.api.previewMapping({ pair: 'ghl-aimfox' });
    const link = bed.svc.sync.store.links.active('ghl-aimfox', 'lead')[0]!;
    const label = bed.boxes.aimfox.admin.createLabel('hot-lead', 'danger');
    bed.boxes.aimfox.admin.addLabel(link.other_id!, label.id);
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(link.ghl_id!)!.tags).toContain('hot-lead');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('appointments of changed HighLevel contacts appear in the activity feed once', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const c = bed.boxes.ghl.admin.listContacts()[0]!;
    bed.boxes.ghl.admin.addAppointment(c.id, { title: 'Site inspection', startTime: '2026-12-01T09:00:00.000Z' });
    bed.boxes.ghl.admin.updateContact(c.id, { lastName: `${c.lastName ?? ''}x` });
    await bed.run();
    await bed.run({ full: true });
    const feed = await bed.svc.api.listActivity({ kind: 'appointment' });
    expect(feed.filter((a) => a.summary.includes('Site inspection'))).toHaveLength(1);
    const runs = await bed.svc.api.listActivity({ kind: 'run' });
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });
});

describe('sign-in trouble', () => {
  it('a revoked HighLevel token stops the run with "sign in again", pauses sync, and a new token resumes it without loss', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const c = bed.boxes.ghl.admin.listContacts()[0]!;
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'EditedWhileSignedOut' });
    bed.boxes.ghl.admin.revokePrivateToken();
    const r = await bed.run();
    expect(r.summary.status).toBe('failed');
    expect(r.summary.message).toMatch(/sign in again|paste a new token/i);
    const status = await bed.svc.api.getStatus();
    const ghl = status.connections.find((x) => x.system === 'ghl')!;
    expect(ghl.health).toBe('signed_out');
    expect(status.attention[0]!.kind).toBe('sign_in');
    await expect(bed.run()).rejects.toThrow(/signing in again/);
    // The person pastes a new token: the edit made meanwhile still syncs.
    const fresh = bed.boxes.ghl.admin.rotatePrivateToken();
    await bed.svc.api.saveGhlPrivateToken({ token: fresh, locationId: bed.boxes.ghl.credentials.locationId });
    const ok = await bed.run();
    expect(ok.summary.status).toBe('ok');
    const l = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id);
    if (l) expect(JSON.stringify(bed.svc.sync.store.bases.get(l.id))).toContain('EditedWhileSignedOut');
  });
});
