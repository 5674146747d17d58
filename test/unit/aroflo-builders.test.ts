import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { buildPostXml, cdataSafe, plain } from '../../main/connectors/aroflo/postxml.js';
import {
  buildPostBody,
  buildQuery,
  encodeStrict,
  orderBy,
  Where,
  whereDate,
  whereDateTime,
} from '../../main/connectors/aroflo/where.js';
import { clientXml, taskInsertXml, taskUpdateXml } from '../../main/connectors/aroflo/writes.js';

const decodeWheres = (q: string) =>
  q
    .split('&')
    .filter((p) => p.startsWith('where='))
    .map((p) => decodeURIComponent(p.slice('where='.length)));

describe('where builder', () => {
  it('writes clauses with conjunctions and one-level groups, as FACTS §4 shows', () => {
    const w = new Where()
      .andGroup((g) => g.where('clientname', '=', 'ClientA').or('clientname', '=', 'ClientB'))
      .and('daterequested', '=', '2017-12-01');
    expect(w.toParams()).toEqual([
      'and|(|clientname|=|ClientA',
      'or|clientname|=|ClientB|)',
      'and|daterequested|=|2017-12-01',
    ]);
  });

  it('a one-clause group opens and closes on the same clause', () => {
    expect(new Where().orGroup((g) => g.where('archived', '=', false)).toParams()).toEqual(['or|(|archived|=|false|)']);
  });

  it('booleans and numbers become AroFlo text', () => {
    expect(Where.and('linkprocessed', '=', false).and('jobnumber', '>', 1038).toParams()).toEqual([
      'and|linkprocessed|=|false',
      'and|jobnumber|>|1038',
    ]);
  });

  it('base64-like ids keep = + / through URI encoding', () => {
    const q = buildQuery({ zone: 'clients', where: Where.and('clientid', '=', 'JSZa+SyR/QLEwgCg=='), page: 1 });
    expect(q).toBe('zone=clients&where=and%7Cclientid%7C%3D%7CJSZa%2BSyR%2FQLEwgCg%3D%3D&page=1');
    expect(decodeWheres(q)).toEqual(['and|clientid|=|JSZa+SyR/QLEwgCg==']);
  });

  it('non-ASCII goes out as UTF-8 percent escapes and decodes back exactly', () => {
    const q = buildQuery({ zone: 'clients', where: Where.and('clientname', '=', 'Zoë Müller Nguyễn'), page: 1 });
    expect(q).toContain('Zo%C3%AB%20M%C3%BCller%20Nguy%E1%BB%85n');
    expect(decodeWheres(q)).toEqual(['and|clientname|=|Zoë Müller Nguyễn']);
  });

  it('a quote is escaped too, so the URL parser cannot re-encode what we signed', () => {
    expect(encodeStrict("O'Brien")).toBe('O%27Brien');
    expect(
      new URL(
        `http://x/?${buildQuery({ zone: 'clients', where: Where.and('clientname', '=', "O'Brien (Jr)*"), page: 1 })}`,
      ).search.slice(1),
    ).toBe(buildQuery({ zone: 'clients', where: Where.and('clientname', '=', "O'Brien (Jr)*"), page: 1 }));
  });

  it('refuses a value containing | rather than sending a filter that means something else', () => {
    expect(() => Where.and('clientname', '=', 'A|B').toParams()).toThrowError(ConnectorError);
    try {
      Where.and('clientname', '=', 'Smith | Sons').toParams();
    } catch (e) {
      expect((e as ConnectorError).kind).toBe('rejected');
      expect((e as ConnectorError).message).toMatch(/contains "\|"/);
    }
    expect(() => Where.and('clientname', '=', ')').toParams()).toThrowError(/bracket/);
    expect(() => Where.and('client name', '=', 'x').toParams()).toThrowError(/not a valid field/);
  });

  it('IN lists are joined with *; an item containing * turns into an OR group of =', () => {
    expect(Where.and('taskid', 'IN', ['a==', 'b==']).toParams()).toEqual(['and|taskid|IN|a==*b==']);
    expect(Where.and('clientname', 'IN', ['A*1', 'B']).toParams()).toEqual([
      'and|(|clientname|=|A*1',
      'or|clientname|=|B|)',
    ]);
    expect(Where.and('clientname', 'NOT IN', ['A*1', 'B']).toParams()).toEqual([
      'and|(|clientname|!=|A*1',
      'and|clientname|!=|B|)',
    ]);
    expect(() => new Where().andGroup((g) => g.where('clientname', 'IN', ['A*1'])).toParams()).toThrowError(
      /bracket group/,
    );
    expect(() => Where.and('taskid', 'IN', []).toParams()).toThrowError(/empty/);
  });

  it('refuses a listing without a where (the hidden 30-day default filter)', () => {
    expect(() => buildQuery({ zone: 'clients', where: new Where(), page: 1 })).toThrowError(/30-day default/);
  });

  it('order, join, page and pageSize (max 500)', () => {
    const q = buildQuery({
      zone: 'tasks',
      where: Where.and('taskid', '!=', '0'),
      order: [orderBy('lastupdated', 'desc')],
      join: ['notes', 'location'],
      page: 3,
      pageSize: 500,
    });
    expect(q).toBe(
      'zone=tasks&where=and%7Ctaskid%7C!%3D%7C0&order=lastupdated%7Cdesc&join=notes%2Clocation&page=3&pageSize=500',
    );
    expect(() => buildQuery({ zone: 'tasks', where: Where.and('taskid', '!=', '0'), pageSize: 501 })).toThrowError(
      /page size/,
    );
  });

  it('dates for filters are UTC, in the documented formats', () => {
    const d = Date.parse('2022-02-01T03:04:05.678Z');
    expect(whereDate(d)).toBe('2022-02-01');
    expect(whereDateTime(d)).toBe('2022-02-01 03:04:05');
  });
});

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  isArray: (name) => ['client', 'clientnote', 'contact', 'task', 'note', 'org'].includes(name),
});

