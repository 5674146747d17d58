/**
 * Field mapping as the sync applies it, end to end over real HTTP against the sandboxes (the bed of
 * test/support/harness.ts): the business's country and time zone, "empty never blanks", the create/update switches,
 * and the transforms in each direction (main/sync/sides/README.md, main/sync/README.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EntityMapping, PairMapping } from '../../preload/contract.js';
import { norm, startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** Change the mapping as a person does on the Mappings screen, then preview it (a changed mapping needs one). */
async function remap(b: Bed, pair: PairMapping['pair'], edit: (m: PairMapping) => void): Promise<void> {
  const m = structuredClone((await b.svc.api.getMappings()).find((x) => x.pair === pair)!);
  edit(m);
  await b.svc.api.saveMapping({ mapping: m });
  await b.svc.api.previewMapping({ pair });
}

const contactsOf = (m: PairMapping): EntityMapping => m.entities.find((e) => e.entity === 'contact')!;

/** The AroFlo record (residential client or contact of a business) linked to a HighLevel contact. */
function arofloOf(
  b: Bed,
  ghlId: string,
): { first: string; phone: string; mobile: string; email: string; edit(p: Record<string, string>): void } {
  const l = b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', ghlId);
  expect(l, `HighLevel contact ${ghlId} is linked to AroFlo`).toBeTruthy();
  const [kind, clientId, userId] = l!.other_id!.split(':');
  const a = b.boxes.aroflo.admin;
  if (kind === 'contact') {
    const x = a.getContact(userId!)!;
    return {
      first: x.givennames,
      phone: x.phone,
      mobile: x.mobile,
      email: x.email,
      edit: (p) => void a.updateContact(userId!, p),
    };
  }
  const c = a.getClient(clientId!)!;
  return {
    first: c.firstname,
    phone: c.phone,
    mobile: c.mobile,
    email: c.email,
    edit: (p) => void a.updateClient(clientId!, p),
  };
}

/** A HighLevel contact linked to AroFlo with an email and a phone on both sides. */
function linkedWithPhone(b: Bed, skip = 0) {
  const all = b.boxes.ghl.admin
    .listContacts()
    .filter((c) => c.email && c.phone && b.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id));
  const withBoth = all.filter((c) => {
    const a = arofloOf(b, c.id);
    return !!(a.mobile || a.phone);
  });
  expect(withBoth.length).toBeGreaterThan(skip);
  return withBoth[skip]!;
}

const ghlByEmail = (b: Bed, email: string) =>
  b.boxes.ghl.admin.listContacts().find((c) => norm(c.email as string) === norm(email));

