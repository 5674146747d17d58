import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import {
  asArray,
  defaultFilterApplied,
  lowerKeys,
  pageMeta,
  parseEnvelope,
  zoneItems,
} from '../../main/connectors/aroflo/envelope.js';
import { parseEach } from '../../main/connectors/aroflo/fields.js';
import {
  changeSchema,
  clientNoteSchema,
  clientSchema,
  clientWithContactsSchema,
  contactSchema,
  taskSchema,
  taskTypeSchema,
  taskWithNotesSchema,
} from '../../main/connectors/aroflo/records.js';
import { statusError } from '../../main/connectors/aroflo/status.js';
import { parseDateOnly, parseLocal, parseUtc, toBool } from '../../main/connectors/aroflo/values.js';

const env = (body: unknown) => parseEnvelope(body, 'GET test');

describe('envelope quirks (FACTS §5)', () => {
  it('status as a string or a number, numeric fields as strings or numbers', () => {
    const a = env({
      status: '0',
      statusmessage: 'Login OK',
      zoneresponse: { currentpageresults: 85, maxpageresults: '500', pagenumber: '1', tasks: [] },
    });
    const b = env({
      status: 0,
      statusmessage: 'Login OK',
      zoneresponse: { currentpageresults: '85', maxpageresults: 500 },
    });
    expect(a.status).toBe('0');
    expect(b.status).toBe('0');
    expect(pageMeta(a.zoneresponse, 'x')).toEqual({ currentPageResults: 85, maxPageResults: 500, pageNumber: 1 });
    expect(pageMeta(b.zoneresponse, 'x')).toMatchObject({ currentPageResults: 85, maxPageResults: 500 });
    expect(() => pageMeta({ currentpageresults: 'lots' }, 'x')).toThrowError(/not a number/);
  });

  it('a body without a status is a typed malformed error', () => {
    expect(() => env({ ok: true, data: 'unexpected', items: 'not-an-array' })).toThrowError(ConnectorError);
    try {
      env([1, 2]);
    } catch (e) {
      expect((e as ConnectorError).kind).toBe('malformed');
    }
  });

  it('key case is normalised (NOTEID, CLIENTID, SiteContact)', () => {
    expect(lowerKeys({ NOTEID: 'n', Inner: [{ CLIENTID: 'c', SiteContact: 'x' }] })).toEqual({
      noteid: 'n',
      inner: [{ clientid: 'c', sitecontact: 'x' }],
    });
    const e = env({
      STATUS: '0',
      StatusMessage: 'Login OK',
      ZoneResponse: { ClientNotes: [{ NOTEID: 'n1', ClientID: 'c1', Content: 'hi', Sticky: '1' }] },
    });
    const items = parseEach(zoneItems(e.zoneresponse, 'clientnotes'), clientNoteSchema, 'client note');
    expect(items.items).toEqual([expect.objectContaining({ id: 'n1', clientId: 'c1', content: 'hi', sticky: true })]);
  });

  it('a single result sent as a bare object is treated as a one-element list', () => {
    const e = env({
      status: '0',
      zoneresponse: {
        clients: { clientid: 'JCdKUydRMCAgCg==', clientname: 'Solo', postable: 'FALSE' },
        currentpageresults: '1',
        maxpageresults: '500',
      },
    });
    const r = parseEach(zoneItems(e.zoneresponse, 'clients'), clientSchema, 'client');
    expect(r.items.map((c) => c.name)).toEqual(['Solo']);
    expect(asArray('')).toEqual([]);
    expect(asArray(undefined)).toEqual([]);
  });

  it('the zone key is not always the zone name', () => {
    expect(zoneItems({ items: [{ a: 1 }], currentpageresults: 1 }, 'inventory')).toEqual([{ a: 1 }]);
    expect(zoneItems({ materials: [{ a: 2 }] }, 'taskmaterials')).toEqual([{ a: 2 }]);
    // Unknown key: the first non-metadata list / object.
    expect(zoneItems({ queryresponsetimes: { x: 1 }, currentpageresults: 1, whatever: [{ a: 3 }] }, 'tasks')).toEqual([
      { a: 3 },
    ]);
    expect(zoneItems({ currentpageresults: 0, maxpageresults: 500 }, 'tasks')).toEqual([]);
  });

  it('notices the default-filter message', () => {
    expect(
      defaultFilterApplied(
        env({ status: '0', statusmessage: 'Login OK. No WHERE clause found, default filter applied.' }),
      ),
    ).toBe(true);
    expect(defaultFilterApplied(env({ status: '0', statusmessage: 'Login OK' }))).toBe(false);
  });
});

