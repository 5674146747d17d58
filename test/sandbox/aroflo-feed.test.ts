import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, WORLD_NOW, type Started } from './fixtures/aroflo/setup.js';
import { cdata, records, type Loose } from './fixtures/aroflo/client.js';

const HOUR = 3_600_000;
const utcSlash = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');

/** lastupdate rows for a zone changed after `since` (ms), through the API. */
async function changedSince(s: Started, zonename: string, since: number): Promise<Loose[]> {
  return s.all('lastupdate', [
    ['where', `and|zonename|=|${zonename}`],
    ['where', `and|lastupdateutc|>|${utcSlash(since)}`],
    ['order', 'lastupdateutc|asc'],
  ]);
}

describe('AroFlo sandbox lastupdate feed, postable and linkprocessed (default options)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.sb.close());
  beforeEach(() => {
    s.clock.t += HOUR;
  });

  it('an API client update adds a clients row; the where on lastupdateutc is to the second', async () => {
    const since = s.clock.t - 1000;
    const c = s.sb.admin.listClients()[0]!;
    await s.post(
      'clients',
      `<clients><client><clientid>${c.clientid}</clientid><website>${cdata('https://a.example')}</website></client></clients>`,
    );
    const rows = await changedSince(s, 'clients', since);
    expect(rows).toEqual([
      {
        zoneid: c.clientid,
        zonename: 'clients',
        zoneidreference: 'clientid',
        lastupdateutc: utcSlash(s.clock.t),
        isdeleted: '0',
      },
    ]);
    expect(await changedSince(s, 'clients', s.clock.t)).toEqual([]);
    // API writes do not make the client postable.
    expect(s.sb.admin.getClient(c.clientid)!.postable).toBe(false);
  });

  it('a web (admin) client edit sets postable=true and adds a row; clearing postable through the API is not a change', async () => {
    const since = s.clock.t - 1000;
    const c = s.sb.admin.listClients()[1]!;
    s.sb.admin.updateClient(c.clientid, { phone: '(03) 9999 0000' });
    const postable = await s.all('clients', [['where', 'and|postable|=|true']]);
    expect(postable.map((x) => x.clientid)).toEqual([c.clientid]);
    expect((await changedSince(s, 'clients', since)).map((r) => r.zoneid)).toEqual([c.clientid]);
    s.clock.t += 5000;
    await s.post(
      'clients',
      `<clients><client><clientid>${c.clientid}</clientid><postable>false</postable></client></clients>`,
    );
    expect(await s.all('clients', [['where', 'and|postable|=|true']])).toEqual([]);
    expect(await changedSince(s, 'clients', since + 2000)).toEqual([]);
  });

  it('a web task edit sets linkprocessed=false and moves lastupdateddatetimeutc; a task note moves the task too', async () => {
    const t = s.sb.admin.listTasks().find((x) => x.linkprocessed)!;
    s.sb.admin.setTaskStatus(t.taskid, 'Pending');
    const read = records(
      await s.get([
        ['zone', 'tasks'],
        ['where', `and|taskid|=|${t.taskid}`],
      ]),
      'tasks',
    )[0];
    expect(read).toMatchObject({
      status: 'Pending',
      linkprocessed: 'false',
      lastupdateddatetimeutc: utcSlash(s.clock.t),
    });
    s.clock.t += 60_000;
    const since = s.clock.t - 1000;
    s.sb.admin.addTaskNote(t.taskid, { content: 'Customer rang' });
    expect((await changedSince(s, 'tasks', since)).map((r) => r.zoneid)).toEqual([t.taskid]);
    const byTime = await s.all('tasks', [['where', `and|lastupdateddatetimeutc|>|${utcSlash(since)}`]]);
    expect(byTime.map((x) => x.taskid)).toEqual([t.taskid]);
  });

  it('the web app can change a task description and due date (the API cannot)', () => {
    const t = s.sb.admin.listTasks()[0]!;
    const u = s.sb.admin.updateTask(t.taskid, { description: 'New scope', duedate: '2026-12-24' });
    expect(u).toMatchObject({ description: 'New scope', duedate: '2026-12-24' });
  });

  it('a contact edit adds a row for its client (contacts have no last-updated filter of their own)', async () => {
    const since = s.clock.t - 1000;
    const contact = s.sb.admin.listContacts()[0]!;
    s.sb.admin.updateContact(contact.userid, { mobile: '0411 111 111' });
    expect((await changedSince(s, 'clients', since)).map((r) => r.zoneid)).toEqual([contact.clientid]);
    expect(await changedSince(s, 'contacts', since)).toEqual([]);
  });

  it('a client note adds a row for its client', async () => {
    const since = s.clock.t - 1000;
    const c = s.sb.admin.listClients()[2]!;
    const note = s.sb.admin.addClientNote(c.clientid, { content: 'Prefers email' });
    expect((await changedSince(s, 'clients', since)).map((r) => r.zoneid)).toEqual([c.clientid]);
    const notes = await s.all('clientnotes', [
      ['where', `and|createdutc|=|${new Date(s.clock.t).toISOString().slice(0, 10)}`],
    ]);
    expect(notes.map((n) => n.noteid)).toContain(note.noteid);
  });

  it('lastupdate is free: it does not spend the daily budget but is counted in stats', async () => {
    s.sb.resetStats();
    const used = s.sb.admin.usage().dailyUsed;
    await s.get([
      ['zone', 'lastupdate'],
      ['where', 'and|zonename|=|tasks'],
    ]);
    await s.get([
      ['zone', 'tasks'],
      ['where', 'and|status|=|pending'],
    ]);
    expect(s.sb.admin.usage().dailyUsed).toBe(used + 1);
    expect(s.sb.stats()).toMatchObject({
      requests: 2,
      free: 1,
      counted: 1,
      byEndpoint: { 'GET lastupdate': 1, 'GET tasks': 1 },
    });
  });
});