describe("the business's country and time zone", () => {
  it("national phone numbers are read in the HighLevel location's country", async () => {
    bed = await startBed({ contacts: 20 });
    bed.boxes.ghl.admin.setLocation({ country: 'NZ', timezone: 'Pacific/Auckland' });
    // The bed previewed under the sandbox's own location: another country needs a new preview.
    await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    bed.boxes.aroflo.admin.createClient({
      clientname: 'Aroha Ngata',
      firstname: 'Aroha',
      surname: 'Ngata',
      mobile: '021 555 0123',
      email: 'aroha.ngata@example.nz',
    });
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    // Read as an Australian number it would have been +61 2 1555 0123.
    expect(ghlByEmail(bed, 'aroha.ngata@example.nz')?.phone).toBe('+64215550123');
  });

  it("the mapping's country wins over the location's", async () => {
    bed = await startBed({ contacts: 20 });
    bed.boxes.ghl.admin.setLocation({ country: 'NZ' });
    await remap(bed, 'ghl-aroflo', (m) => {
      m.defaults.phoneCountry = 'GB';
    });
    bed.boxes.aroflo.admin.createClient({
      clientname: 'Ada Lovelace',
      firstname: 'Ada',
      surname: 'Lovelace',
      mobile: '07700 900123',
      email: 'ada.lovelace@example.co.uk',
    });
    await bed.run({ full: true });
    expect(ghlByEmail(bed, 'ada.lovelace@example.co.uk')?.phone).toBe('+447700900123');
  });

  it("a location whose country changes does not rewrite HighLevel's phones: the pair waits for a new preview, and Status says why", async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const l = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((x) => x.other_id?.startsWith('client:') && x.ghl_id)!;
    bed.boxes.aroflo.admin.updateClient(l.other_id!.slice('client:'.length), { mobile: '0491 570 156' });
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(l.ghl_id!)!.phone).toBe('+61491570156');
    // The sub-account's country edited in HighLevel (or an agency's default US).
    bed.boxes.ghl.admin.setLocation({ country: 'US' });
    const left = await bed.run();
    expect(writesOf(left.summary)).toBe(0);
    expect(bed.boxes.ghl.admin.getContact(l.ghl_id!)!.phone).toBe('+61491570156');
    expect(bed.svc.sync.envProblems.get('ghl-aroflo')).toMatch(
      /phones are now read in US, the last preview read them in AU/,
    );
    const status = await bed.svc.api.getStatus();
    expect(
      status.attention.some((a) => a.screen === 'mappings' && /country or time zone changed/.test(a.message)),
    ).toBe(true);
    // Previewed again under US: the AroFlo number is no US number, so it is not re-read as one.
    const plan = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    expect(plan.items.some((i) => i.fields?.some((f) => f.to === '+10491570156'))).toBe(false);
    expect((await bed.run()).summary.status).not.toBe('failed');
    expect((await bed.svc.api.getStatus()).attention.some((a) => /country or time zone changed/.test(a.message))).toBe(
      false,
    );
  });

  it('a profile previewed before the bridge kept the country (an upgrade) runs on under AU and writes nothing', async () => {
    bed = await startBed({ contacts: 20 });
    bed.boxes.ghl.admin.setLocation({ country: 'AU', timezone: 'Australia/Sydney' });
    await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    await bed.run({ full: true });
    // As a stored profile of the earlier version holds it: a reviewed preview, no country or zone with it.
    const cfg = bed.svc.config;
    const c = cfg.read();
    cfg.write({ ...c, mappings: c.mappings.map((m) => ({ ...m, previewedEnv: undefined })) });
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    expect(writesOf(r.summary)).toBe(0);
    // The same upgraded profile under a US location is not run until previewed.
    bed.boxes.ghl.admin.setLocation({ country: 'US' });
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aimfox', enabled: false });
    await expect(bed.run()).rejects.toThrow(/preview the mapping again/);
  });
});

describe('empty never blanks', () => {
  it('a phone cleared in HighLevel is kept in AroFlo, and a later phone in HighLevel still flows', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const c = linkedWithPhone(bed);
    const before = arofloOf(bed, c.id);
    bed.boxes.ghl.admin.updateContact(c.id, { phone: null });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    const after = arofloOf(bed, c.id);
    expect([after.mobile, after.phone]).toEqual([before.mobile, before.phone]);
    // HighLevel is not refilled either: the empty value simply does not travel.
    expect(bed.boxes.ghl.admin.getContact(c.id)!.phone ?? null).toBeNull();
    expect(writesOf((await bed.run()).summary)).toBe(0);
    bed.boxes.ghl.admin.updateContact(c.id, { phone: '+61491570006' });
    await bed.run();
    expect(arofloOf(bed, c.id).mobile).toBe('+61491570006');
  });

  it('a value cleared in AroFlo (a first name, or a phone) is kept in HighLevel', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const c = linkedWithPhone(bed, 1);
    const l = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id)!;
    // A contact of a business (a residential client's first name is part of its name).
    if (l.other_id!.startsWith('contact:')) arofloOf(bed, c.id).edit({ givennames: '' });
    else arofloOf(bed, c.id).edit({ mobile: '', phone: '' });
    await bed.run();
    const now = bed.boxes.ghl.admin.getContact(c.id)!;
    expect(now.firstName).toBe(c.firstName);
    expect(now.phone).toBe(c.phone);
  });

  it('switched off for a field, a cleared value clears the other side', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      contactsOf(m).fields.find((f) => f.key === 'phone')!.emptyNeverBlanks = false;
    });
    const c = linkedWithPhone(bed);
    bed.boxes.ghl.admin.updateContact(c.id, { phone: null });
    await bed.run();
    const after = arofloOf(bed, c.id);
    expect(after.mobile || null).toBeNull();
  });
});

