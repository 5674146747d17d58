import { describe, expect, it } from 'vitest';
import {
  accountSchema,
  audienceEntrySchema,
  campaignSchema,
  labelSchema,
  leadSchema,
  noteSchema,
  parseList,
} from '../../main/connectors/aimfox/schemas.js';

// Canned payloads shaped like the FACTS / docs samples.
const docsAccount = {
  id: 123456789,
  urn: 'ACoAADTPCXUBJO_XjHzN9LwNwU-5ilfawDBDjK0',
  public_identifier: 'john-doe-bb1869208',
  first_name: 'John',
  last_name: 'Doe',
  full_name: 'John Doe',
  email: 'johndoe@aimfox.com',
  state: 'LoggedIn',
  workspace_id: 'b179b8fc-ba3b-4785-9fe2-660974c9f4e0',
  disabled: false,
  first_scraped_at: '0001-01-01T00:00:00Z',
  license: { account_id: '123456789', status: 'active' },
};

const docsLead = {
  id: '1113575872',
  urn: 'ACoAAEJf0cEB1xJUsEqzamNA07--LN7lnZHDdbk',
  public_identifier: 'john-doe-12',
  first_name: 'John',
  last_name: 'Doe',
  full_name: 'John Doe',
  industry_urn: '80',
  occupation: 'Software developer at Aimfox',
  location: { name: 'Serbia', urn: '105353691' },
  current_experience: [{ company: { urn: '79648041', name: 'Aimfox' }, job_title: 'Software developer' }],
  email: 'john@example.com',
  phones: [{ number: '+381 11 123 4567', type: 'mobile' }],
  is_lead: true,
  lead_of: ['1033744867'],
  origins: [{ id: '47fc52d2-b5b8-4169-aca6-fef9abac46f9', name: 'Search Campaign #5' }],
  labels: [
    {
      id: '8d6aa0ac-8770-4c9d-9e6f-7d204869158c',
      group_id: '1033744867',
      agency_id: 'x@clients',
      name: 'Tag',
      color: 'quaternary',
    },
  ],
  notes: [{ id: 'n1', text: 'met at expo', created_at: '2024-11-14T16:19:40.781Z' }, { broken: true }],
  last_scraped_at: '2026-09-01T00:00:00Z',
};

describe('account records', () => {
  it('normalise numeric ids to strings and read the login state', () => {
    const a = accountSchema.parse(docsAccount);
    expect(a).toMatchObject({
      id: '123456789',
      fullName: 'John Doe',
      loggedIn: true,
      disabled: false,
      workspaceId: 'b179b8fc-ba3b-4785-9fe2-660974c9f4e0',
    });
    expect(accountSchema.parse({ ...docsAccount, id: '42', state: 'LoggedOut' })).toMatchObject({
      id: '42',
      loggedIn: false,
    });
  });

  it('build a name when full_name is absent', () => {
    expect(accountSchema.parse({ id: 1, first_name: 'Zoë', last_name: 'Müller' }).fullName).toBe('Zoë Müller');
  });
});

describe('campaign records', () => {
  it('map the list shape and say whether profiles can be added now', () => {
    const c = campaignSchema.parse({
      id: 'e59d5151-fdc3-4d7c-845d-9d01f3087d92',
      name: 'Search Campaign #2',
      state: 'ACTIVE',
      created_at: 1712752099825,
      target_count: 50,
      type: 'search',
      outreach_type: 'connect',
      owners: ['1173158106', 99],
      start_date: null,
      labels: [],
    });
    expect(c).toMatchObject({
      id: 'e59d5151-fdc3-4d7c-845d-9d01f3087d92',
      state: 'ACTIVE',
      outreachType: 'connect',
      createdAtMs: 1712752099825,
      owners: ['1173158106', '99'],
      stateAllowsAdds: true,
    });
    for (const [state, accepts] of [
      ['INIT', false],
      ['CREATED', true],
      ['PAUSED', true],
      ['DONE', true],
    ] as const) {
      expect(campaignSchema.parse({ id: 'c', name: 'n', state }).stateAllowsAdds).toBe(accepts);
    }
  });
});

