/**
 * The field catalogue (main/sync/fields/README.md): what each system offers, how stored field names resolve, which
 * pairs are compatible, the view the Mappings screen shows, and projecting/rendering records through a mapping.
 */
import { describe, expect, it } from 'vitest';
import type { ArofloClientRecord, ArofloContactRecord, ArofloTaskRecord } from '../../main/connectors/aroflo/index.js';
import type { GhlContact } from '../../main/connectors/ghl/index.js';
import type { EntityMapping, FieldMapping } from '../../preload/contract.js';
import { catalogueFor, catalogueView, compatible, resolveField } from '../../main/sync/fields/catalogue.js';
import { completeAddressPair } from '../../main/sync/fields/aroflo.js';
import { customFieldDefs } from '../../main/sync/fields/ghl.js';
import { defaultMapping } from '../../main/sync/fields/defaults.js';
import { transformEnv } from '../../main/sync/fields/env.js';
import { projectRecord, renderPatch, renderWrite } from '../../main/sync/fields/project.js';
import type { TransformEnv } from '../../main/sync/fields/types.js';
import oldDefaults from './fixtures/old-default-mappings.json' with { type: 'json' };

const env: TransformEnv = {
  country: 'AU',
  timeZone: 'Australia/Sydney',
  customFields: customFieldDefs([
    { id: 'cfAbn', name: 'ABN', fieldKey: 'contact.abn', dataType: 'TEXT', model: 'contact', picklistOptions: [] },
    {
      id: 'cfSite',
      name: 'Site address',
      fieldKey: 'contact.site',
      dataType: 'LARGE_TEXT',
      model: 'contact',
      picklistOptions: [],
    },
    {
      id: 'cfServices',
      name: 'Services',
      fieldKey: 'contact.services',
      dataType: 'MULTIPLE_OPTIONS',
      model: 'contact',
      picklistOptions: ['Plumbing', 'Roofing'],
    },
    {
      id: 'cfFile',
      name: 'Photo',
      fieldKey: 'contact.photo',
      dataType: 'FILE_UPLOAD',
      model: 'contact',
      picklistOptions: [],
    },
    {
      id: 'cfOpp',
      name: 'Deal size',
      fieldKey: 'opportunity.size',
      dataType: 'NUMERICAL',
      model: 'opportunity',
      picklistOptions: [],
    },
  ]),
};

const contact = (over: Partial<GhlContact> = {}): GhlContact => ({
  id: 'c1',
  locationId: 'L',
  firstName: ' Jo ',
  lastName: 'Bloggs',
  name: null,
  email: 'JO@Example.com',
  phone: '0412 345 678',
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
  tags: ['vip'],
  customFields: [
    { id: 'cfAbn', value: '51 824 753 556' },
    { id: 'cfServices', value: ['Roofing', 'Plumbing'] },
  ],
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
  phone: '02 9876 5432',
  abn: '51824753556',
  archived: false,
  postable: false,
  businessUnits: [],
  address: { line1: '1 Main St', suburb: 'Surry Hills', state: 'NSW', postcode: '2010', country: 'Australia' },
  ...over,
});
const person: ArofloContactRecord = {
  id: 'U1',
  clientId: 'B1',
  givenNames: 'Sam',
  surname: 'Lee',
  email: 'sam@biz.example',
  mobile: '0400 000 000',
  archived: false,
};
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