describe('create and update switches', () => {
  it('create off towards AroFlo, update on: nobody new is made in AroFlo, people in both are linked and edits flow', async () => {
    bed = await startBed({ contacts: 30, enable: false });
    await remap(bed, 'ghl-aroflo', (m) => {
      contactsOf(m).create = { toGhl: true, toOther: false };
    });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    expect(
      preview.items.filter((i) => i.entity === 'contact' && i.action === 'create' && i.target === 'aroflo'),
    ).toEqual([]);
    expect(preview.items.some((i) => i.entity === 'contact' && i.action === 'create' && i.target === 'ghl')).toBe(true);
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true });
    const clientsBefore = bed.boxes.aroflo.admin.listClients().length;
    const contactsBefore = bed.boxes.aroflo.admin.listContacts().length;
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    expect(bed.boxes.aroflo.admin.listClients().length).toBe(clientsBefore);
    expect(bed.boxes.aroflo.admin.listContacts().length).toBe(contactsBefore);
    // People in both systems were linked (matching still links), and people only in HighLevel stay unlinked.
    const world = bed.boxes.world;
    expect(world.people.some((p) => p.in.ghl && p.in.aroflo)).toBe(true);
    const ghlOnly = world.people.filter((p) => p.in.ghl && !p.in.aroflo && p.email && !p.ghlDuplicateKey);
    expect(ghlOnly.length).toBeGreaterThan(0);
    for (const p of ghlOnly) {
      const g = ghlByEmail(bed!, p.email!)!;
      expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', g.id), p.email!).toBeUndefined();
    }
    const c = linkedWithPhone(bed);
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'Renamed' });
    await bed.run();
    expect(arofloOf(bed, c.id).first).toBe('Renamed');
  });

  it('update off towards AroFlo holds edits back; switched on again, the held-back edit flows', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      contactsOf(m).update = { toGhl: true, toOther: false };
    });
    const c = linkedWithPhone(bed);
    const first = arofloOf(bed, c.id).first;
    bed.boxes.ghl.admin.updateContact(c.id, { firstName: 'HeldBack' });
    const off = await bed.run();
    expect(off.summary.status).toBe('ok');
    expect(arofloOf(bed, c.id).first).toBe(first);
    // AroFlo → HighLevel still updates.
    const d = linkedWithPhone(bed, 1);
    arofloOf(bed, d.id).edit({ email: 'moved@example.com' });
    await bed.run();
    expect(norm(bed.boxes.ghl.admin.getContact(d.id)!.email as string)).toBe('moved@example.com');
    await remap(bed, 'ghl-aroflo', (m) => {
      delete contactsOf(m).update;
    });
    await bed.run();
    expect(arofloOf(bed, c.id).first).toBe('HeldBack');
  });
});

/** A HighLevel contact linked to a residential AroFlo client (the client's own fields are the person's). */
function linkedResident(b: Bed, skip = 0): { ghlId: string; clientId: string } {
  const links = b.svc.sync.store.links
    .active('ghl-aroflo', 'contact')
    .filter((l) => l.other_id?.startsWith('client:') && l.ghl_id && b.boxes.ghl.admin.getContact(l.ghl_id));
  expect(links.length).toBeGreaterThan(skip);
  const l = links[skip]!;
  return { ghlId: l.ghl_id!, clientId: l.other_id!.slice('client:'.length) };
}

/** Add a field pair to the contact mapping (as "Add field" on the Mappings screen does). */
async function addPair(
  b: Bed,
  pair: Partial<EntityMapping['fields'][number]> & { key: string; ghlField: string; otherField: string },
): Promise<void> {
  await remap(b, 'ghl-aroflo', (m) => {
    contactsOf(m).fields.push({
      label: pair.key,
      direction: 'both',
      transform: 'none',
      conflictDefault: 'ask',
      ...pair,
    });
  });
}