describe('AroFlo sandbox lastupdate feed options', () => {
  it("contactEdits 'contact' gives contacts rows; 'none' and note options 'none' give no rows at all", async () => {
    const s = await startSandbox({
      lastupdateFeed: { contactEdits: 'contact', taskNoteEdits: 'none', clientNoteEdits: 'none' },
    });
    try {
      s.clock.t = WORLD_NOW + HOUR;
      const since = s.clock.t - 1000;
      const contact = s.sb.admin.listContacts()[0]!;
      s.sb.admin.updateContact(contact.userid, { surname: 'Changed' });
      expect((await changedSince(s, 'contacts', since)).map((r) => r.zoneid)).toEqual([contact.userid]);
      expect(await changedSince(s, 'clients', since)).toEqual([]);
      const t = s.sb.admin.listTasks()[0]!;
      s.sb.admin.addTaskNote(t.taskid, { content: 'quiet note' });
      s.sb.admin.addClientNote(t.clientid, { content: 'quiet client note' });
      expect(await changedSince(s, 'tasks', since)).toEqual([]);
      expect(await changedSince(s, 'clients', since)).toEqual([]);
      expect(s.sb.admin.getTask(t.taskid)!.lastupdatedMs).toBeLessThan(since);
    } finally {
      await s.sb.close();
    }
  });
});

