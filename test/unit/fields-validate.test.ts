/**
 * Saving a mapping (main/sync/fields/README.md "Validation" and "Stored mappings"): refusals name the field, and
 * every mapping stored before the catalogue keeps its fingerprint, so its reviewed preview stays valid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '../../main/service/index.js';
import type { FieldMapping, PairMapping } from '../../preload/contract.js';
import { defaultMapping } from '../../main/sync/fields/defaults.js';
import { mappingFingerprint } from '../../main/sync/fields/fingerprint.js';
import { MappingError, validateMapping, validateMappingReport } from '../../main/sync/fields/validate.js';
import type { CustomFieldDef } from '../../main/sync/fields/types.js';
import oldDefaults from './fixtures/old-default-mappings.json' with { type: 'json' };

const customFields: CustomFieldDef[] = [
  { id: 'cfAbn', name: 'ABN', dataType: 'TEXT' },
  { id: 'cfSite', name: 'Site address', dataType: 'LARGE_TEXT' },
];
const catalogue = { customFields };
const fm = (key: string, ghlField: string, otherField: string, extra: Partial<FieldMapping> = {}): FieldMapping => ({
  key,
  label: key,
  ghlField,
  otherField,
  direction: 'both',
  transform: 'none',
  conflictDefault: 'ask',
  ...extra,
});
const withContactFields = (...fields: FieldMapping[]): PairMapping => {
  const m = structuredClone(defaultMapping('ghl-aroflo'));
  m.entities[0]!.fields.push(...fields);
  return m;
};
const refusal = (m: unknown, opts = { catalogue }) => {
  try {
    validateMapping(m, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(MappingError);
    return (e as Error).message;
  }
  throw new Error('the mapping was accepted');
};

describe('stored mappings keep their fingerprint', () => {
  // The two fingerprints below were derived by running main's main/sync/engine/mapping.ts defaultMapping (before the
  // field catalogue, commit 2d9ea0c) — `npx tsx` printing defaultMapping(pair).fingerprint — and the mappings
  // themselves were saved from that run into fixtures/old-default-mappings.json.
  const OLD = { 'ghl-aroflo': 'c983338d0d3ee80f', 'ghl-aimfox': 'f6373ae3ffadc97d' } as const;

  it('every default mapping from the old defaults keeps its fingerprint through the new fingerprint and validation', () => {
    for (const old of oldDefaults as PairMapping[]) {
      expect(old.fingerprint).toBe(OLD[old.pair]);
      expect(mappingFingerprint(old)).toBe(OLD[old.pair]);
      const saved = validateMapping(old, { catalogue });
      expect(saved.fingerprint).toBe(OLD[old.pair]);
      expect(saved).toEqual(old);
    }
  });

  it('the new defaults keep every old field pair unchanged and pass the catalogue checks', () => {
    for (const old of oldDefaults as PairMapping[]) {
      const now = defaultMapping(old.pair);
      for (const e of old.entities) {
        const fields = now.entities.find((x) => x.entity === e.entity)!.fields;
        for (const f of e.fields) expect(fields.find((x) => x.key === f.key)).toEqual(f);
      }
      expect(validateMapping(now, { catalogue }).fingerprint).toBe(now.fingerprint);
    }
    const contact = defaultMapping('ghl-aroflo').entities[0]!.fields.map((f) => `${f.ghlField}⇄${f.otherField}`);
    expect(contact).toEqual(
      expect.arrayContaining(['address1⇄addressline1', 'city⇄suburb', 'state⇄state', 'postalCode⇄postcode']),
    );
  });

  it('new optional members are kept and hashed: a changed phone country needs a new preview', () => {
    const m = defaultMapping('ghl-aroflo');
    const nz = validateMapping({ ...m, defaults: { phoneCountry: 'NZ', timeZone: 'Pacific/Auckland' } }, { catalogue });
    expect(nz.defaults).toEqual({ phoneCountry: 'NZ', timeZone: 'Pacific/Auckland' });
    expect(nz.fingerprint).not.toBe(m.fingerprint);
    const opts = withContactFields(
      fm('abn', 'custom:cfAbn', 'abn', { emptyNeverBlanks: false, valueMapDefault: { toGhl: 'x' } }),
    );
    opts.entities[0]!.create = { toGhl: false, toOther: true };
    const saved = validateMapping(opts, { catalogue });
    expect(saved.entities[0]!.fields.at(-1)).toMatchObject({
      emptyNeverBlanks: false,
      valueMapDefault: { toGhl: 'x' },
    });
    expect(saved.entities[0]!.create).toEqual({ toGhl: false, toOther: true });
  });
});

describe('refusals name the field', () => {
  it('a field the other system does not have', () => {
    expect(refusal(withContactFields(fm('site', 'custom:cfSite', 'foo', { label: 'Site address' })))).toBe(
      'The mapping is not valid: "Site address" — AroFlo has no field "foo" on clients.',
    );
    expect(refusal(withContactFields(fm('x', 'nickname', 'abn', { label: 'Nickname' })))).toBe(
      'The mapping is not valid: "Nickname" — HighLevel has no field "nickname" on contacts.',
    );
  });

  it('a transform that does not carry the two types, and two types nothing can pair', () => {
    expect(
      refusal(withContactFields(fm('abn', 'custom:cfAbn', 'abn', { label: 'ABN', transform: 'phone_e164' }))),
    ).toMatch(
      /^The mapping is not valid: "ABN" — the transform "Phone in international format" cannot carry HighLevel's "ABN" \(text\) to AroFlo's "ABN" \(text\); choose one of "None", /,
    );
    expect(refusal(withContactFields(fm('dnd', 'dnd', 'email', { label: 'DND' })))).toBe(
      'The mapping is not valid: "DND" — HighLevel\'s "Do not disturb" (boolean) and AroFlo\'s "Email" (email) cannot be paired.',
    );
  });

  it('two field pairs writing one field on the same side, composites counting their parts', () => {
    expect(refusal(withContactFields(fm('abn2', 'custom:cfAbn', 'postcode', { label: 'ABN again' })))).toBe(
      'The mapping is not valid: "ABN again" — AroFlo\'s "Street postcode" is already written by "Postcode".',
    );
    expect(
      refusal(
        withContactFields(
          fm('site', 'custom:cfSite', 'address', {
            label: 'Site address',
            transform: 'address_split',
            direction: 'to_other',
          }),
        ),
      ),
    ).toBe(
      'The mapping is not valid: "Site address" — AroFlo\'s "Street address line 1" is already written by "Street address".',
    );
    // Reading one field into two places is fine: only writes collide.
    expect(() =>
      validateMapping(
        withContactFields(fm('site', 'custom:cfSite', 'address', { transform: 'address_split', direction: 'to_ghl' })),
        { catalogue },
      ),
    ).not.toThrow();
  });

  it('a field the target system cannot write', () => {
    const m = defaultMapping('ghl-aroflo');
    m.entities[1]!.fields.push(
      fm('prio', 'title', 'priority', { label: 'Priority', direction: 'to_other', key: 'prio' }),
    );
    m.entities[1]!.fields[0]!.direction = 'to_ghl';
    expect(refusal(m)).toBe(
      'The mapping is not valid: "Priority" — AroFlo\'s "Priority" cannot be written through its API; let the field flow only from AroFlo.',
    );
    // The client's name stays the side's: a residential client is recognised by it.
    expect(
      refusal(
        withContactFields(fm('company', 'companyName', 'clientname', { label: 'Company', direction: 'to_other' })),
      ),
    ).toBe(
      'The mapping is not valid: "Company" — AroFlo\'s "Client name" cannot be written through its API; let the field flow only from AroFlo.',
    );
  });

  it('a HighLevel custom field missing from the location: refused when new, kept and flagged when the saved mapping had it', () => {
    const m = withContactFields(fm('gone', 'custom:cfGone', 'website', { label: 'Old field' }));
    expect(refusal(m)).toBe(
      'The mapping is not valid: "Old field" — the HighLevel custom field "cfGone" does not exist in this location.',
    );
    const report = validateMappingReport(m, { catalogue, previous: m });
    expect(report.flagged).toEqual(['Old field (custom:cfGone)']);
    expect(report.mapping.entities[0]!.fields.at(-1)!.ghlField).toBe('custom:cfGone');
  });

  it('HighLevel tags are not written through "Tags ⇄ one choice": one choice would replace every other tag of the contact', () => {
    const kind = fm('kind', 'tags', 'abn', { label: 'Kind', transform: 'set_picklist' });
    expect(refusal(withContactFields(kind))).toBe(
      'The mapping is not valid: "Kind" — "Tags ⇄ one choice" would replace every other HighLevel tag of the contact with the one choice; let it flow only from HighLevel, or pair the tags with a list of labels.',
    );
    expect(refusal(withContactFields({ ...kind, direction: 'to_ghl' }))).toMatch(
      /would replace every other HighLevel tag/,
    );
    // Read from HighLevel only, the tags are never written.
    expect(() => validateMapping(withContactFields({ ...kind, direction: 'to_other' }), { catalogue })).not.toThrow();
  });

  it("HighLevel's Source is read only (GHL Bridge marks the contacts it creates there): a pair may read it, never write it", () => {
    const src = fm('src', 'source', 'website', { label: 'Source ⇄ Website' });
    expect(refusal(withContactFields(src))).toBe(
      'The mapping is not valid: "Source ⇄ Website" — HighLevel\'s "Source" is written by GHL Bridge itself (it marks the contacts it creates); let the field flow only from HighLevel.',
    );
    expect(() => validateMapping(withContactFields({ ...src, direction: 'to_other' }), { catalogue })).not.toThrow();
  });

  it('HighLevel not connected: the fields are still checked, a HighLevel custom field is kept and flagged as unknown', () => {
    const unknown = { catalogue: { customFields: [] }, customFieldsUnknown: true };
    expect(refusal(withContactFields(fm('x', 'website', 'no-such-field', { label: 'X' })), unknown)).toBe(
      'The mapping is not valid: "X" — AroFlo has no field "no-such-field" on clients.',
    );
    expect(refusal(withContactFields(fm('y', 'companyName', 'mobileOnly', { label: 'Y' })), unknown)).toMatch(
      /"Y" — AroFlo's "Mobile.*" is already written by "Phone"/,
    );
    const site = fm('site', 'custom:cfSite', 'abn', { label: 'Site' });
    const report = validateMappingReport(withContactFields(site), unknown);
    expect(report.flagged).toEqual(['Site (custom:cfSite): unknown until HighLevel is connected']);
    expect(refusal(withContactFields({ ...site, otherField: 'nope' }), unknown)).toMatch(/AroFlo has no field "nope"/);
  });

  it('a mapping saved on the Mappings screen while HighLevel is not connected is checked against the fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-validate-'));
    const svc = await createService({
      profileDir: join(dir, 'p'),
      env: { GHL_BRIDGE_VAULT_KEY: '5d1f0c3b7a9e4d2c8b6a0f1e3d5c7b9a2e4f6a8c0d2e4f6a8b0c2d4e6f8a0b2c' },
    });
    try {
      await expect(
        svc.api.saveMapping({ mapping: withContactFields(fm('x', 'website', 'no-such-field', { label: 'X' })) }),
      ).rejects.toThrow(/AroFlo has no field "no-such-field"/);
      const site = fm('site', 'custom:cfSite', 'abn', { label: 'Site' });
      const saved = await svc.api.saveMapping({ mapping: withContactFields(site) });
      expect(saved.entities[0]!.fields.at(-1)!.ghlField).toBe('custom:cfSite');
    } finally {
      await svc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shape errors as before; without a catalogue only the shape is checked', () => {
    expect(refusal({ ...defaultMapping('ghl-aroflo'), defaults: { phoneCountry: 'XX' } })).toMatch(
      /^The mapping is not valid: defaults › phoneCountry — not a country code/,
    );
    expect(refusal({ ...defaultMapping('ghl-aroflo'), defaults: { timeZone: 'Mars/Base' } })).toMatch(
      /defaults › timeZone — not a time zone/,
    );
    expect(() => validateMapping(withContactFields(fm('x', 'nickname', 'abn')))).not.toThrow();
  });
});