const customValue = (b: Bed, ghlId: string, fieldId: string) =>
  (b.boxes.ghl.admin.getContact(ghlId)!.customFields as Array<{ id: string; value: unknown }>).find(
    (f) => f.id === fieldId,
  )?.value;

describe('field pairs beyond the four defaults', () => {
  it('HighLevel custom field ⇄ AroFlo client field: synced both ways, a later edit on either side flows back', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const abn = bed.boxes.ghl.admin.addCustomField({ name: 'ABN', dataType: 'TEXT' });
    await addPair(bed, { key: 'abn', label: 'ABN', ghlField: `custom:${abn.id}`, otherField: 'abn' });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { customFields: [{ id: abn.id, value: '51 824 753 556' }] });
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.abn).toBe('51 824 753 556');
    // Back: an edit in AroFlo reaches the HighLevel custom field.
    bed.boxes.aroflo.admin.updateClient(p.clientId, { abn: '11 222 333 444' });
    await bed.run();
    expect(customValue(bed, p.ghlId, abn.id)).toBe('11 222 333 444');
    // And a value typed in AroFlo for another person reaches HighLevel too.
    const q = linkedResident(bed, 1);
    bed.boxes.aroflo.admin.updateClient(q.clientId, { abn: '99 888 777 666' });
    await bed.run();
    expect(customValue(bed, q.ghlId, abn.id)).toBe('99 888 777 666');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('HighLevel address ⇄ AroFlo street address: synced both ways, a later edit on either side flows back', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    // The address as one pair instead of the default's four part pairs.
    await remap(bed, 'ghl-aroflo', (m) => {
      const c = contactsOf(m);
      c.fields = c.fields.filter((f) => !['address1', 'city', 'state', 'postalCode'].includes(f.key));
      c.fields.push({
        key: 'address',
        label: 'Address',
        ghlField: 'address',
        otherField: 'address',
        direction: 'both',
        transform: 'none',
        conflictDefault: 'ask',
      });
    });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, {
      address1: '4 Ocean Parade',
      city: 'Torquay',
      state: 'VIC',
      postalCode: '3228',
      country: 'AU',
    });
    await bed.run();
    const a = bed.boxes.aroflo.admin.getClient(p.clientId)!.address;
    // Each side in its own form: AroFlo holds the country by name, HighLevel by code (one value when compared).
    expect([a.addressline1, a.suburb, a.state, a.postcode, a.country]).toEqual([
      '4 Ocean Parade',
      'Torquay',
      'VIC',
      '3228',
      'Australia',
    ]);
    expect(bed.svc.sync.store.conflicts.countOpen('conflict')).toBe(0);
    // A second street line in AroFlo: HighLevel's one street line holds both, and AroFlo keeps its two lines when
    // HighLevel then changes another part.
    bed.boxes.aroflo.admin.updateClient(p.clientId, {
      address: { ...a, addressline2: 'Unit 2', suburb: 'Jan Juc', postcode: '3228' },
    });
    await bed.run();
    const g = bed.boxes.ghl.admin.getContact(p.ghlId)!;
    expect([g.address1, g.city, g.state, g.postalCode, g.country]).toEqual([
      '4 Ocean Parade, Unit 2',
      'Jan Juc',
      'VIC',
      '3228',
      'AU',
    ]);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { postalCode: '3229' });
    await bed.run();
    const b = bed.boxes.aroflo.admin.getClient(p.clientId)!.address;
    expect([b.addressline1, b.addressline2, b.suburb, b.postcode, b.country]).toEqual([
      '4 Ocean Parade',
      'Unit 2',
      'Jan Juc',
      '3229',
      'Australia',
    ]);
    expect(writesOf((await bed.run()).summary)).toBe(0);
    expect(bed.svc.sync.store.conflicts.countOpen('conflict')).toBe(0);
  });

  it('"Lower case" stores a different value than "None", and the lossy pair settles: the second sync writes nothing', async () => {
    for (const transform of ['none', 'lowercase'] as const) {
      bed = await startBed({ contacts: 20 });
      await bed.run({ full: true });
      await addPair(bed, { key: 'website', label: 'Website', ghlField: 'website', otherField: 'website', transform });
      const p = linkedResident(bed);
      bed.boxes.ghl.admin.updateContact(p.ghlId, { website: 'https://Harbour.example/Plumbing' });
      await bed.run();
      expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.website).toBe(
        transform === 'none' ? 'https://Harbour.example/Plumbing' : 'https://harbour.example/plumbing',
      );
      // HighLevel keeps what the person typed; both sides hold the same canonical value, so nothing ping-pongs.
      expect(bed.boxes.ghl.admin.getContact(p.ghlId)!.website).toBe('https://Harbour.example/Plumbing');
      expect(writesOf((await bed.run()).summary)).toBe(0);
      expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
      await bed.close();
      bed = undefined;
    }
  });

  it('a custom field deleted in HighLevel keeps its mapping, the run does not fail, and AroFlo keeps its value', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const abn = bed.boxes.ghl.admin.addCustomField({ name: 'ABN', dataType: 'TEXT' });
    await addPair(bed, { key: 'abn', label: 'ABN', ghlField: `custom:${abn.id}`, otherField: 'abn' });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { customFields: [{ id: abn.id, value: '51 824 753 556' }] });
    await bed.run();
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.abn).toBe('51 824 753 556');
    expect(bed.boxes.ghl.admin.deleteCustomField(abn.id)).toBe(true);
    const r = await bed.run({ full: true });
    expect(r.summary.status).toBe('ok');
    expect(r.summary.errors).toBe(0);
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.abn).toBe('51 824 753 556');
    const m = (await bed.svc.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!;
    expect(contactsOf(m).fields.some((f) => f.ghlField === `custom:${abn.id}`)).toBe(true);
  });
});