describe('postxml builder', () => {
  it('wraps records in the plural zone element, strings in CDATA, ids as plain text', () => {
    const xml = buildPostXml('clients', 'client', [
      { clientid: plain('JSZaSyRQLEwgCg=='), clientname: 'Acme', postable: false },
    ]);
    expect(xml).toBe(
      '<clients><client><clientid>JSZaSyRQLEwgCg==</clientid><clientname><![CDATA[Acme]]></clientname><postable>false</postable></client></clients>',
    );
  });

  it('breaks ]]> with a space (AroFlo rejects split CDATA) — one character more, and the XML stays well-formed', () => {
    expect(cdataSafe('a]]>b ]]>c')).toBe('a]] >b ]] >c');
    const xml = buildPostXml('clientnotes', 'clientnote', [{ content: 'x ]]> <b>bold</b> & "q"' }]);
    expect(xml).toBe(
      '<clientnotes><clientnote><content><![CDATA[x ]] > <b>bold</b> & "q"]]></content></clientnote></clientnotes>',
    );
    expect(xml.match(/]]>/g)).toHaveLength(1); // only the real CDATA end
    const back = parser.parse(xml) as { clientnotes: { clientnote: Array<{ content: { '#cdata': string } }> } };
    expect(back.clientnotes.clientnote[0]!.content['#cdata']).toBe('x ]] > <b>bold</b> & "q"');
  });

  it('escapes plain text, keeps non-ASCII, drops characters XML cannot carry', () => {
    const xml = buildPostXml('clients', 'client', [
      { clientid: plain('a<b&"c'), clientname: 'Zoë Ångström\u0001\u0008', email: '' },
    ]);
    expect(xml).toContain('<clientid>a&lt;b&amp;&quot;c</clientid>');
    expect(xml).toContain('<clientname><![CDATA[Zoë Ångström]]></clientname>');
    expect(xml).toContain('<email><![CDATA[]]></email>');
    expect(buildPostBody('clients', xml)).toContain('Zo%C3%AB%20%C3%85ngstr%C3%B6m');
  });

  it('leaves out undefined fields and repeats array items', () => {
    const xml = buildPostXml('clients', 'client', [
      clientXml({
        name: 'A',
        firstName: 'F',
        surname: 'S',
        businessUnitIds: ['o1', 'o2'],
        contacts: [{ givenNames: 'Ann', email: 'a@x' }, { givenNames: 'Bob' }],
      }),
      clientXml({ id: 'c2', email: 'b@x' }),
    ]);
    const back = parser.parse(xml) as { clients: { client: Array<Record<string, unknown>> } };
    const [a, b] = back.clients.client as [Record<string, any>, Record<string, any>];
    expect(a.orgs.org).toEqual([{ orgid: 'o1' }, { orgid: 'o2' }]);
    expect(a.contacts.contact).toHaveLength(2);
    expect(a).not.toHaveProperty('clientid');
    expect(Object.keys(b)).toEqual(['clientid', 'email']);
  });

  it('task insert carries the required references; a task update carries only the updatable fields', () => {
    const ins = buildPostXml('tasks', 'task', [
      taskInsertXml({
        clientId: 'C==',
        businessUnitId: 'O==',
        taskTypeId: 'T==',
        name: 'Fix',
        dueDate: '2026-11-20',
        description: 'd',
        notes: [{ content: 'hi' }],
      }),
    ]);
    expect(ins).toContain(
      '<client><clientid>C==</clientid></client><org><orgid>O==</orgid></org><tasktype><tasktypeid>T==</tasktypeid></tasktype>',
    );
    expect(ins).toContain('<duedate>2026-11-20</duedate>');
    expect(ins).toContain(
      '<notes><note><content><![CDATA[hi]]></content><filter><![CDATA[Internal Only]]></filter><sticky>false</sticky></note></notes>',
    );
    const upd = buildPostXml('tasks', 'task', [
      taskUpdateXml({ id: 'T1', status: 'completed', notes: [{ id: 'N1', content: 'edited' }] }),
    ]);
    expect(upd).toBe(
      '<tasks><task><taskid>T1</taskid><status>Completed</status><notes><note><noteid>N1</noteid><content><![CDATA[edited]]></content></note></notes></task></tasks>',
    );
  });
});