describe('the catalogue', () => {
  it('offers HighLevel contact standard fields and one field per contact custom field of the location (no files, no other objects)', () => {
    const refs = catalogueFor('ghl', 'contact', env).map((d) => d.ref);
    for (const r of [
      'firstName',
      'lastName',
      'email',
      'phone',
      'companyName',
      'address1',
      'city',
      'state',
      'postalCode',
      'country',
      'website',
      'source',
      'dateOfBirth',
      'tags',
      'dnd',
    ])
      expect(refs).toContain(r);
    expect(refs).toEqual(expect.arrayContaining(['custom:cfAbn', 'custom:cfSite', 'custom:cfServices']));
    expect(refs).not.toContain('custom:cfFile');
    expect(refs).not.toContain('custom:cfOpp');
    expect(resolveField('ghl', 'contact', 'custom:cfServices', env)).toMatchObject({
      type: 'set',
      options: ['Plumbing', 'Roofing'],
      origin: 'custom',
    });
    expect(resolveField('ghl', 'contact', 'custom:cfSite', env)?.type).toBe('longtext');
  });

  it('offers AroFlo person fields on clients and contacts, and address/ABN/website only on clients', () => {
    const defs = catalogueFor('aroflo', 'contact', env);
    const kinds = (ref: string) => defs.find((d) => d.ref === ref)?.kinds;
    expect(kinds('email')).toEqual(['client', 'contact']);
    for (const r of [
      'addressline1',
      'addressline2',
      'suburb',
      'state',
      'postcode',
      'country',
      'postal.suburb',
      'abn',
      'website',
      'clientname',
    ])
      expect(kinds(r)).toEqual(['client']);
    expect(defs.find((d) => d.ref === 'firstname')?.maxLength).toBe(50);
    expect(defs.find((d) => d.ref === 'postal.suburb')?.write).toEqual({ create: false, update: false });
    const task = catalogueFor('aroflo', 'task', env);
    expect(task.map((d) => d.ref)).toEqual(
      expect.arrayContaining(['taskname', 'description', 'duedate', 'status', 'priority', 'tasktype']),
    );
    expect(task.find((d) => d.ref === 'duedate')?.write).toEqual({ create: true, update: false });
    expect(catalogueFor('aimfox', 'lead', env).map((d) => d.ref)).toEqual(['labels']);
  });

  it("resolves every field name today's stored mappings use (aliases), and custom fields by id", () => {
    for (const m of oldDefaults) {
      const other = m.pair === 'ghl-aroflo' ? 'aroflo' : 'aimfox';
      for (const e of m.entities) {
        for (const f of e.fields) {
          expect(resolveField('ghl', e.entity as 'contact', f.ghlField, env), f.ghlField).toBeDefined();
          expect(resolveField(other, e.entity as 'contact', f.otherField, env), f.otherField).toBeDefined();
        }
      }
    }
    expect(resolveField('aroflo', 'contact', 'givennames / firstname', env)?.ref).toBe('firstname');
    expect(resolveField('ghl', 'contact', 'customField:cfAbn', env)?.ref).toBe('custom:cfAbn');
    expect(resolveField('aroflo', 'contact', 'foo', env)).toBeUndefined();
  });

  it('compatible() lists the transforms that make two fields compatible, the suggested one first', () => {
    const g = (r: string) => resolveField('ghl', 'contact', r, env)!;
    const a = (r: string) => resolveField('aroflo', 'contact', r, env)!;
    expect(compatible(g('phone'), a('mobile'))[0]).toBe('phone_e164');
    expect(compatible(g('custom:cfAbn'), a('abn'))[0]).toBe('none');
    expect(compatible(g('address'), a('address'))).toEqual(['none']);
    expect(compatible(g('custom:cfSite'), a('address'))).toEqual(['address_split']);
    expect(compatible(g('fullName'), a('clientname'))[0]).toBe('name_join');
    expect(compatible(g('dnd'), a('email'))).toEqual([]);
    expect(
      compatible(resolveField('ghl', 'task', 'completed', env)!, resolveField('aroflo', 'task', 'status', env)!),
    ).toEqual(['status_map']);
  });

  it("catalogueView: the screen's fields, compatible pairs and transforms; a deleted custom field the mapping names comes back flagged", () => {
    const m = defaultMapping('ghl-aroflo');
    m.entities[0]!.fields.push(fm('gone', 'custom:cfDeleted', 'abn'));
    const v = catalogueView('ghl-aroflo', m, { ...env, source: 'location' });
    expect(v.env).toEqual({ country: 'AU', timeZone: 'Australia/Sydney', source: 'location' });
    const c = v.entities.find((e) => e.entity === 'contact')!;
    expect(c.ghl.find((f) => f.ref === 'custom:cfDeleted')).toMatchObject({ missing: true, origin: 'custom' });
    expect(c.ghl.find((f) => f.ref === 'custom:cfAbn')).toMatchObject({
      label: 'ABN',
      type: 'text',
      writable: { create: true, update: true },
    });
    expect(c.compatible).toContainEqual({
      ghl: 'custom:cfAbn',
      other: 'abn',
      transforms: expect.arrayContaining(['none', 'trim']),
    });
    expect(c.compatible.some((p) => p.ghl === 'custom:cfDeleted')).toBe(false);
    expect(v.entities.map((e) => e.entity)).toEqual(['contact', 'task', 'note']);
    expect(v.transforms.find((t) => t.id === 'phone_e164')?.label).toBe('Phone in international format');
  });

  it("transformEnv: the mapping's country and zone first, then the location's, then AU and the machine's zone", () => {
    expect(transformEnv({ phoneCountry: 'NZ' }, { country: 'US', timezone: 'America/Chicago' })).toMatchObject({
      country: 'NZ',
      timeZone: 'America/Chicago',
      source: 'mapping',
    });
    expect(transformEnv({}, { country: 'us', timezone: 'America/Chicago' })).toMatchObject({
      country: 'US',
      timeZone: 'America/Chicago',
      source: 'location',
    });
    expect(transformEnv({}, undefined)).toMatchObject({ country: 'AU', source: 'fallback' });
  });
});