describe('one transform at a time, each direction', () => {
  /** A bed after a first full sync, with one more contact field pair. */
  async function bedWith(pair: Parameters<typeof addPair>[1]): Promise<Bed> {
    const b = await startBed({ contacts: 20 });
    await b.run({ full: true });
    await addPair(b, pair);
    return b;
  }

  it('Upper case, HighLevel → AroFlo and AroFlo → HighLevel', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const code = bed.boxes.ghl.admin.addCustomField({ name: 'Site code', dataType: 'TEXT' });
    await addPair(bed, { key: 'siteCode', ghlField: `custom:${code.id}`, otherField: 'abn', transform: 'uppercase' });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { customFields: [{ id: code.id, value: 'gee-12' }] });
    await bed.run();
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.abn).toBe('GEE-12');
    bed.boxes.aroflo.admin.updateClient(p.clientId, { abn: 'tor-7' });
    await bed.run();
    expect(customValue(bed, p.ghlId, code.id)).toBe('TOR-7');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('Lower case, AroFlo → HighLevel', async () => {
    bed = await bedWith({ key: 'website', ghlField: 'website', otherField: 'website', transform: 'lowercase' });
    const p = linkedResident(bed);
    bed.boxes.aroflo.admin.updateClient(p.clientId, { website: 'HTTPS://SURF.EXAMPLE/Shop' });
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(p.ghlId)!.website).toBe('https://surf.example/shop');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('Trim spaces, HighLevel → AroFlo and AroFlo → HighLevel', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const abn = bed.boxes.ghl.admin.addCustomField({ name: 'ABN', dataType: 'TEXT' });
    await addPair(bed, { key: 'abn', ghlField: `custom:${abn.id}`, otherField: 'abn', transform: 'trim' });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { customFields: [{ id: abn.id, value: '  51 824 753 556  ' }] });
    await bed.run();
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.abn).toBe('51 824 753 556');
    bed.boxes.aroflo.admin.updateClient(p.clientId, { abn: ' 11 222 333 444 ' });
    await bed.run();
    expect(customValue(bed, p.ghlId, abn.id)).toBe('11 222 333 444');
  });

  it('Phone in international format, HighLevel → AroFlo and AroFlo → HighLevel (a national number read in the country)', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { phone: '+61 491 570 006' });
    await bed.run();
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.mobile).toBe('+61491570006');
    bed.boxes.aroflo.admin.updateClient(p.clientId, { mobile: '0491 570 156' });
    await bed.run();
    expect(bed.boxes.ghl.admin.getContact(p.ghlId)!.phone).toBe('+61491570156');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('a phone the transform cannot read is kept as typed, with a warning in the preview and the log', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const p = linkedResident(bed);
    bed.boxes.aroflo.admin.updateClient(p.clientId, { mobile: '12', phone: '' });
    const preview = await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const item = preview.items.find(
      (i) =>
        i.action === 'update' && i.target === 'ghl' && i.entity === 'contact' && i.fields?.some((f) => f.to === '12'),
    );
    expect(item?.reason).toMatch(/could not be converted.*"12"/);
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(bed.boxes.aroflo.admin.getClient(p.clientId)!.mobile).toBe('12');
    const logs = await bed.svc.api.listLogs({ level: 'warn', query: 'could not convert' });
    expect(logs.some((l) => l.message.includes('"12"'))).toBe(true);
  });
});

