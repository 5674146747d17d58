import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';
import { records, type Loose } from './fixtures/aroflo/client.js';

const DAY = 86_400_000;
let s: Started;
beforeAll(async () => {
  s = await startSandbox({ contacts: 300 });
});
afterAll(() => s.sb.close());

const utcSlash = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');

describe('AroFlo sandbox GET: default filter and paging', () => {
  it('applies the hidden 30-day default filter when no where is given, and says so', async () => {
    const res = await s.get([['zone', 'clients']]);
    expect(res.body.statusmessage).toBe('Login OK. No WHERE clause found, default filter applied.');
    const expected = s.sb.admin.listClients().filter((c) => c.createdMs >= s.clock.t - 30 * DAY);
    const all = s.sb.admin.listClients();
    expect(expected.length).toBeLessThan(all.length); // the world has older clients the default hides
    const got = res.body.zoneresponse.currentpageresults === 0 ? [] : records(res, 'clients');
    expect(got.map((c) => c.clientid).sort()).toEqual(expected.map((c) => c.clientid).sort());
  });

  it('the default filter follows the injected clock', async () => {
    const t0 = s.clock.t;
    s.clock.t = t0 + 400 * DAY; // nothing was created in the 30 days before then
    const res = await s.get([['zone', 'tasks']], { now: () => s.clock.t });
    s.clock.t = t0;
    expect(res.body.statusmessage).toContain('default filter applied');
    expect(Number(res.body.zoneresponse.currentpageresults)).toBe(0);
  });

  it('an explicit where returns old records too', async () => {
    const everything = await s.all('clients', [['where', 'and|clientid|!=|0']]);
    expect(everything.length).toBe(s.sb.admin.listClients().length);
  });

  it('pages with currentpageresults, maxpageresults and pagenumber (a string)', async () => {
    const total = s.sb.admin.listClients().length;
    const p1 = await s.get([
      ['zone', 'clients'],
      ['where', 'and|clientid|!=|0'],
      ['pageSize', '40'],
      ['page', '1'],
    ]);
    const last = Math.ceil(total / 40);
    const pl = await s.get([
      ['zone', 'clients'],
      ['where', 'and|clientid|!=|0'],
      ['pageSize', '40'],
      ['page', String(last)],
    ]);
    expect(p1.body.zoneresponse).toMatchObject({ currentpageresults: 40, maxpageresults: 40, pagenumber: '1' });
    expect(pl.body.zoneresponse.pagenumber).toBe(String(last));
    expect(pl.body.zoneresponse.currentpageresults).toBe(total - 40 * (last - 1));
    const ids = new Set<string>();
    for (let page = 1; page <= last; page++) {
      const r = await s.get([
        ['zone', 'clients'],
        ['where', 'and|clientid|!=|0'],
        ['pageSize', '40'],
        ['page', String(page)],
      ]);
      for (const c of records(r, 'clients')) ids.add(c.clientid);
    }
    expect(ids.size).toBe(total);
  });

  it('caps pageSize at 500', async () => {
    const res = await s.get([
      ['zone', 'clients'],
      ['where', 'and|clientid|!=|0'],
      ['pageSize', '5000'],
    ]);
    expect(res.body.zoneresponse.maxpageresults).toBe(500);
  });

  it('zone names are case-insensitive; an unknown or missing zone is status 1 "No Zone Specified"', async () => {
    const res = await s.get([
      ['zone', 'Tasks'],
      ['where', 'and|taskid|!=|0'],
    ]);
    expect(res.body.status).toBe('0');
    expect(res.body.zoneresponse.tasks).toBeDefined();
    expect((await s.get([['zone', 'jobs']])).body.statusmessage).toMatch(/^No Zone Specified/);
    expect((await s.get([['page', '1']])).body).toMatchObject({ status: '1', statusmessage: 'No Zone Specified' });
  });
});

