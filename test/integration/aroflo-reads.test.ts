import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, Where } from '../../main/connectors/aroflo/where.js';
import { clientFor, sandbox, type Sandbox } from './aroflo-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox({ contacts: 1500 });
});
afterAll(() => sb?.close());

describe('AroFlo reads against the sandbox', () => {
  it('pages past 500 records with an explicit where; without one, the 30-day default would have hidden old clients', async () => {
    const c = clientFor(sb);
    const all = sb.admin.listClients({ includeArchived: true });
    expect(all.length).toBeGreaterThan(500);
    sb.resetStats();
    const listed = await c.listClients({ contacts: true });
    expect(listed.rejected).toEqual([]);
    expect(listed.items.length).toBe(all.length);
    expect(new Set(listed.items.map((x) => x.id))).toEqual(new Set(all.map((x) => x.clientid)));
    expect(sb.stats().byEndpoint['GET clients']).toBe(Math.ceil(all.length / 500));
    // Contacts came with their clients.
    const withContacts = listed.items.filter((x) => x.contacts?.length);
    expect(withContacts.length).toBeGreaterThan(0);
    expect(
      withContacts.flatMap((x) => x.contacts ?? []).every((k) => withContacts.some((x) => x.id === k.clientId)),
    ).toBe(true);

    // The same zone asked without any where (something our client refuses to send): AroFlo's hidden filter.
    const env = await c.transport.get(
      buildQuery({ zone: 'clients', where: new Where(), allowNoWhere: true, page: 1, pageSize: 500 }),
      'GET clients (probe)',
    );
    expect(env.statusmessage).toMatch(/default filter applied/i);
    const hidden = env.zoneresponse.clients;
    const shown = Array.isArray(hidden) ? hidden.length : hidden ? 1 : 0;
    expect(shown).toBeLessThan(all.length);
  });

  it('reads client contacts, tasks with notes and client notes, all of them', async () => {
    const c = clientFor(sb);
    const contacts = await c.listContacts();
    expect(contacts.rejected).toEqual([]);
    expect(contacts.items.length).toBe(sb.admin.listContacts({ includeArchived: true }).length);
    const tasks = await c.listTasks({ notes: true });
    expect(tasks.items.length).toBe(sb.admin.listTasks().length);
    const withNotes = tasks.items.find((t) => t.notes?.length);
    expect(withNotes).toBeDefined();
    expect(withNotes!.notes!.map((n) => n.id).sort()).toEqual(
      sb.admin
        .listTaskNotes(withNotes!.id)
        .map((n) => n.noteid)
        .sort(),
    );
    const notes = await c.listClientNotes();
    expect(notes.items.length).toBe(sb.admin.listClientNotes().length);
  });

  it('one client by id uses the secondary allowance; a missing id gives undefined', async () => {
    const c = clientFor(sb);
    const one = sb.admin.listClients()[3]!;
    const got = await c.getClient(one.clientid, { contacts: true });
    expect(got).toMatchObject({ id: one.clientid, name: one.clientname });
    expect(await c.getClient('KxxxxxxxxxxxxA==')).toBeUndefined();
    expect(c.budget().secondary.used).toBe(2);
    expect(c.budget().daily.used).toBe(0);
    const some = sb.admin
      .listClients()
      .slice(0, 7)
      .map((x) => x.clientid);
    const many = await c.getClients(some);
    expect(many.items.map((x) => x.id).sort()).toEqual([...some].sort());
  });

  it('the lastupdate feed pages to the end for free, and then sees an edit made in the AroFlo web app', async () => {
    const c = clientFor(sb);
    sb.resetStats();
    const full = await c.changedSince('clients');
    expect(full.rejected).toEqual([]);
    const ids = new Set(full.items.map((r) => r.id));
    expect(ids.size).toBe(sb.admin.listClients({ includeArchived: true }).length);
    expect(full.pages).toBeGreaterThan(1);
    expect(sb.stats().byEndpoint['GET lastupdate']).toBe(full.pages);
    expect(c.budget().daily.used).toBe(0);
    const sorted = full.items.map((r) => Date.parse(r.updatedUtc));
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));

    // Nothing new since the cursor…
    const quiet = await c.changedSince('clients', full.cursor);
    expect(quiet.items.filter((r) => Date.parse(r.updatedUtc) > Date.parse(full.cursor!))).toEqual([]);
    // …until a person edits a client in AroFlo.
    await new Promise((r) => setTimeout(r, 1100)); // AroFlo's times have whole seconds
    const target = sb.admin.listClients()[5]!;
    sb.admin.updateClient(target.clientid, { phone: '(03) 9999 0000' });
    const next = await c.changedSince('clients', full.cursor);
    const row = next.items.find((r) => r.id === target.clientid);
    expect(row).toMatchObject({ zone: 'clients', idField: 'clientid', deleted: false });
    expect(Date.parse(next.cursor!)).toBeGreaterThan(Date.parse(full.cursor!));
    const back = await c.getClient(target.clientid);
    expect(back?.phone).toBe('(03) 9999 0000');
    expect(back?.postable).toBe(true);
  });

  it('lookups a task insert needs: business units and task types; testConnection names the organisation', async () => {
    const c = clientFor(sb);
    const info = await c.testConnection();
    const units = sb.credentials.businessUnits;
    expect(info.businessUnits.map((b) => b.id).sort()).toEqual(units.map((u) => u.orgid).sort());
    for (const u of units) expect(info.organisation).toContain(u.orgname);
    expect(info.dailyRemaining).toBeGreaterThan(1900);
    const types = await c.listTaskTypes();
    expect(types.items.map((t) => t.id).sort()).toEqual(sb.credentials.taskTypes.map((t) => t.tasktypeid).sort());
  });
});