/**
 * The structural transforms, each direction a pair of the systems has. Pairs the systems do not offer (and so not
 * tested here over HTTP; the transforms themselves are unit-tested both ways in test/unit/fields-transforms.test.ts):
 * - name_join HighLevel → AroFlo: no AroFlo field holds a full name that the bridge may write (the client name is
 *   read only: the side names clients, main/sync/fields/README.md), and Aimfox has no text field on a lead.
 * - address_join, either direction: no AroFlo or Aimfox text field holds an address (AroFlo keeps addresses as parts).
 * - date on a HighLevel DATE custom field ⇄ an AroFlo date field: AroFlo people have no date field; the task due date
 *   is the pair both systems have (HighLevel date-time ⇄ AroFlo date).
 * - set_picklist towards AroFlo: AroFlo people have no picklist or set; the pair tested is HighLevel's dropdown custom
 *   field ⇄ Aimfox labels.
 */
const tasksOf = (m: PairMapping): EntityMapping => m.entities.find((e) => e.entity === 'task')!;

/** A HighLevel task on a contact linked to a residential AroFlo client, synced once: both ids. */
async function syncedTask(
  b: Bed,
  input: { title: string; dueDate: string; completed?: boolean },
): Promise<{ ghlId: string; contactId: string; taskId: string; jobId: string }> {
  const p = linkedResident(b);
  const t = b.boxes.ghl.admin.createTask(p.ghlId, input);
  const r = await b.run();
  expect(r.summary.status).toBe('ok');
  const l = b.svc.sync.store.links.byGhl('ghl-aroflo', 'task', `${p.ghlId}/${t.id}`);
  expect(l?.other_id, 'the HighLevel task became an AroFlo job').toBeTruthy();
  return { ghlId: `${p.ghlId}/${t.id}`, contactId: p.ghlId, taskId: t.id, jobId: l!.other_id! };
}

const ghlTask = (b: Bed, contactId: string, taskId: string) =>
  b.boxes.ghl.admin.listTasks(contactId).find((t) => t.id === taskId)!;