describe('AroFlo sandbox GET: where', () => {
  it('filters tasks by status with =, IN (values separated by *) and NOT IN', async () => {
    const tasks = s.sb.admin.listTasks();
    const completed = tasks
      .filter((t) => t.status === 'Completed')
      .map((t) => t.taskid)
      .sort();
    expect(completed.length).toBeGreaterThan(0);
    const eq = await s.all('tasks', [['where', 'and|status|=|completed']]);
    expect(eq.map((t) => t.taskid).sort()).toEqual(completed);
    const open = tasks
      .filter((t) => t.status === 'Not Started' || t.status === 'In Progress')
      .map((t) => t.taskid)
      .sort();
    const inList = await s.all('tasks', [['where', 'and|status|IN|notstarted*inprogress']]);
    expect(inList.map((t) => t.taskid).sort()).toEqual(open);
    const notIn = await s.all('tasks', [['where', 'and|status|NOT IN|notstarted*inprogress']]);
    expect(notIn.length).toBe(tasks.length - open.length);
  });

  it('compares numbers and combines and/or with ( ) grouping, AND binding tighter than OR', async () => {
    const tasks = s.sb.admin.listTasks();
    const [a, b] = [tasks[0]!, tasks[tasks.length - 1]!];
    const nameOf = (id: string) => s.sb.admin.getClient(id)!.clientname;
    const grouped = await s.all('tasks', [
      ['where', `and|(|clientname|=|${nameOf(a.clientid)}`],
      ['where', `or|clientname|=|${nameOf(b.clientid)}|)`],
      ['where', `and|jobnumber|>|${a.jobnumber}`],
    ]);
    const expected = tasks.filter(
      (t) => (t.clientid === a.clientid || t.clientid === b.clientid) && t.jobnumber > a.jobnumber,
    );
    expect(grouped.map((t) => t.taskid).sort()).toEqual(expected.map((t) => t.taskid).sort());
    expect(grouped.some((t) => t.taskid === b.taskid)).toBe(true);
    // Without parentheses: A OR (B AND jobnumber > a) — a itself comes back.
    const flat = await s.all('tasks', [
      ['where', `and|clientname|=|${nameOf(a.clientid)}`],
      ['where', `or|clientname|=|${nameOf(b.clientid)}`],
      ['where', `and|jobnumber|>|${a.jobnumber}`],
    ]);
    expect(flat.some((t) => t.taskid === a.taskid)).toBe(true);
  });

  it('compares client names case-insensitively and ids exactly (ids contain + / =, URL-encoded)', async () => {
    const c = s.sb.admin.listClients().find((x) => /[+/]/.test(x.clientid)) ?? s.sb.admin.listClients()[0]!;
    const byName = await s.get([
      ['zone', 'clients'],
      ['where', `and|clientname|=|${c.clientname.toUpperCase()}`],
    ]);
    expect(records(byName, 'clients').map((x) => x.clientid)).toContain(c.clientid);
    const byId = await s.get([
      ['zone', 'clients'],
      ['where', `and|clientid|=|${c.clientid}`],
    ]);
    expect(records(byId, 'clients')).toHaveLength(1);
    const wrongCase = await s.get([
      ['zone', 'clients'],
      ['where', `and|clientid|=|${c.clientid.toLowerCase()}`],
    ]);
    expect(wrongCase.body.zoneresponse.currentpageresults).toBe(0);
  });

  it('filters tasks by lastupdateddatetimeutc (to the second, UTC) and lastupdatedutc (whole days)', async () => {
    const tasks = s.sb.admin.listTasks();
    const pivot = [...tasks].sort((x, y) => x.lastupdatedMs - y.lastupdatedMs)[Math.floor(tasks.length / 2)]!
      .lastupdatedMs;
    const after = await s.all('tasks', [['where', `and|lastupdateddatetimeutc|>|${utcSlash(pivot)}`]]);
    expect(after.map((t) => t.taskid).sort()).toEqual(
      tasks
        .filter((t) => Math.floor(t.lastupdatedMs / 1000) > pivot / 1000)
        .map((t) => t.taskid)
        .sort(),
    );
    const day = new Date(pivot).toISOString().slice(0, 10);
    const sameDay = await s.all('tasks', [['where', `and|lastupdatedutc|=|${day}`]]);
    expect(sameDay.length).toBeGreaterThan(0);
    expect(sameDay.every((t) => t.lastupdatedutc === day.replaceAll('-', '/'))).toBe(true);
  });

  it('refuses an unknown field with status 1 "Invalid WHERE Clause" — including the misspelt clients lastupdateddatetimeutc', async () => {
    const bad = await s.get([
      ['zone', 'tasks'],
      ['where', 'and|colour|=|red'],
    ]);
    expect(bad.body.status).toBe('1');
    expect(bad.body.statusmessage).toMatch(/^Invalid WHERE Clause/);
    const misspelt = await s.get([
      ['zone', 'clients'],
      ['where', 'and|lastupdateddatetimeutc|>|2026-01-01'],
    ]);
    expect(misspelt.body.statusmessage).toMatch(/^Invalid WHERE Clause/);
    const right = await s.get([
      ['zone', 'clients'],
      ['where', 'and|lastupdatedatetimeutc|>|2026-01-01'],
    ]);
    expect(right.body.status).toBe('0');
  });

  it('refuses malformed clauses: bad operator, missing parts, bad date, unbalanced parentheses', async () => {
    for (const w of [
      'and|status|LIKE|x',
      'and|status',
      'xor|status|=|completed',
      'and|lastupdatedutc|>|yesterday',
      'and|(|status|=|completed',
      'and|status|=|sleeping',
    ]) {
      const res = await s.get([
        ['zone', 'tasks'],
        ['where', w],
      ]);
      expect(res.body.statusmessage, w).toMatch(/^Invalid WHERE Clause/);
    }
  });
});

