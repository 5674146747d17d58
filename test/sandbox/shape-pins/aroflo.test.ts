/**
 * The AroFlo sandbox answers like the real API, call by call: every zone read and write the bridge makes is sent as
 * raw signed requests (the tests' own signer, test/sandbox/fixtures/aroflo/client.ts — not the connector) and the
 * JSON answer is checked against its pin in main/smoke/pins/aroflo.ts, each naming its evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AROFLO_PINS, type ArofloPinName } from '../../../main/smoke/pins/aroflo.js';
import { checkPin, diffShape } from '../../../main/smoke/shape.js';
import { cdata, type CallResult } from '../fixtures/aroflo/client.js';
import { startSandbox, type Started } from '../fixtures/aroflo/setup.js';

let s: Started;
const results = new Map<ArofloPinName, string[]>();
const pin = (name: ArofloPinName, res: CallResult): string[] => {
  const d = checkPin(AROFLO_PINS[name], res.http, res.body);
  results.set(name, d);
  return d;
};
const read = (zone: string, where: string, extra: Array<[string, string]> = []) =>
  s.get([['zone', zone], ['where', where], ['pageSize', '25'], ...extra]);
const postresults = (res: CallResult) => res.body.zoneresponse.postresults;

beforeAll(async () => {
  s = await startSandbox({ contacts: 80 });
});
afterAll(() => s.sb.close());

describe('the AroFlo sandbox answers fit the pins', () => {
  it(`listClients — ${AROFLO_PINS.listClients.evidence}`, async () => {
    const res = await read('clients', 'and|clientid|!=|0', [['join', 'contacts']]);
    expect(pin('listClients', res)).toEqual([]);
    expect(res.body.zoneresponse.clients.some((c: { contacts: unknown[] }) => c.contacts.length > 0)).toBe(true);
  });

  it('one record comes back as a bare object, and still fits', async () => {
    const c = s.sb.admin.listClients()[0]!;
    const res = await read('clients', `and|clientid|=|${c.clientid}`);
    expect(Array.isArray(res.body.zoneresponse.clients)).toBe(false);
    expect(checkPin(AROFLO_PINS.listClients, res.http, res.body)).toEqual([]);
  });

  it(`listContacts — ${AROFLO_PINS.listContacts.evidence}`, async () => {
    expect(pin('listContacts', await read('contacts', 'and|contacttype|=|client'))).toEqual([]);
  });

  it(`listTasks — ${AROFLO_PINS.listTasks.evidence}`, async () => {
    const res = await read('tasks', 'and|taskid|!=|0', [['join', 'notes']]);
    expect(pin('listTasks', res)).toEqual([]);
    expect(typeof res.body.zoneresponse.currentpageresults).toBe('string');
  });

  it(`listClientNotes — ${AROFLO_PINS.listClientNotes.evidence}`, async () => {
    expect(pin('listClientNotes', await read('clientnotes', 'and|noteid|!=|0'))).toEqual([]);
  });

  it(`listTaskTypes, listBusinessUnits — ${AROFLO_PINS.listTaskTypes.evidence}`, async () => {
    expect(pin('listTaskTypes', await read('tasktypes', 'and|archived|=|false'))).toEqual([]);
    expect(pin('listBusinessUnits', await read('businessunits', 'and|archived|=|false'))).toEqual([]);
  });

  it(`changedSince — ${AROFLO_PINS.changedSince.evidence}`, async () => {
    const res = await read('lastupdate', 'and|zonename|=|clients', [['order', 'lastupdateutc|asc']]);
    expect(pin('changedSince', res)).toEqual([]);
  });

  it(`insertClients, updateClients — ${AROFLO_PINS.insertClients.evidence}`, async () => {
    const ins = await s.post(
      'clients',
      `<clients><client><clientname>${cdata('Shape Pin Pty')}</clientname><firstname>${cdata('Ann')}</firstname><surname>${cdata('Lee')}</surname><contacts><contact><givennames>${cdata('Ann')}</givennames><surname>${cdata('Lee')}</surname></contact></contacts></client></clients>`,
    );
    expect(pin('insertClients', ins)).toEqual([]);
    expect(postresults(ins).inserttotal).toBe(1);
    const id = postresults(ins).inserts.clients[0].clientid as string;
    expect(postresults(ins).updates.clients[0].contacts[0].userid).toEqual(expect.any(String));
    const upd = await s.post(
      'clients',
      `<clients><client><clientid>${id}</clientid><website>${cdata('example.com')}</website></client></clients>`,
    );
    expect(pin('updateClients', upd)).toEqual([]);
    expect(postresults(upd).updatetotal).toBe(1);
  });

  it(`insertTasks, updateTasks — ${AROFLO_PINS.updateTasks.evidence}`, async () => {
    const c = s.sb.admin.listClients()[0]!;
    const bu = s.sb.credentials.businessUnits[0]!;
    const tt = s.sb.credentials.taskTypes[0]!;
    const ins = await s.post(
      'tasks',
      `<tasks><task><client><clientid>${c.clientid}</clientid></client><taskname>${cdata('Shape pin')}</taskname><duedate>2026-11-20</duedate><org><orgid>${bu.orgid}</orgid></org><tasktype><tasktypeid>${tt.tasktypeid}</tasktypeid></tasktype></task></tasks>`,
    );
    expect(pin('insertTasks', ins)).toEqual([]);
    const id = postresults(ins).inserts.tasks[0].taskid as string;
    const upd = await s.post(
      'tasks',
      `<tasks><task><taskid>${id}</taskid><status>In Progress</status><notes><note><content>${cdata('On my way')}</content><filter>Show All</filter></note></notes></task></tasks>`,
    );
    expect(pin('updateTasks', upd)).toEqual([]);
    expect(postresults(upd).updates.tasks[0].notes).toHaveLength(1);
  });

  it(`insertClientNotes, updateClientNotes — ${AROFLO_PINS.insertClientNotes.evidence}`, async () => {
    const c = s.sb.admin.listClients()[0]!;
    const ins = await s.post(
      'clientnotes',
      `<clientnotes><clientnote><clientid>${c.clientid}</clientid><filter>Internal Only</filter><content>${cdata('Shape pin note')}</content></clientnote></clientnotes>`,
    );
    expect(pin('insertClientNotes', ins)).toEqual([]);
    const noteid = postresults(ins).inserts.clientnotes[0].NOTEID as string;
    const upd = await s.post(
      'clientnotes',
      `<clientnotes><clientnote><noteid>${noteid}</noteid><clientid>${c.clientid}</clientid><content>${cdata('Shape pin note 2')}</content></clientnote></clientnotes>`,
    );
    expect(pin('updateClientNotes', upd)).toEqual([]);
    expect(postresults(upd).updatetotal).toBe(1);
  });

  it('every pin was exercised', () => {
    expect([...results.keys()].sort()).toEqual(Object.keys(AROFLO_PINS).sort());
  });
});

describe('the checker can fail', () => {
  it('reports a wrong pin: a renamed key, a wrong type and a wrong status (paths only, no values)', async () => {
    const res = await read('clients', 'and|clientid|!=|0');
    const wrong = {
      ...AROFLO_PINS.listClients,
      status: 201,
      shape: { status: 'number', zoneresponse: { clients: [{ clientid: 'string', customername: 'string' }] } },
    };
    expect(checkPin(wrong, res.http, res.body)).toEqual([
      'status: expected 201, got 200',
      '$.status: expected number, got string',
      '$.zoneresponse.clients[].customername: missing',
    ]);
    const renamed = { ...res.body, zoneresponse: { ...res.body.zoneresponse, currentpageresults: true } };
    expect(diffShape(AROFLO_PINS.listClients.shape, renamed)).toEqual([
      '$.zoneresponse.currentpageresults: expected number|string, got boolean',
    ]);
  });
});
