import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';
import { cdata, records, type Loose } from './fixtures/aroflo/client.js';

let s: Started;
beforeAll(async () => {
  s = await startSandbox();
});
afterAll(() => s.sb.close());

const results = (res: { body: Loose }) => res.body.zoneresponse.postresults;
const client = (name: string, extra = '') =>
  `<client><clientname>${cdata(name)}</clientname><firstname>${cdata('Ann')}</firstname><surname>${cdata('Lee')}</surname>${extra}</client>`;

describe('AroFlo sandbox writes: clients and nested contacts', () => {
  it('inserts many clients in one call; a duplicate clientname fails alone with 209 while status stays "0"', async () => {
    const existing = s.sb.admin.listClients()[0]!.clientname;
    const res = await s.post(
      'clients',
      `<clients>${client('Batch One')}${client(existing.toUpperCase())}${client('Batch Two')}${client('Batch One')}</clients>`,
    );
    expect(res.body.status).toBe('0');
    const r = results(res);
    expect(r.inserttotal).toBe(2);
    expect(r.inserts.clients.map((c: Loose) => c.clientname)).toEqual(['Batch One', 'Batch Two']);
    expect(r.errors).toEqual([
      { message: 'Unable to make changes to Database', code: '209', detail: 'Client already exists', type: 'Database' },
      { message: 'Unable to make changes to Database', code: '209', detail: 'Client already exists', type: 'Database' },
    ]);
    for (const c of r.inserts.clients) expect(s.sb.admin.getClient(c.clientid)?.clientname).toBe(c.clientname);
  });

  it('requires clientname, firstname and surname on insert', async () => {
    const res = await s.post(
      'clients',
      `<clients><client><clientname>${cdata('No Names Pty')}</clientname></client></clients>`,
    );
    const r = results(res);
    expect(r.inserttotal).toBe(0);
    expect(r.errors[0]).toMatchObject({ code: '201', detail: 'firstname is required' });
  });

  it('returns nested contact ids under updates.clients[i].contacts[j].userid', async () => {
    const xml = `<clients>${client('Nested Co', `<contacts><contact><givennames>${cdata('Zoë')}</givennames><surname>${cdata('Müller')}</surname><email>${cdata('zoe@nested.example')}</email></contact><contact><givennames>Bo</givennames></contact></contacts>`)}</clients>`;
    const r = results(await s.post('clients', xml));
    const clientid = r.inserts.clients[0].clientid;
    expect(r.updates.clients[0].clientid).toBe(clientid);
    const [zoe, bo] = r.updates.clients[0].contacts;
    expect(zoe.userid).toBeTruthy();
    expect(s.sb.admin.getContact(zoe.userid)).toMatchObject({
      clientid,
      givennames: 'Zoë',
      surname: 'Müller',
      email: 'zoe@nested.example',
    });
    expect(s.sb.admin.getContact(bo.userid)?.givennames).toBe('Bo');
    // …and they read back through the read-only contacts zone.
    const c = records(
      await s.get([
        ['zone', 'contacts'],
        ['where', `and|userid|=|${zoe.userid}`],
      ]),
      'contacts',
    )[0];
    expect(c.org.orgid).toBe(clientid);
  });

  it('updates, adds and archives contacts through a client update; a bad nested contact carries its own error', async () => {
    const c = s.sb.admin.listClients().find((x) => x.contactIds.length >= 1)!;
    const userid = c.contactIds[0]!;
    const xml = `<clients><client><clientid>${c.clientid}</clientid><contacts>
      <contact><userid>${userid}</userid><mobile>${cdata('0400 000 001')}</mobile></contact>
      <contact><givennames>${cdata('New')}</givennames><surname>${cdata('Person')}</surname></contact>
      <contact><userid>not-a-contact</userid><mobile>1</mobile></contact>
    </contacts></client></clients>`;
    const r = results(await s.post('clients', xml));
    expect(r.updatetotal).toBe(1);
    expect(r.errors).toEqual([]);
    const [updated, added, failed] = r.updates.clients[0].contacts;
    expect(updated.userid).toBe(userid);
    expect(s.sb.admin.getContact(userid)?.mobile).toBe('0400 000 001');
    expect(s.sb.admin.getContact(added.userid)?.clientid).toBe(c.clientid);
    expect(failed.error).toMatch(/not a contact/);
    const archive = `<clients><client><clientid>${c.clientid}</clientid><contacts><contact><userid>${userid}</userid><archived>true</archived></contact></contacts></client></clients>`;
    results(await s.post('clients', archive));
    expect(s.sb.admin.getContact(userid)?.archived).toBe(true);
    const res = records(
      await s.get([
        ['zone', 'contacts'],
        ['where', `and|userid|=|${userid}`],
      ]),
      'contacts',
    )[0];
    expect(res.archived).toBe('true');
  });

  it('updates by clientid, sets postable and link/externalid; an unknown clientid is an error in errors[]', async () => {
    const c = s.sb.admin.listClients()[1]!;
    const xml = `<clients><client><clientid>${c.clientid}</clientid><postable>false</postable><link><externalid>${cdata('ghl-123')}</externalid></link><website>${cdata('https://x.example')}</website></client>
      <client><clientid>JSZaSyRQLEwgCg==</clientid><website>x</website></client></clients>`;
    const r = results(await s.post('clients', xml));
    expect(r.updatetotal).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].code).toBe('203');
    expect(s.sb.admin.getClient(c.clientid)).toMatchObject({
      postable: false,
      website: 'https://x.example',
      link: { externalid: 'ghl-123' },
    });
  });

  it('refuses a call that mixes inserts and updates, applying nothing', async () => {
    const c = s.sb.admin.listClients()[2]!;
    const before = s.sb.admin.listClients().length;
    const r = results(
      await s.post(
        'clients',
        `<clients><client><clientid>${c.clientid}</clientid><website>y</website></client>${client('Mixed Call Co')}</clients>`,
      ),
    );
    expect(r.inserttotal + r.updatetotal).toBe(0);
    expect(r.errors[0]).toMatchObject({ code: '205', message: 'Updates and Inserts are separate operations' });
    expect(s.sb.admin.listClients().length).toBe(before);
    expect(s.sb.admin.getClient(c.clientid)?.website).not.toBe('y');
  });

  it('truncates contact phone/mobile past 50 characters silently, but refuses a clientname past 50', async () => {
    const long = '0'.repeat(60);
    const r = results(
      await s.post(
        'clients',
        `<clients>${client('Trunc Co', `<contacts><contact><givennames>T</givennames><mobile>${long}</mobile></contact></contacts>`)}${client('X'.repeat(51))}</clients>`,
      ),
    );
    const userid = r.updates.clients[0].contacts[0].userid;
    expect(s.sb.admin.getContact(userid)?.mobile).toBe('0'.repeat(50));
    expect(r.errors).toEqual([
      expect.objectContaining({ code: '202', detail: 'clientname is longer than 50 characters' }),
    ]);
  });

  it('state and country must come as a pair in an address', async () => {
    const r = results(
      await s.post('clients', `<clients>${client('Address Co', '<address><state>VIC</state></address>')}</clients>`),
    );
    expect(r.errors[0].code).toBe('204');
  });

  it('answers status 8 when a response would exceed 3.5 MB', async () => {
    const r = results(
      await s.post(
        'clients',
        `<clients>${client('Huge Notes Co', `<termsnote>${cdata('x'.repeat(3_700_000))}</termsnote>`)}</clients>`,
      ),
    );
    const id = r.inserts.clients[0].clientid;
    const res = await s.get([
      ['zone', 'clients'],
      ['where', `and|clientid|=|${id}`],
    ]);
    expect(res.body.status).toBe('8');
  });
});