describe('audience entries', () => {
  it('carry the lead id, identifier and a built profile URL', () => {
    const e = audienceEntrySchema.parse({
      id: '672548957',
      full_name: 'Justine Leadbetter',
      public_identifier: 'justine-leadbetter-6a529a169',
      urn: 'ACoAACgWSF0BwKJ2adL4S_vIylQ4I-R-CRcQunY',
      location: { name: 'Swindon, England, United Kingdom', urn: '104595308' },
      company: 'WRc Group',
      state: 'init',
      owner: 12345,
    });
    expect(e).toEqual({
      leadId: '672548957',
      publicIdentifier: 'justine-leadbetter-6a529a169',
      profileUrl: 'https://www.linkedin.com/in/justine-leadbetter-6a529a169/',
      urn: 'ACoAACgWSF0BwKJ2adL4S_vIylQ4I-R-CRcQunY',
      fullName: 'Justine Leadbetter',
      occupation: undefined,
      company: 'WRc Group',
      location: 'Swindon, England, United Kingdom',
      state: 'init',
      owner: '12345',
    });
  });
});

describe('lead records', () => {
  it('normalise the documented lead, keeping readable embedded notes and dropping broken ones', () => {
    const l = leadSchema.parse(docsLead);
    expect(l).toMatchObject({
      id: '1113575872',
      publicIdentifier: 'john-doe-12',
      profileUrl: 'https://www.linkedin.com/in/john-doe-12/',
      fullName: 'John Doe',
      company: 'Aimfox',
      jobTitle: 'Software developer',
      location: 'Serbia',
      email: 'john@example.com',
      phones: [{ number: '+381 11 123 4567', type: 'mobile' }],
      isLead: true,
      leadOf: ['1033744867'],
      origins: [{ id: '47fc52d2-b5b8-4169-aca6-fef9abac46f9', name: 'Search Campaign #5' }],
      labels: [{ id: '8d6aa0ac-8770-4c9d-9e6f-7d204869158c', name: 'Tag', color: 'quaternary' }],
      notes: [{ id: 'n1', text: 'met at expo', createdAt: '2024-11-14T16:19:40.781Z' }],
      lastScrapedAt: '2026-09-01T00:00:00Z',
    });
  });

  it('tolerate odd optional extras without losing the lead', () => {
    const l = leadSchema.parse({
      ...docsLead,
      phones: 'n/a',
      location: 7,
      current_experience: {},
      labels: [{ nope: 1 }, { id: 'L', name: 'ok' }],
      email: null,
    });
    expect(l.phones).toEqual([]);
    expect(l.location).toBeUndefined();
    expect(l.company).toBeUndefined();
    expect(l.email).toBeUndefined();
    expect(l.labels).toEqual([{ id: 'L', name: 'ok', color: undefined }]);
  });

  it('a lead without a public identifier cannot be matched and is refused', () => {
    expect(leadSchema.safeParse({ ...docsLead, public_identifier: undefined }).success).toBe(false);
  });
});

describe('labels and notes', () => {
  it('map labels and notes; a ms epoch created_at becomes ISO', () => {
    expect(
      labelSchema.parse({ id: '83b3aa1d', agency_id: 'aimfox', name: 'Aimfox Label', color: 'info', count: 1 }),
    ).toEqual({ id: '83b3aa1d', name: 'Aimfox Label', color: 'info', count: 1 });
    expect(noteSchema.parse({ id: 'n', text: 'hi', created_at: 1731837421707 }).createdAt).toBe(
      '2024-11-17T09:57:01.707Z',
    );
  });

  it('a note without text is refused', () => {
    expect(noteSchema.safeParse({ id: 'n', created_at: '2024-11-14T16:19:40.781Z' }).success).toBe(false);
  });
});

describe('lists: bad items are quarantined, good ones kept', () => {
  it('returns the good leads and names the bad one with its id and reason', () => {
    const r = parseList(
      [
        docsLead,
        { id: '555', full_name: 'No Identifier' },
        'garbage',
        { ...docsLead, id: 777, public_identifier: 'x-y' },
      ],
      leadSchema,
      'lead',
    );
    expect(r.items.map((l) => l.id)).toEqual(['1113575872', '777']);
    expect(r.rejected).toHaveLength(2);
    expect(r.rejected[0]).toMatchObject({ id: '555', raw: { id: '555', full_name: 'No Identifier' } });
    expect(r.rejected[0]?.reason).toMatch(/lead \(id 555\).*public_identifier/);
    expect(r.rejected[1]).toMatchObject({ id: undefined, raw: 'garbage' });
  });
});