describe('projectRecord and renderPatch', () => {
  const contacts: EntityMapping = {
    ...defaultMapping('ghl-aroflo').entities[0]!,
    fields: [
      ...defaultMapping('ghl-aroflo').entities[0]!.fields,
      fm('abn', 'custom:cfAbn', 'abn', { transform: 'trim' }),
      fm('site', 'custom:cfSite', 'address', { transform: 'address_split', direction: 'to_other' }),
    ],
  };

  it("reads a HighLevel contact into the mapping's keys, custom fields included", () => {
    const { fields, warnings } = projectRecord(contact(), undefined, 'ghl', contacts, env, 'ghl-aroflo');
    expect(fields).toMatchObject({
      firstName: 'Jo',
      lastName: 'Bloggs',
      email: 'jo@example.com',
      phone: '+61412345678',
      address1: '1 Main St',
      city: 'Surry Hills',
      state: 'NSW',
      postalCode: '2010',
      abn: '51 824 753 556',
    });
    expect(fields.site).toBeNull();
    expect(warnings).toEqual([]);
    // A phone that does not parse is kept as typed, with a warning naming the field.
    expect(
      projectRecord(contact({ phone: 'reception' }), undefined, 'ghl', contacts, env, 'ghl-aroflo').warnings,
    ).toEqual([expect.stringMatching(/^Phone: .*reception/)]);
  });

  it('reads AroFlo residential clients and business contacts; client-only fields are absent on a contact', () => {
    const c = projectRecord(client(), 'client', 'other', contacts, env, 'ghl-aroflo').fields;
    expect(c).toMatchObject({
      firstName: 'Jo',
      lastName: 'Bloggs',
      phone: '+61298765432',
      address1: '1 Main St',
      city: 'Surry Hills',
      abn: '51824753556',
      site: '1 Main St\nSurry Hills, NSW, 2010\nAU',
    });
    const p = projectRecord(person, 'contact', 'other', contacts, env, 'ghl-aroflo').fields;
    expect(p).toEqual({ firstName: 'Sam', lastName: 'Lee', email: 'sam@biz.example', phone: '+61400000000' });
    expect('address1' in p).toBe(false);
  });

  it('renders canonical changes into the connector inputs: HighLevel update with custom fields, AroFlo client or contact', () => {
    const changes = {
      firstName: 'Mary',
      phone: '+61412345678',
      abn: '12 345',
      city: 'Newtown',
      site: '9 High St\nNewtown, NSW, 2042',
    };
    // 'site' flows only to AroFlo: never written into HighLevel.
    expect(renderPatch(changes, undefined, 'ghl', contacts, env, 'update', 'ghl-aroflo')).toEqual({
      firstName: 'Mary',
      phone: '+61412345678',
      city: 'Newtown',
      customFields: [{ id: 'cfAbn', value: '12 345' }],
    });
    const toClient = renderWrite(changes, 'client', 'other', contacts, env, 'update', 'ghl-aroflo');
    expect(toClient.patch).toEqual({
      firstName: 'Mary',
      mobile: '+61412345678',
      abn: '12 345',
      address: { line1: '9 High St', line2: '', suburb: 'Newtown', state: 'NSW', postcode: '2042' },
    });
    expect(renderPatch(changes, 'contact', 'other', contacts, env, 'update', 'ghl-aroflo')).toEqual({
      givenNames: 'Mary',
      mobile: '+61412345678',
    });
    expect(renderWrite(changes, 'contact', 'other', contacts, env, 'update', 'ghl-aroflo').skipped).toEqual([
      'abn',
      'city',
      'site',
    ]);
  });

  it('a one-part address change sends state and country together, as AroFlo needs', () => {
    const patch = renderPatch<{ address?: Record<string, string> }>(
      { state: 'VIC' },
      'client',
      'other',
      contacts,
      env,
      'update',
      'ghl-aroflo',
    );
    completeAddressPair(patch, client());
    expect(patch.address).toEqual({ state: 'VIC', country: 'Australia' });
  });

  it('skips fields that cannot be written in the mode: AroFlo job name, description and due date only on create', () => {
    const tasks = defaultMapping('ghl-aroflo').entities[1]!;
    const changes = { title: 'Fix roof', dueDate: '2026-12-05', body: 'Bring ladder', completed: 'true' };
    expect(renderWrite(changes, undefined, 'other', tasks, env, 'update', 'ghl-aroflo')).toEqual({
      patch: { status: 'completed' },
      skipped: ['title', 'dueDate', 'body'],
    });
    expect(renderPatch(changes, undefined, 'other', tasks, env, 'create', 'ghl-aroflo')).toEqual({
      name: 'Fix roof',
      dueDate: '2026-12-05',
      description: 'Bring ladder',
    });
    // The description flows only to AroFlo (the default), so it is not written into HighLevel.
    expect(renderPatch(changes, undefined, 'ghl', tasks, env, 'create', 'ghl-aroflo')).toEqual({
      title: 'Fix roof',
      dueDate: '2026-12-05T09:00:00.000Z',
      completed: true,
    });
    const task: ArofloTaskRecord = {
      id: 'T',
      name: ' Fix roof ',
      status: 'inprogress',
      dueDate: '2026-12-05',
      linkProcessed: false,
    };
    expect(projectRecord(task, undefined, 'other', tasks, env, 'ghl-aroflo').fields).toEqual({
      title: 'Fix roof',
      dueDate: '2026-12-05',
      body: null,
      completed: 'false',
    });
  });

  it("a changed transform changes the stored value: 'Lower case' instead of 'None'", () => {
    const m = (transform: 'none' | 'lowercase'): EntityMapping => ({
      ...contacts,
      fields: [fm('abn', 'custom:cfAbn', 'abn', { transform })],
    });
    const raw = contact({ customFields: [{ id: 'cfAbn', value: 'ABN-X' }] });
    expect(projectRecord(raw, undefined, 'ghl', m('none'), env, 'ghl-aroflo').fields.abn).toBe('ABN-X');
    expect(projectRecord(raw, undefined, 'ghl', m('lowercase'), env, 'ghl-aroflo').fields.abn).toBe('abn-x');
    // Also when the same mapping object is edited in place after a first projection.
    const same = m('none');
    expect(projectRecord(raw, undefined, 'ghl', same, env, 'ghl-aroflo').fields.abn).toBe('ABN-X');
    same.fields[0]!.transform = 'lowercase';
    expect(projectRecord(raw, undefined, 'ghl', same, env, 'ghl-aroflo').fields.abn).toBe('abn-x');
  });
});