describe('AroFlo sandbox GET: order, joins and quirks', () => {
  it('orders tasks by clientname desc', async () => {
    const res = await s.all('tasks', [
      ['where', 'and|taskid|!=|0'],
      ['order', 'clientname|desc'],
    ]);
    const names = res.map((t) => t.client.clientname.toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
    const bad = await s.get([
      ['zone', 'tasks'],
      ['where', 'and|taskid|!=|0'],
      ['order', 'colour|asc'],
    ]);
    expect(bad.body.statusmessage).toMatch(/^Invalid ORDER Clause/);
  });

  it('joins contacts and notes on clients, and notes (tasknotes) on tasks', async () => {
    const client = s.sb.admin.listClients().find((c) => c.contactIds.length >= 2)!;
    const res = await s.get([
      ['zone', 'clients'],
      ['where', `and|clientid|=|${client.clientid}`],
      ['join', 'contacts,notes'],
    ]);
    const rec = records(res, 'clients')[0];
    expect(rec.contacts.map((c: Loose) => c.userid)).toEqual(client.contactIds);
    expect(Array.isArray(rec.notes)).toBe(true);
    const task = s.sb.admin.listTasks().find((t) => t.noteIds.length > 0)!;
    const t = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
        ['join', 'notes'],
      ]),
      'tasks',
    )[0];
    expect(t.tasknotes.map((n: Loose) => n.noteid)).toEqual(task.noteIds);
    const noJoin = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
      ]),
      'tasks',
    )[0];
    expect(noJoin.tasknotes).toBeUndefined();
  });

  it('returns a single record as a bare object in JSON (not a one-element array), and as an element in XML', async () => {
    const task = s.sb.admin.listTasks()[0]!;
    const res = await s.get([
      ['zone', 'tasks'],
      ['where', `and|taskid|=|${task.taskid}`],
    ]);
    expect(Array.isArray(res.body.zoneresponse.tasks)).toBe(false);
    expect(res.body.zoneresponse.tasks.taskid).toBe(task.taskid);
    expect(res.body.zoneresponse.currentpageresults).toBe('1'); // tasks: counts come back as strings
    const two = await s.get([
      ['zone', 'tasks'],
      ['where', `and|taskid|IN|${task.taskid}*${s.sb.admin.listTasks()[1]!.taskid}`],
    ]);
    expect(Array.isArray(two.body.zoneresponse.tasks)).toBe(true);
    const xml = await s.get(
      [
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
      ],
      { accept: 'text/xml' },
    );
    const doc = new XMLParser({ parseTagValue: false }).parse(xml.text);
    expect(doc.imsapi.zoneresponse.tasks.task.taskid).toBe(task.taskid);
  });

  it('writes booleans as strings in their three styles, empty dates as " ", and the documented date formats', async () => {
    const open = s.sb.admin.listTasks().find((t) => t.status !== 'Completed')!;
    const t = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${open.taskid}`],
        ['join', 'notes'],
      ]),
      'tasks',
    )[0];
    expect(t.linkprocessed).toMatch(/^(true|false)$/);
    expect(t.completeddate).toBe(' ');
    expect(t.jobnumber).toBe(String(open.jobnumber));
    expect(t.lastupdateddatetimeutc).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(t.duedate).toBe(open.duedate.replaceAll('-', '/'));
    const c = records(
      await s.get([
        ['zone', 'clients'],
        ['where', `and|clientid|=|${open.clientid}`],
      ]),
      'clients',
    )[0];
    expect(c.postable).toMatch(/^(TRUE|FALSE)$/);
    expect(c.datecreated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d$/);
    const notes = await s.all('clientnotes', [['where', 'and|createdutc|>|2000-01-01']]);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes[0].sticky).toMatch(/^[01]$/);
    expect(notes[0].created_utc).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('task request times are site-local (Melbourne), UTC fields are UTC', async () => {
    const task = s.sb.admin.listTasks()[0]!;
    const t = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${task.taskid}`],
      ]),
      'tasks',
    )[0];
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Australia/Melbourne',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .format(new Date(task.requestedMs))
      .replace(', ', ' ')
      .replaceAll('-', '/');
    expect(t.requestdatetime).toBe(local);
    expect(t.createddatetimeutc).toBe(utcSlash(task.createdMs));
  });

  it('contacts zone: org is the owning client, archived filter works', async () => {
    const contact = s.sb.admin.listContacts()[0]!;
    const res = records(
      await s.get([
        ['zone', 'contacts'],
        ['where', `and|userid|=|${contact.userid}`],
      ]),
      'contacts',
    )[0];
    expect(res.org).toEqual({ orgid: contact.clientid, orgname: s.sb.admin.getClient(contact.clientid)!.clientname });
    expect(res.archived).toBe('false');
    const active = await s.all('contacts', [['where', 'and|archived|=|false']]);
    expect(active.length).toBe(s.sb.admin.listContacts().filter((c) => !c.archived).length);
    const bad = await s.get([
      ['zone', 'contacts'],
      ['where', 'and|email|=|x@y.z'],
    ]);
    expect(bad.body.statusmessage).toMatch(/^Invalid WHERE Clause/);
    // tasks have no clientid filter in FACTS §7.3 (clientname is the documented one)
    const noClientId = await s.get([
      ['zone', 'tasks'],
      ['where', `and|clientid|=|${contact.clientid}`],
    ]);
    expect(noClientId.body.statusmessage).toMatch(/^Invalid WHERE Clause/);
  });

  it('lookups: tasktypes and businessunits match the credentials', async () => {
    const tt = records(await s.get([['zone', 'tasktypes']]), 'tasktypes');
    const bu = records(await s.get([['zone', 'businessunits']]), 'businessunits');
    expect(tt.map(({ tasktypeid, tasktype }) => ({ tasktypeid, tasktype }))).toEqual(s.sb.credentials.taskTypes);
    expect(bu.map(({ orgid, orgname }) => ({ orgid, orgname }))).toEqual(s.sb.credentials.businessUnits);
    const active = records(
      await s.get([
        ['zone', 'tasktypes'],
        ['where', 'and|archived|=|false'],
      ]),
      'tasktypes',
    );
    expect(active).toHaveLength(tt.length);
    const bad = await s.get([
      ['zone', 'businessunits'],
      ['where', 'and|colour|=|red'],
    ]);
    expect(bad.body.statusmessage).toMatch(/^Invalid WHERE Clause/);
    expect(tt.length).toBeGreaterThanOrEqual(3);
    expect(bu.length).toBeGreaterThanOrEqual(2);
  });
});

describe('AroFlo sandbox GET: paging past 500', () => {
  let big: Started;
  beforeAll(async () => {
    big = await startSandbox({ contacts: 1400, seed: 5 });
  });
  afterAll(() => big.sb.close());

  it('returns every client across pages of 500 with an explicit where, stopping on a short page', async () => {
    const total = big.sb.admin.listClients().length;
    expect(total).toBeGreaterThan(500);
    const p1 = await big.get([
      ['zone', 'clients'],
      ['where', 'and|clientid|!=|0'],
      ['page', '1'],
    ]);
    expect(p1.body.zoneresponse.currentpageresults).toBe(500);
    const all = await big.all('clients', [['where', 'and|clientid|!=|0']]);
    expect(new Set(all.map((c) => c.clientid)).size).toBe(total);
  });
});