describe('AroFlo sandbox admin over HTTP', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.sb.close());
  /** fetch with the admin token; `.json()` is loosely typed for assertions. */
  const admin = (
    path: string,
    init: RequestInit & { json?: unknown } = {},
  ): Promise<Omit<Response, 'json'> & { json(): Promise<Loose> }> =>
    fetch(`${s.sb.baseUrl}__admin${path}`, {
      ...init,
      headers: {
        'x-sandbox-admin': s.sb.adminToken!,
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as object),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });

  it('needs the admin token', async () => {
    expect((await fetch(`${s.sb.baseUrl}__admin/clients`)).status).toBe(401);
    expect((await fetch(`${s.sb.baseUrl}__admin/clients`, { headers: { 'x-sandbox-admin': 'wrong' } })).status).toBe(
      401,
    );
  });

  it('creates, edits and archives clients, contacts, tasks and notes', async () => {
    const created = await admin('/clients', {
      method: 'POST',
      json: { clientname: 'Admin Made Pty', email: 'a@b.example' },
    });
    expect(created.status).toBe(201);
    const c = await created.json();
    expect(c.postable).toBe(true);
    const dup = await admin('/clients', { method: 'POST', json: { clientname: 'admin made pty' } });
    expect(dup.status).toBe(409);
    const contact = await (
      await admin(`/clients/${encodeURIComponent(c.clientid)}/contacts`, {
        method: 'POST',
        json: { givennames: 'Jo', surname: 'Park' },
      })
    ).json();
    expect(contact.clientid).toBe(c.clientid);
    const patched = await (
      await admin(`/contacts/${encodeURIComponent(contact.userid)}`, {
        method: 'PATCH',
        json: { email: 'jo@park.example' },
      })
    ).json();
    expect(patched.email).toBe('jo@park.example');
    expect(
      (await (await admin(`/contacts/${encodeURIComponent(contact.userid)}/archive`, { method: 'POST' })).json())
        .archived,
    ).toBe(true);
    const task = await (
      await admin('/tasks', {
        method: 'POST',
        json: { clientid: c.clientid, taskname: 'Quote visit', duedate: '2026-11-30' },
      })
    ).json();
    expect(task.jobnumber).toBeGreaterThan(1000);
    const st = await (
      await admin(`/tasks/${encodeURIComponent(task.taskid)}/status`, { method: 'POST', json: { status: 'Completed' } })
    ).json();
    expect(st.status).toBe('Completed');
    const note = await (
      await admin(`/tasks/${encodeURIComponent(task.taskid)}/notes`, {
        method: 'POST',
        json: { content: 'Done', filter: 'Show All' },
      })
    ).json();
    const notePatched = await (
      await admin(`/tasknotes/${encodeURIComponent(note.noteid)}`, {
        method: 'PATCH',
        json: { content: 'Done and dusted' },
      })
    ).json();
    expect(notePatched.content).toBe('Done and dusted');
    const cn = await (
      await admin(`/clients/${encodeURIComponent(c.clientid)}/notes`, { method: 'POST', json: { content: 'VIP' } })
    ).json();
    expect(
      (await (await admin(`/clientnotes?clientid=${encodeURIComponent(c.clientid)}`)).json()).map(
        (n: Loose) => n.noteid,
      ),
    ).toEqual([cn.noteid]);
    const archived = await (
      await admin(`/clients/${encodeURIComponent(c.clientid)}/archive`, { method: 'POST' })
    ).json();
    expect(archived.archived).toBe(true);
    const feed = await (await admin(`/lastupdate?zonename=tasks&sinceMs=${s.clock.t - 1}`)).json();
    expect(feed.map((r: Loose) => r.zoneid)).toContain(task.taskid);
    expect((await admin('/tasks', { method: 'POST', json: { clientid: c.clientid } })).status).toBe(400);
    expect((await admin('/tasks/nope')).status).toBe(404);
  });

  it('sets faults, reads stats and usage, and resets everything', async () => {
    expect((await admin('/faults', { method: 'PUT', json: { spec: 'system=aroflo,rate=1,kinds=5xx' } })).status).toBe(
      200,
    );
    const failed = await s.get([['zone', 'tasktypes']]);
    expect(failed.http).toBe(500);
    expect((await admin('/faults', { method: 'PUT', json: { spec: 'kinds=bogus' } })).status).toBe(400);
    await admin('/faults', { method: 'PUT', json: { spec: '' } });
    const stats = await (await admin('/stats')).json();
    expect(stats.faults['5xx']).toBe(1);
    s.sb.admin.createClient({ clientname: 'Gone After Reset' });
    s.sb.admin.regenerateSecret();
    expect((await admin('/reset', { method: 'POST' })).status).toBe(200);
    expect(s.sb.admin.listClients().some((c) => c.clientname === 'Gone After Reset')).toBe(false);
    expect((await (await admin('/stats')).json()).requests).toBe(0);
    const creds = await (await admin('/credentials')).json();
    expect(creds.secretKey).toBe(s.sb.credentials.secretKey);
    expect((await s.get([['zone', 'tasktypes']])).body.status).toBe('0');
  });
});
