import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPhoneAroflo } from '../../main/sandbox/world.js';
import { startSandbox, type Started } from './fixtures/aroflo/setup.js';

let s: Started;
beforeAll(async () => {
  s = await startSandbox({ contacts: 400, seed: 3 });
});
afterAll(() => s.sb.close());

describe('AroFlo sandbox world loading (GUIDE §3 mapping)', () => {
  it('every business becomes a client with its name, email, AroFlo-style phone and address', async () => {
    const clients = await s.all('clients', [['where', 'and|clientid|!=|0']]);
    for (const b of s.world.businesses) {
      const c = clients.find((x) => x.clientname === b.name);
      expect(c, b.name).toBeDefined();
      expect(c.email).toBe(b.email);
      expect(c.phone).toBe(formatPhoneAroflo(b.phone));
      expect(c.phone).toMatch(/^\(0\d\) \d{4} \d{4}$/);
      expect(c.address).toMatchObject({
        addressline1: b.address.line1,
        suburb: b.address.suburb,
        state: b.address.state,
        postcode: b.address.postcode,
      });
    }
  });

  it('AroFlo people with a business are contacts under its client; phone-only people have no email', async () => {
    const contacts = await s.all('contacts', [['where', 'and|archived|=|false']]);
    const withBusiness = s.world.people.filter((p) => p.in.aroflo && p.businessKey);
    expect(contacts.length).toBe(withBusiness.length);
    const clientByName = new Map(s.sb.admin.listClients().map((c) => [c.clientname, c]));
    for (const p of withBusiness) {
      const business = s.world.businesses.find((b) => b.key === p.businessKey)!;
      const c = contacts.find(
        (x) =>
          x.givennames === p.firstName &&
          x.surname === p.lastName &&
          x.org.orgid === clientByName.get(business.name)!.clientid,
      );
      expect(c, p.key).toBeDefined();
      expect(c.email).toBe(p.arofloPhoneOnly ? '' : (p.email ?? ''));
      if (p.phone) expect(c.mobile).toMatch(/^04\d\d \d{3} \d{3}$/);
      expect(c.mobile).toBe(p.phone ? formatPhoneAroflo(p.phone) : '');
    }
    expect(s.world.people.some((p) => p.in.aroflo && p.arofloPhoneOnly)).toBe(true);
  });

  it('AroFlo people without a business are residential clients named "First Last", with their own details and no contact record', () => {
    const clients = s.sb.admin.listClients();
    const residential = s.world.people.filter((p) => p.in.aroflo && !p.businessKey);
    expect(clients.length).toBe(s.world.businesses.length + residential.length);
    const contactsByEmail = new Set(
      s.sb.admin
        .listContacts()
        .map((c) => c.email)
        .filter(Boolean),
    );
    for (const p of residential) {
      const c = clients.find(
        (x) =>
          x.firstname === p.firstName &&
          x.surname === p.lastName &&
          x.clientname.startsWith(`${p.firstName} ${p.lastName}`) &&
          x.mobile === (p.phone ? formatPhoneAroflo(p.phone) : ''),
      );
      expect(c, p.key).toBeDefined();
      expect(c!.email).toBe(p.arofloPhoneOnly ? '' : (p.email ?? ''));
      if (p.email) expect(contactsByEmail.has(p.email)).toBe(false);
    }
    const names = clients.map((c) => c.clientname.toLowerCase());
    expect(new Set(names).size).toBe(names.length); // AroFlo refuses duplicate client names
  });

  it('people not in AroFlo are absent', () => {
    const emails = new Set([
      ...s.sb.admin.listClients().map((c) => c.email),
      ...s.sb.admin.listContacts().map((c) => c.email),
    ]);
    for (const p of s.world.people.filter((x) => !x.in.aroflo && x.email)) expect(emails.has(p.email!)).toBe(false);
  });

  it('AroFlo tasks sit on the person’s client with contact/userid when the person is a contact; notes follow', async () => {
    const worldTasks = s.world.tasks.filter((t) => t.system === 'aroflo');
    const tasks = await s.all('tasks', [
      ['where', 'and|taskid|!=|0'],
      ['join', 'notes'],
    ]);
    expect(tasks.length).toBe(worldTasks.length);
    const contacts = s.sb.admin.listContacts();
    let withContact = 0;
    for (const wt of worldTasks) {
      const p = s.world.people.find((x) => x.key === wt.personKey)!;
      const t = tasks.find(
        (x) => x.taskname === wt.title && x.duedate === wt.dueDate.replaceAll('-', '/') && x.description === wt.body,
      );
      expect(t, wt.key).toBeDefined();
      expect(t.status === 'Completed').toBe(wt.completed);
      if (p.businessKey) {
        const c = contacts.find((x) => x.userid === t.contact.userid)!;
        expect(c).toMatchObject({ givennames: p.firstName, surname: p.lastName });
        withContact++;
      } else {
        expect(t.contact.userid).toBe('');
        expect(t.client.clientname.startsWith(`${p.firstName} ${p.lastName}`)).toBe(true);
      }
    }
    expect(withContact).toBeGreaterThan(0);
    const taskNotes = s.world.notes.filter((n) => n.system === 'aroflo' && n.taskKey);
    expect(tasks.reduce((n, t) => n + t.tasknotes.length, 0)).toBe(taskNotes.length);
    const clientNotes = s.world.notes.filter((n) => n.system === 'aroflo' && !n.taskKey);
    expect(s.sb.admin.listClientNotes().length).toBe(clientNotes.length);
  });

  it('is deterministic: the same world loads with the same ids and credentials', async () => {
    const again = await startSandbox({ world: s.world });
    try {
      expect(again.sb.admin.listClients().map((c) => c.clientid)).toEqual(
        s.sb.admin.listClients().map((c) => c.clientid),
      );
      expect(again.sb.credentials).toEqual(s.sb.credentials);
      expect(again.sb.credentials.businessUnits.length).toBeGreaterThanOrEqual(2);
      expect(again.sb.credentials.taskTypes.length).toBeGreaterThanOrEqual(3);
    } finally {
      await again.sb.close();
    }
  });
});