describe('AroFlo sandbox writes: postxml parsing', () => {
  it('reads CDATA values as-is (non-ASCII, <, &) and plain text with entities', async () => {
    const r = results(
      await s.post('clients', `<clients>${client('Çelik & Søns <Ltd>', '<abn>12 &amp; 3</abn>')}</clients>`),
    );
    const c = s.sb.admin.getClient(r.inserts.clients[0].clientid)!;
    expect(c.clientname).toBe('Çelik & Søns <Ltd>');
    expect(c.abn).toBe('12 & 3');
  });

  it('rejects a split-CDATA escape of "]]>" as "Invalid postxml value", accepts "]] >"', async () => {
    const split = await s.post(
      'clientnotes',
      `<clientnotes><clientnote><clientid>${s.sb.admin.listClients()[0]!.clientid}</clientid><filter>Internal Only</filter><content><![CDATA[a]]]]><![CDATA[>b]]></content></clientnote></clientnotes>`,
    );
    expect(split.body.status).toBe('1');
    expect(split.body.statusmessage).toBe('Invalid postxml value');
    expect(results(split).errors[0].message).toBe('Invalid postxml value');
    const spaced = await s.post(
      'clientnotes',
      `<clientnotes><clientnote><clientid>${s.sb.admin.listClients()[0]!.clientid}</clientid><filter>Internal Only</filter><content>${cdata('a]] >b')}</content></clientnote></clientnotes>`,
    );
    expect(spaced.body.status).toBe('0');
    expect(
      s.sb.admin.listClientNotes().find((n) => n.noteid === results(spaced).inserts.clientnotes[0].NOTEID)?.content,
    ).toBe('a]] >b');
  });

  it('rejects malformed XML and a root that is not the zone', async () => {
    for (const xml of [
      '<clients><client><clientname>x</client></clients>',
      '<tasks><task/></tasks>',
      '',
      '<clients><client><clientname>a]]>b</clientname></client></clients>',
    ]) {
      const res = await s.post('clients', xml);
      expect(res.body.statusmessage, xml).toBe('Invalid postxml value');
    }
  });

  it('contacts is read only', async () => {
    const res = await s.post('contacts', '<contacts><contact><givennames>x</givennames></contact></contacts>');
    expect(results(res).errors[0]).toMatchObject({ code: '206' });
    expect(results(res).errors[0].detail).toMatch(/through the clients zone/);
  });
});