describe('structural transforms, each direction', () => {
  it('Date in the business time zone: a HighLevel due date reaches AroFlo as its day in that zone, and an AroFlo due date comes back as 09:00 there', async () => {
    bed = await startBed({ contacts: 20 });
    bed.boxes.ghl.admin.setLocation({ timezone: 'Pacific/Auckland' });
    // A changed time zone is part of what a preview reviews: the pair waits for a new one.
    await bed.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      tasksOf(m).fields.find((f) => f.key === 'dueDate')!.transform = 'date';
    });
    // 20:00 UTC on 10 December is 09:00 on 11 December in Auckland (the UTC day, what 'None' reads, is the 10th).
    const t = await syncedTask(bed, { title: 'Check the gutters', dueDate: '2026-12-10T20:00:00.000Z' });
    expect(bed.boxes.aroflo.admin.getTask(t.jobId)!.duedate).toBe('2026-12-11');
    bed.boxes.aroflo.admin.updateTask(t.jobId, { duedate: '2026-12-20' });
    await bed.run({ full: true });
    // 09:00 on 20 December in Auckland (NZDT, UTC+13).
    expect(ghlTask(bed, t.contactId, t.taskId).dueDate).toBe('2026-12-19T20:00:00.000Z');
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('Value map, HighLevel → AroFlo: a value the map names is written as mapped, an unnamed one as the default', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      const f = tasksOf(m).fields.find((x) => x.key === 'completed')!;
      f.valueMap = { true: 'Completed' };
      f.valueMapDefault = { toOther: 'In Progress' };
    });
    const t = await syncedTask(bed, { title: 'Quote the roof', dueDate: '2026-12-10T09:00:00.000Z' });
    // A task edit does not change its contact: a full run reads it (HighLevel has no change feed for tasks).
    bed.boxes.ghl.admin.completeTask(t.contactId, t.taskId, true);
    await bed.run({ full: true });
    expect(bed.boxes.aroflo.admin.getTask(t.jobId)!.status).toBe('Completed');
    bed.boxes.ghl.admin.completeTask(t.contactId, t.taskId, false);
    await bed.run({ full: true });
    // "Not completed" is not in the map: the default.
    expect(bed.boxes.aroflo.admin.getTask(t.jobId)!.status).toBe('In Progress');
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('Value map, AroFlo → HighLevel: a status the map does not name takes the default', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      tasksOf(m).fields.find((x) => x.key === 'completed')!.valueMapDefault = { toGhl: 'true' };
    });
    const t = await syncedTask(bed, { title: 'Order the tank', dueDate: '2026-12-10T09:00:00.000Z' });
    bed.boxes.aroflo.admin.setTaskStatus(t.jobId, 'Pending');
    await bed.run({ full: true });
    expect(ghlTask(bed, t.contactId, t.taskId).completed).toBe(true);
    bed.boxes.aroflo.admin.setTaskStatus(t.jobId, 'Not Started');
    await bed.run({ full: true });
    expect(ghlTask(bed, t.contactId, t.taskId).completed).toBe(false);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  /** The contact mapping without the first/last name pairs (a name pair below writes those fields). */
  const withoutNames = (m: PairMapping) => {
    contactsOf(m).fields = contactsOf(m).fields.filter((f) => f.key !== 'firstName' && f.key !== 'lastName');
  };

  it('Full name ⇄ first + last name (name_split), HighLevel → AroFlo and AroFlo → HighLevel', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const full = bed.boxes.ghl.admin.addCustomField({ name: 'Account holder', dataType: 'TEXT' });
    await remap(bed, 'ghl-aroflo', (m) => {
      withoutNames(m);
      contactsOf(m).fields.push({
        key: 'holder',
        label: 'Account holder',
        ghlField: `custom:${full.id}`,
        otherField: 'name',
        direction: 'both',
        transform: 'name_split',
        conflictDefault: 'ask',
      });
    });
    // The first run fills the new HighLevel field from AroFlo's name.
    await bed.run();
    const p = linkedResident(bed);
    const before = bed.boxes.aroflo.admin.getClient(p.clientId)!;
    expect(customValue(bed, p.ghlId, full.id)).toBe(`${before.firstname} ${before.surname}`);
    bed.boxes.ghl.admin.updateContact(p.ghlId, { customFields: [{ id: full.id, value: 'Mere  Aroha Tane' }] });
    await bed.run();
    const c = bed.boxes.aroflo.admin.getClient(p.clientId)!;
    expect([c.firstname, c.surname]).toEqual(['Mere Aroha', 'Tane']);
    bed.boxes.aroflo.admin.updateClient(p.clientId, { firstname: 'Hemi', surname: 'Walker' });
    await bed.run();
    expect(customValue(bed, p.ghlId, full.id)).toBe('Hemi Walker');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('First + last name ⇄ full name (name_join), AroFlo → HighLevel: the client name becomes the first and last name', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    await remap(bed, 'ghl-aroflo', (m) => {
      withoutNames(m);
      contactsOf(m).fields.push({
        key: 'name',
        label: 'Name',
        ghlField: 'fullName',
        otherField: 'clientname',
        direction: 'to_ghl',
        transform: 'name_join',
        conflictDefault: 'ask',
      });
    });
    const p = linkedResident(bed);
    bed.boxes.aroflo.admin.updateClient(p.clientId, { clientname: 'Ana  Maria Lopez' });
    await bed.run({ full: true });
    const g = bed.boxes.ghl.admin.getContact(p.ghlId)!;
    expect([g.firstName, g.lastName]).toEqual(['Ana Maria', 'Lopez']);
    expect(writesOf((await bed.run({ full: true })).summary)).toBe(0);
  });

  it('One address text ⇄ address parts (address_split), HighLevel → AroFlo and AroFlo → HighLevel', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const site = bed.boxes.ghl.admin.addCustomField({ name: 'Site address', dataType: 'LARGE_TEXT' });
    await remap(bed, 'ghl-aroflo', (m) => {
      contactsOf(m).fields = contactsOf(m).fields.filter(
        (f) => !['address1', 'city', 'state', 'postalCode'].includes(f.key),
      );
      contactsOf(m).fields.push({
        key: 'site',
        label: 'Site address',
        ghlField: `custom:${site.id}`,
        otherField: 'address',
        direction: 'both',
        transform: 'address_split',
        conflictDefault: 'ask',
      });
    });
    const p = linkedResident(bed);
    bed.boxes.ghl.admin.updateContact(p.ghlId, {
      customFields: [{ id: site.id, value: '12 Kent St\nMillers Point, NSW, 2000\nAustralia' }],
    });
    await bed.run();
    const a = bed.boxes.aroflo.admin.getClient(p.clientId)!.address;
    expect([a.addressline1, a.suburb, a.state, a.postcode, a.country]).toEqual([
      '12 Kent St',
      'Millers Point',
      'NSW',
      '2000',
      'Australia',
    ]);
    bed.boxes.aroflo.admin.updateClient(p.clientId, { address: { ...a, suburb: 'Dawes Point' } });
    await bed.run();
    expect(customValue(bed, p.ghlId, site.id)).toBe('12 Kent St\nDawes Point, NSW, 2000\nAustralia');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });

  it('Tags ⇄ one choice (set_picklist): a HighLevel dropdown ⇄ the Aimfox lead labels, both ways', async () => {
    bed = await startBed({ contacts: 40 });
    await bed.run({ full: true });
    const stage = bed.boxes.ghl.admin.addCustomField({
      name: 'Stage',
      dataType: 'SINGLE_OPTIONS',
      picklistOptions: ['Hot', 'Warm', 'Cold'],
    });
    // Leads start without labels, so the new pair starts settled.
    const af = bed.boxes.aimfox.admin;
    const links = bed.svc.sync.store.links.active('ghl-aimfox', 'lead');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) for (const x of af.getLead(l.other_id!)?.labels ?? []) af.removeLabel(l.other_id!, x.id);
    await remap(bed, 'ghl-aimfox', (m) => {
      const lead = m.entities.find((e) => e.entity === 'lead')!;
      lead.fields = [
        {
          key: 'stage',
          label: 'Stage',
          ghlField: `custom:${stage.id}`,
          otherField: 'labels',
          direction: 'both',
          transform: 'set_picklist',
          conflictDefault: 'ask',
        },
      ];
    });
    await bed.run();
    const l = links[0]!;
    bed.boxes.ghl.admin.updateContact(l.ghl_id!, { customFields: [{ id: stage.id, value: 'Hot' }] });
    await bed.run();
    expect(af.getLead(l.other_id!)!.labels.map((x) => x.name)).toEqual(['Hot']);
    const hot = af.getLead(l.other_id!)!.labels[0]!;
    af.removeLabel(l.other_id!, hot.id);
    af.addLabel(l.other_id!, af.createLabel('Warm').id);
    await bed.run();
    expect(customValue(bed, l.ghl_id!, stage.id)).toBe('Warm');
    expect(writesOf((await bed.run()).summary)).toBe(0);
  });
});