describe('values', () => {
  it('booleans in every AroFlo spelling', () => {
    for (const t of ['true', 'TRUE', 'True', '1', 1, true]) expect(toBool(t)).toBe(true);
    for (const f of ['false', 'FALSE', '0', 0, false, '', ' ', undefined]) expect(toBool(f)).toBe(false);
    expect(toBool('maybe')).toBeUndefined();
  });

  it('dates: the formats FACTS lists, empty " " as missing, garbage flagged', () => {
    expect(parseUtc('2022/07/18 03:47:30')).toBe('2022-07-18T03:47:30.000Z');
    expect(parseUtc('2023/10/01 23:09:01')).toBe('2023-10-01T23:09:01.000Z');
    expect(parseUtc('2018-06-21 10:59:01.8')).toBe('2018-06-21T10:59:01.800Z');
    expect(parseUtc('2024-05-13T23:14:15.000Z')).toBe('2024-05-13T23:14:15.000Z');
    expect(parseUtc('2024-05-14T09:14:15+10:00')).toBe('2024-05-13T23:14:15.000Z');
    expect(parseUtc('2020/11/01')).toBe('2020-11-01T00:00:00.000Z');
    expect(parseUtc(' ')).toBeUndefined();
    expect(parseUtc('')).toBeUndefined();
    expect(parseUtc('next tuesday')).toBeNull();
    expect(parseUtc('2022/02/30 00:00:00')).toBeNull();
    expect(parseDateOnly('2026/11/20')).toBe('2026-11-20');
    expect(parseDateOnly('2026-11-20 00:00:00.0')).toBe('2026-11-20');
    // Site-local fields keep their wall-clock time, with no zone.
    expect(parseLocal('Nov 14, 2018 2:56:20 PM')).toBe('2018-11-14T14:56:20');
    expect(parseLocal('Nov 14, 2018 12:05:00 AM')).toBe('2018-11-14T00:05:00');
    expect(parseLocal('2018-06-21 10:59:01.8')).toBe('2018-06-21T10:59:01');
  });
});