describe('AroFlo sandbox writes: tasks and notes', () => {
  const { taskTypes, businessUnits } = { taskTypes: [] as Loose[], businessUnits: [] as Loose[] };
  beforeAll(() => {
    taskTypes.push(...s.sb.credentials.taskTypes);
    businessUnits.push(...s.sb.credentials.businessUnits);
  });

  const insertTask = (clientid: string, extra = '', duedate = '2026-11-20') =>
    `<tasks><task><client><clientid>${clientid}</clientid></client><taskname>${cdata('Fix the tap')}</taskname><duedate>${duedate}</duedate><org><orgid>${businessUnits[0].orgid}</orgid></org><tasktype><tasktypeid>${taskTypes[0].tasktypeid}</tasktypeid></tasktype><description>${cdata('Leaking <b>badly</b>')}</description>${extra}</task></tasks>`;

  it('inserts a task with a contact and notes; refuses one without the required fields', async () => {
    const c = s.sb.admin.listClients().find((x) => x.contactIds.length > 0)!;
    const res = await s.post(
      'tasks',
      insertTask(
        c.clientid,
        `<contact><userid>${c.contactIds[0]}</userid></contact><notes><note><content>${cdata('First visit booked')}</content><filter>internal only</filter><sticky>false</sticky></note></notes>`,
      ),
    );
    const r = results(res);
    expect(r.inserttotal).toBe(1);
    const ins = r.inserts.tasks[0];
    expect(ins.taskid).toBeTruthy();
    expect(ins.jobnumber).toMatch(/^\d+$/);
    expect(ins.notes).toEqual([{ content: 'First visit booked', filter: '0', sticky: 'false' }]); // numeric filter, no noteid
    const t = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${ins.taskid}`],
        ['join', 'notes'],
      ]),
      'tasks',
    )[0];
    expect(t).toMatchObject({
      taskname: 'Fix the tap',
      status: 'Not Started',
      description: 'Leaking <b>badly</b>',
      duedate: '2026/11/20',
      contact: { userid: c.contactIds[0] },
    });
    expect(t.tasknotes.content ?? t.tasknotes[0].content).toBe('First visit booked');

    const missing = results(
      await s.post(
        'tasks',
        `<tasks><task><taskname>x</taskname></task><task><client><clientid>${c.clientid}</clientid></client><taskname>y</taskname><duedate>2026-11-20</duedate></task></tasks>`,
      ),
    );
    expect(missing.inserttotal).toBe(0);
    expect(missing.errors.map((e: Loose) => e.detail)).toEqual([
      'client/clientid is required',
      'org/orgid is required',
    ]);
    const badContact = results(
      await s.post('tasks', insertTask(c.clientid, '<contact><userid>JSZaSyRQLEwgCg==</userid></contact>')),
    );
    expect(badContact.errors[0].code).toBe('203');
  });

  it('updates status and taskname, silently ignores description and duedate, inserts and updates notes', async () => {
    const c = s.sb.admin.listClients()[3]!;
    const taskid = results(await s.post('tasks', insertTask(c.clientid))).inserts.tasks[0].taskid;
    const upd = results(
      await s.post(
        'tasks',
        `<tasks><task><taskid>${taskid}</taskid><status>In Progress</status><description>${cdata('changed')}</description><duedate>2027-01-01</duedate><notes><note><content>${cdata('On my way')}</content><filter>Show All</filter></note></notes></task></tasks>`,
      ),
    );
    expect(upd.updatetotal).toBe(1);
    expect(upd.errors).toEqual([]);
    expect(upd.updates.tasks[0].notes[0]).toEqual({ content: 'On my way', filter: '3', sticky: 'false' });
    const stored = s.sb.admin.getTask(taskid)!;
    expect(stored).toMatchObject({ status: 'In Progress', description: 'Leaking <b>badly</b>', duedate: '2026-11-20' });
    const noteid = stored.noteIds[0]!;
    const upNote = results(
      await s.post(
        'tasks',
        `<tasks><task><taskid>${taskid}</taskid><notes><note><noteid>${noteid}</noteid><content>${cdata('Arrived')}</content><sticky>true</sticky></note></notes></task></tasks>`,
      ),
    );
    expect(upNote.updatetotal).toBeGreaterThanOrEqual(1);
    expect(s.sb.admin.listTaskNotes(taskid)[0]).toMatchObject({
      noteid,
      content: 'Arrived',
      sticky: true,
      filter: 'Show All',
    });
    const done = results(
      await s.post('tasks', `<tasks><task><taskid>${taskid}</taskid><status>completed</status></task></tasks>`),
    );
    expect(done.errors).toEqual([]);
    const t = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${taskid}`],
      ]),
      'tasks',
    )[0];
    expect(t.status).toBe('Completed');
    expect(t.completeddate).not.toBe(' ');
    const bad = results(
      await s.post('tasks', `<tasks><task><taskid>${taskid}</taskid><status>Sleeping</status></task></tasks>`),
    );
    expect(bad.errors[0].code).toBe('204');
  });

  it('linkprocessed: where=false lists changed tasks, POST true clears them', async () => {
    const c = s.sb.admin.listClients()[4]!;
    const taskid = results(await s.post('tasks', insertTask(c.clientid))).inserts.tasks[0].taskid;
    const pending = await s.all('tasks', [['where', 'and|linkprocessed|=|false']]);
    expect(pending.map((t) => t.taskid)).toContain(taskid);
    const lastBefore = s.sb.admin.getTask(taskid)!.lastupdatedMs;
    s.clock.t += 5000;
    results(
      await s.post(
        'tasks',
        `<tasks><task><taskid>${taskid}</taskid><linkprocessed>true</linkprocessed></task></tasks>`,
      ),
    );
    expect(s.sb.admin.getTask(taskid)!.linkprocessed).toBe(true);
    expect(s.sb.admin.getTask(taskid)!.lastupdatedMs).toBe(lastBefore); // a flag-only write is not a change
    const after = await s.all('tasks', [['where', 'and|linkprocessed|=|false']]);
    expect(after.map((t) => t.taskid)).not.toContain(taskid);
  });

  it('clientnotes: insert answers NOTEID in upper case, update by noteid, content over 1000 refused', async () => {
    const c = s.sb.admin.listClients()[5]!;
    const ins = results(
      await s.post(
        'clientnotes',
        `<clientnotes><clientnote><clientid>${c.clientid}</clientid><content>${cdata('<p>Called</p>')}</content><filter>Internal Only</filter></clientnote><clientnote><clientid>${c.clientid}</clientid><content>${cdata('x'.repeat(1001))}</content><filter>Internal Only</filter></clientnote></clientnotes>`,
      ),
    );
    expect(ins.inserttotal).toBe(1);
    const noteid = ins.inserts.clientnotes[0].NOTEID;
    expect(noteid).toBeTruthy();
    expect(ins.inserts.clientnotes[0].noteid).toBeUndefined();
    expect(ins.errors[0].code).toBe('202');
    results(
      await s.post(
        'clientnotes',
        `<clientnotes><clientnote><noteid>${noteid}</noteid><content>${cdata('<p>Called back</p>')}</content><sticky>true</sticky></clientnote></clientnotes>`,
      ),
    );
    const n = records(
      await s.get([
        ['zone', 'clientnotes'],
        ['where', `and|noteid|=|${noteid}`],
      ]),
      'clientnotes',
    )[0];
    expect(n).toMatchObject({
      noteid,
      clientid: c.clientid,
      content: '<p>Called back</p>',
      sticky: '1',
      filter: 'Internal Only',
    });
    const noFilter = results(
      await s.post(
        'clientnotes',
        `<clientnotes><clientnote><clientid>${c.clientid}</clientid><content>x</content></clientnote></clientnotes>`,
      ),
    );
    expect(noFilter.errors[0]).toMatchObject({ code: '201', detail: 'filter is required' });
  });
});
