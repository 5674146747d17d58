/**
 * Addresses carried as one field pair (main/sync/fields/README.md, "Addresses"): the country compared as its ISO code
 * (HighLevel "AU", AroFlo "Australia") and written in each side's own form, the street as one line, and empty never
 * blanks part by part.
 */
import { describe, expect, it } from 'vitest';
import type { ArofloClientRecord } from '../../main/connectors/aroflo/index.js';
import type { GhlContact } from '../../main/connectors/ghl/index.js';
import type { EntityMapping, FieldMapping } from '../../preload/contract.js';
import { projectRecord, renderWrite } from '../../main/sync/fields/project.js';
import { defaultMapping } from '../../main/sync/fields/defaults.js';
import { validateMapping } from '../../main/sync/fields/validate.js';
import { keepHeldStreet } from '../../main/sync/fields/aroflo.js';
import { countryCode, countryName } from '../../main/sync/fields/canonical.js';
import { mergeFields } from '../../main/sync/engine/mapping.js';
import { mergeRecord } from '../../main/sync/engine/merge.js';
import type { TransformEnv } from '../../main/sync/fields/types.js';

const env: TransformEnv = {
  country: 'AU',
  timeZone: 'Australia/Sydney',
  customFields: [{ id: 'cfSite', name: 'Site address', dataType: 'LARGE_TEXT' }],
};
const contact = (over: Partial<GhlContact> = {}): GhlContact => ({
  id: 'c1',
  locationId: 'L',
  firstName: 'Jo',
  lastName: 'Bloggs',
  name: null,
  email: 'jo@example.com',
  phone: null,
  additionalEmails: [],
  additionalPhones: [],
  companyName: null,
  businessId: null,
  address1: '1 Main St',
  city: 'Surry Hills',
  state: 'NSW',
  postalCode: '2010',
  country: 'AU',
  website: null,
  timezone: null,
  source: null,
  type: null,
  assignedTo: null,
  dateOfBirth: null,
  dnd: null,
  tags: [],
  customFields: [],
  dateAdded: null,
  dateUpdated: null,
  ...over,
});
const client = (over: Partial<ArofloClientRecord> = {}): ArofloClientRecord => ({
  id: 'K1',
  name: 'Jo Bloggs',
  firstName: 'Jo',
  surname: 'Bloggs',
  email: 'jo@example.com',
  archived: false,
  postable: false,
  businessUnits: [],
  address: { line1: '1 Main St', suburb: 'Surry Hills', state: 'NSW', postcode: '2010', country: 'Australia' },
  ...over,
});
const pairOf = (over: Partial<FieldMapping> = {}): FieldMapping => ({
  key: 'address',
  label: 'Address',
  ghlField: 'address',
  otherField: 'address',
  direction: 'both',
  transform: 'none',
  conflictDefault: 'ask',
  ...over,
});
const em = (...fields: FieldMapping[]): EntityMapping => ({
  entity: 'contact',
  enabled: true,
  deletePolicy: 'archive',
  fields,
});
const ghlSide = (c: GhlContact, m: EntityMapping) => projectRecord(c, undefined, 'ghl', m, env, 'ghl-aroflo').fields;
const aroSide = (c: ArofloClientRecord, m: EntityMapping) =>
  projectRecord(c, 'client', 'other', m, env, 'ghl-aroflo').fields;
const toAroflo = (changes: Record<string, string | null>, m: EntityMapping) =>
  renderWrite<{ address?: Record<string, string> }>(changes, 'client', 'other', m, env, 'update', 'ghl-aroflo').patch;

describe('the country: ISO code in the canonical value, each side writes its own form', () => {
  it('names and codes', () => {
    expect(
      ['AU', 'au', 'Australia', ' australia ', 'New Zealand', 'United Kingdom', 'USA', null].map(countryCode),
    ).toEqual(['AU', 'AU', 'AU', 'AU', 'NZ', 'GB', 'US', null]);
    expect(countryCode('Atlantis')).toBe('Atlantis');
    expect(['AU', 'NZ', 'Atlantis'].map(countryName)).toEqual(['Australia', 'New Zealand', 'Atlantis']);
  });

  it('the same address in both systems (AroFlo holds the country by name, HighLevel by code) is not a conflict', () => {
    const mapping = structuredClone(defaultMapping('ghl-aroflo'));
    mapping.entities[0]!.fields = mapping.entities[0]!.fields.filter(
      (f) => !['address1', 'city', 'state', 'postalCode'].includes(f.key),
    ).concat(pairOf());
    expect(() => validateMapping(mapping, { catalogue: { customFields: [] } })).not.toThrow();
    const m = em(pairOf());
    const merged = mergeRecord(mergeFields(m, 'ghl-aroflo'), undefined, ghlSide(contact(), m), aroSide(client(), m));
    expect(merged.conflicts).toEqual([]);
    expect(merged.toOther).toEqual({});
  });

  it('a country ⇄ country pair: equal as "AU" and "Australia"; AroFlo is written "New Zealand", HighLevel "NZ"', () => {
    const m = em(pairOf({ key: 'country', ghlField: 'country', otherField: 'country' }));
    expect(ghlSide(contact(), m)).toEqual(aroSide(client(), m));
    expect(toAroflo({ country: 'NZ' }, m).address?.country).toBe('New Zealand');
    const toGhl = renderWrite<Partial<GhlContact>>(
      aroSide(client({ address: { country: 'New Zealand' } }), m),
      undefined,
      'ghl',
      m,
      env,
      'update',
      'ghl-aroflo',
    ).patch;
    expect(toGhl.country).toBe('NZ');
  });

  it('the whole address written into AroFlo carries the country by name', () => {
    const m = em(pairOf());
    expect(toAroflo(ghlSide(contact({ country: 'NZ' }), m), m).address).toMatchObject({
      line1: '1 Main St',
      suburb: 'Surry Hills',
      country: 'New Zealand',
    });
  });
});