describe('records from FACTS-shaped payloads', () => {
  it('a client with orgs, addresses, link and joined contacts', () => {
    const raw = lowerKeys({
      clientid: 'JCdKUydRMCAgCg==',
      clientname: '#1 Ladies, Detective Agency',
      firstname: 'Jason',
      surname: 'Bourne',
      email: 'jason.bourne@aroflo.com',
      phone: '1300 794 818',
      mobile: '04XX XXX XXX',
      postable: 'TRUE',
      archived: 'false',
      orgs: [{ orgid: 'JCdKUyZRMCAgCg==', orgname: 'Bradley Sandbox', archived: 'false' }],
      address: {
        country: 'AUSTRALIA',
        postcode: '3134',
        addressline1: '22222',
        state: 'VIC',
        suburb: 'Ringwood',
        addressline2: '11111',
      },
      mailingaddress: { country: '', postcode: '', addressline1: '', state: '', suburb: '', addressline2: '' },
      link: { orgid: '', orgname: '', externalid: 'ghl:abc' },
      datetimeinserted: '2018-06-21 10:59:01.8',
      lastupdatedatetimeutc: '2022/07/18 03:47:30',
      contacts: {
        userid: 'JSdaUyZRMCAgCg==',
        givennames: 'Zoë',
        surname: 'Müller',
        email: 'zoe@example.com',
        archived: 'FALSE',
      },
    });
    const r = parseEach([raw], clientSchema, 'client');
    expect(r.rejected).toEqual([]);
    const c = r.items[0]!;
    expect(c).toMatchObject({
      id: 'JCdKUydRMCAgCg==',
      name: '#1 Ladies, Detective Agency',
      postable: true,
      archived: false,
      businessUnits: [{ id: 'JCdKUyZRMCAgCg==', name: 'Bradley Sandbox' }],
      externalId: 'ghl:abc',
      address: { line1: '22222', suburb: 'Ringwood', state: 'VIC', postcode: '3134', country: 'AUSTRALIA' },
      insertedLocal: '2018-06-21T10:59:01',
      lastUpdatedUtc: '2022-07-18T03:47:30.000Z',
    });
    expect(c.mailingAddress).toBeUndefined();
    expect(c.contacts).toEqual([
      expect.objectContaining({
        id: 'JSdaUyZRMCAgCg==',
        givenNames: 'Zoë',
        surname: 'Müller',
        clientId: 'JCdKUydRMCAgCg==',
      }),
    ]);
  });

  it('one bad record is rejected with its reason; the good ones come through', () => {
    const r = parseEach(
      [
        { clientid: 'A==', clientname: 'Good', postable: 'false' },
        { clientname: 'No id' },
        { clientid: 'B==', clientname: 'Bad flag', postable: 'perhaps' },
        { clientid: 'C==', clientname: 'Bad time', lastupdatedatetimeutc: 'yesterday' },
      ],
      clientSchema,
      'client',
    );
    expect(r.items.map((c) => c.name)).toEqual(['Good']);
    expect(r.rejected).toHaveLength(3);
    expect(r.rejected[0]!.reason).toMatch(/clientid: missing id/);
    expect(r.rejected[1]!.reason).toMatch(/not a boolean/);
    expect(r.rejected[2]!.reason).toMatch(/not a UTC date-time/);
  });

  it('a broken nested contact is dropped and reported without hiding its client', () => {
    const r = parseEach(
      [{ clientid: 'A==', clientname: 'X', contacts: [{ userid: 'U1' }, { givennames: 'no id' }] }],
      clientSchema,
      'client',
    );
    expect(r.items[0]!.contacts).toHaveLength(1);
    expect(r.items[0]!.problems?.[0]).toMatch(/contact item 1/);
  });

  it('a joined list that is not one reads as unread, never as "none" (README.md of the connector, "Facts: joined lists")', () => {
    const client = (contacts: unknown, joined = true) =>
      parseEach(
        [{ clientid: 'A==', clientname: 'Acme', ...(contacts === undefined ? {} : { contacts }) }],
        joined ? clientWithContactsSchema : clientSchema,
        'client',
      ).items[0]!;
    // As AroFlo sends them: the list, `[]` for none, one contact bare.
    expect(client([])).toMatchObject({ contacts: [] });
    expect(client([]).contactsUnread).toBeUndefined();
    expect(client({ userid: 'U1' }).contacts).toHaveLength(1);
    expect(client({ userid: 'U1' }).contactsUnread).toBeUndefined();
    // Not a list, left out when asked for, or an item that cannot be read: who the people are is not known.
    expect(client(null).contactsUnread).toMatch(/not a list \(null\)/);
    expect(client('').contactsUnread).toMatch(/not a list/);
    expect(client(7).contactsUnread).toMatch(/not a list/);
    expect(client({ a: 'b' }).contactsUnread).toMatch(/1 of 1 could not be read/);
    expect(client([{ userid: 'U1' }, { userid: 'U2', archived: 'perhaps' }])).toMatchObject({
      contacts: [expect.objectContaining({ id: 'U1' })],
      contactsUnread: expect.stringMatching(/1 of 2 could not be read/),
    });
    expect(client(undefined).contactsUnread).toMatch(/left out the contacts list/);
    // Not asked for and not sent: nothing to say about the people.
    expect(client(undefined, false).contacts).toBeUndefined();
    expect(client(undefined, false).contactsUnread).toBeUndefined();
    // A job's notes, the same way; a `tasknotes` that is null is not the list, even when `notes` is there.
    const task = (extra: Record<string, unknown>) =>
      parseEach([{ taskid: 'T==', taskname: 'Job', ...extra }], taskWithNotesSchema, 'task').items[0]!;
    expect(task({ tasknotes: [] }).notesUnread).toBeUndefined();
    expect(task({ tasknotes: null, notes: [] }).notesUnread).toMatch(/not a list/);
    expect(task({}).notesUnread).toMatch(/left out the notes list/);
    expect(parseEach([{ taskid: 'T==', taskname: 'Job' }], taskSchema, 'task').items[0]!.notesUnread).toBeUndefined();
  });

  it('a contact from the contacts zone, with its owning client', () => {
    const r = parseEach(
      [
        {
          userid: 'U==',
          givennames: 'Ann',
          surname: 'Lee',
          email: 'a@x.com',
          archived: '0',
          contacttype: 'Client',
          org: { orgid: 'C==', orgname: 'Acme' },
          createdutc: '2024/01/02 03:04:05',
        },
      ],
      contactSchema,
      'contact',
    );
    expect(r.items[0]).toMatchObject({
      id: 'U==',
      clientId: 'C==',
      clientName: 'Acme',
      contactType: 'client',
      archived: false,
      createdUtc: '2024-01-02T03:04:05.000Z',
    });
  });

  it('a task with its notes, status words, UTC and local times', () => {
    const raw = lowerKeys({
      taskid: 'JSZaWyFSXEQgCg==',
      jobnumber: 1038,
      taskname: 'Replace hot water unit',
      description: '<p>old unit</p>',
      status: 'In Progress',
      client: { clientid: 'C==', clientname: 'Acme' },
      org: { orgid: 'O==', orgname: 'Plumbing' },
      contact: { userid: 'U==', givennames: 'Ann', surname: 'Lee' },
      tasktasktype: { tasktypeid: 'T==', tasktype: 'Service' },
      duedate: '2026/11/20',
      requestdatetime: '2026/11/01 09:30:00',
      completeddate: ' ',
      lastupdateddatetimeutc: '2022/07/18 03:47:30',
      linkprocessed: 'FALSE',
      tasknotes: [
        {
          noteid: 'N1==',
          content: 'Gate code 4821',
          filter: 'Internal Only',
          sticky: 'false',
          dateposted: '2020/06/30',
          timeposted: 'Jun 30, 2020 3:35:54 PM',
          user: { userid: 'S1', username: 'office' },
        },
      ],
    });
    const t = parseEach([raw], taskSchema, 'task').items[0]!;
    expect(t).toMatchObject({
      id: 'JSZaWyFSXEQgCg==',
      jobNumber: '1038',
      status: 'inprogress',
      statusText: 'In Progress',
      clientId: 'C==',
      businessUnitId: 'O==',
      contactUserId: 'U==',
      taskTypeId: 'T==',
      taskTypeName: 'Service',
      dueDate: '2026-11-20',
      requestedLocal: '2026-11-01T09:30:00',
      lastUpdatedUtc: '2022-07-18T03:47:30.000Z',
      linkProcessed: false,
    });
    expect(t.completedDate).toBeUndefined();
    expect(t.notes).toEqual([
      {
        id: 'N1==',
        taskId: 'JSZaWyFSXEQgCg==',
        content: 'Gate code 4821',
        filter: 'Internal Only',
        sticky: false,
        postedDate: '2020-06-30',
        postedLocal: '2020-06-30T15:35:54',
        userId: 'S1',
        userName: 'office',
      },
    ]);
  });

  it('lastupdate rows, task types', () => {
    const rows = parseEach(
      [
        {
          zoneid: 'JScqRyxQPEAgCg==',
          zonename: 'tasks',
          zoneidreference: 'taskid',
          lastupdateutc: '2020/11/02 13:16:16',
        },
        {
          zoneid: 'Q==',
          zonename: 'quotes',
          zoneidreference: 'quoteid',
          lastupdateutc: '2020/11/02 13:16:17',
          isdeleted: '1',
        },
        { zoneid: 'X==', zonename: 'tasks', lastupdateutc: ' ' },
      ],
      changeSchema,
      'change',
    );
    expect(rows.items).toEqual([
      {
        zone: 'tasks',
        id: 'JScqRyxQPEAgCg==',
        idField: 'taskid',
        updatedUtc: '2020-11-02T13:16:16.000Z',
        deleted: false,
      },
      { zone: 'quotes', id: 'Q==', idField: 'quoteid', updatedUtc: '2020-11-02T13:16:17.000Z', deleted: true },
    ]);
    expect(rows.rejected).toHaveLength(1);
    const tt = parseEach(
      [{ tasktypeid: 'T==', tasktype: 'Service', archived: 'false', businessunit: { orgid: 'O==', orgname: 'B' } }],
      taskTypeSchema,
      'task type',
    );
    expect(tt.items[0]).toEqual({ id: 'T==', name: 'Service', archived: false, businessUnitIds: ['O=='] });
  });
});

describe('status codes → typed errors (FACTS §3, §9)', () => {
  const ctx = {
    operation: 'GET clients',
    secondWindowMs: 1000,
    minuteWindowMs: 60000,
    msUntilDailyReset: () => 3_600_000,
  };
  const e = (status: string, statusmessage = '') => statusError({ status, statusmessage, zoneresponse: {} }, ctx);

  it('OK is no error', () => expect(e('0', 'Login OK')).toBeUndefined());

  it('the -99999 family says what to do', () => {
    expect(e('-99999', 'Signatures do not match')).toMatchObject({ kind: 'signed_out' });
    expect(e('-99999', 'Signatures do not match')!.message).toMatch(/signatures do not match — check the secret key/);
    expect(e('-99999', 'AroFlo API setup is invalid')).toMatchObject({ kind: 'config' });
    expect(e('-99999', 'AroFlo API setup is invalid')!.message).toMatch(/generate the secret key again, save/);
    expect(e('-99999', 'Payload has expired')!.message).toMatch(/clock/);
    expect(e('-99999', 'Required headers are missing')).toMatchObject({ kind: 'config' });
  });

  it('limits: 429 and 6 are rate limits with a wait, 7 is the daily quota until the reset', () => {
    expect(e('429')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    expect(e('6')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60000 });
    expect(e('7')).toMatchObject({ kind: 'quota_exhausted', retryAfterMs: 3_600_000 });
  });

  it('permissions, size, timeouts, credentials', () => {
    expect(e('3')!.kind).toBe('scope');
    expect(e('4', 'API access not enabled')!.kind).toBe('scope');
    expect(e('8')!.kind).toBe('rejected');
    expect(e('888888')!.kind).toBe('server');
    expect(e('1')!.kind).toBe('config');
    expect(e('2')!.kind).toBe('config');
    expect(e('99', 'Invalid WHERE Clause')!.kind).toBe('rejected');
    expect(e('99', 'Invalid postxml value')!.kind).toBe('rejected');
    expect(e('12345')!.kind).toBe('server');
  });
});