describe('empty never blanks, part by part', () => {
  it('on by default: a postcode cleared in HighLevel does not blank the AroFlo postcode', () => {
    const m = em(pairOf());
    const fields = mergeFields(m, 'ghl-aroflo');
    expect(fields[0]!.emptyNeverBlanks).toBe(true);
    const o0 = aroSide(client(), m);
    const g0 = ghlSide(contact(), m);
    expect(g0).toEqual(o0);
    const merged = mergeRecord(
      fields,
      { ghl: g0, other: o0 },
      ghlSide(contact({ postalCode: null, city: 'Redfern' }), m),
      o0,
    );
    const patch = toAroflo(merged.toOther, m);
    expect(patch.address?.suburb).toBe('Redfern');
    expect(patch.address).not.toHaveProperty('postcode');
  });

  it('switched off, the cleared postcode is cleared in AroFlo', () => {
    const m = em(pairOf({ emptyNeverBlanks: false }));
    expect(toAroflo(ghlSide(contact({ postalCode: null }), m), m).address?.postcode).toBe('');
  });

  it('a "Site address" text without a country line, carried into AroFlo parts, does not blank the AroFlo country', () => {
    const site = em(pairOf({ key: 'site', ghlField: 'custom:cfSite', transform: 'address_split' }));
    const typed = (v: string) => contact({ customFields: [{ id: 'cfSite', value: v }] });
    const o0 = aroSide(client(), site);
    const g0 = ghlSide(typed('1 Main St\nSurry Hills, NSW, 2010\nAustralia'), site);
    expect(g0).toEqual(o0);
    // The person edits the street in HighLevel and, as people do, leaves the country line out.
    const merged = mergeRecord(
      mergeFields(site, 'ghl-aroflo'),
      { ghl: g0, other: o0 },
      ghlSide(typed('3 Main St\nSurry Hills, NSW, 2010'), site),
      o0,
    );
    const patch = toAroflo(merged.toOther, site);
    expect(patch.address?.line1).toBe('3 Main St');
    expect(patch.address).not.toHaveProperty('country');
  });
});

describe('the street as one line', () => {
  it("AroFlo's street line 2 survives a HighLevel edit of the city", () => {
    const m = em(pairOf());
    const fields = mergeFields(m, 'ghl-aroflo');
    const aro = client({
      address: {
        line1: '1 Main St',
        line2: 'Unit 4',
        suburb: 'Surry Hills',
        state: 'NSW',
        postcode: '2010',
        country: 'Australia',
      },
    });
    const o0 = aroSide(aro, m);
    // What the bridge writes into HighLevel for it (one street line), and HighLevel reads back.
    const toGhl = renderWrite<Partial<GhlContact>>(o0, undefined, 'ghl', m, env, 'update', 'ghl-aroflo').patch;
    expect(toGhl).toMatchObject({ address1: '1 Main St, Unit 4', country: 'AU' });
    const g0 = ghlSide(contact({ ...toGhl }), m);
    expect(g0).toEqual(o0);
    const merged = mergeRecord(fields, { ghl: g0, other: o0 }, ghlSide(contact({ ...toGhl, city: 'Redfern' }), m), o0);
    const patch = toAroflo(merged.toOther, m);
    // The side keeps AroFlo's two lines when they join to the street written (sides/aroflo.ts mappedUpdate).
    keepHeldStreet(patch.address, aro.address);
    expect(patch.address).toMatchObject({ line1: '1 Main St', line2: 'Unit 4', suburb: 'Redfern' });
    // A new street replaces both lines.
    const moved = toAroflo(
      mergeRecord(fields, { ghl: g0, other: o0 }, ghlSide(contact({ ...toGhl, address1: '9 High St' }), m), o0).toOther,
      m,
    );
    keepHeldStreet(moved.address, aro.address);
    expect(moved.address).toMatchObject({ line1: '9 High St', line2: '' });
  });
});
