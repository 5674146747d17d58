/**
 * Records a connector rejects as unreadable (wrong types inside an otherwise valid answer, served by a loopback
 * proxy in front of the sandbox): each is quarantined and shown under "needs attention", and — found by fuzzing —
 * nothing it could be is taken for deleted: not its linked counterpart, not its tasks, notes or business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArrays } from './proxy.js';
import { startProxiedBed, type ProxiedBed } from './proxied-bed.js';

let bed: ProxiedBed;
beforeAll(async () => {
  bed = await startProxiedBed(29);
}, 120_000);
afterAll(async () => {
  await bed?.close();
});

describe('a record the connector rejects', () => {
  it('a HighLevel note that cannot be read is quarantined, shown, and its link and AroFlo copy stay as they were', async () => {
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'note')
      .find((l) => l.other_id?.startsWith('clientnote:'))!;
    const [contactId, noteId] = link.ghl_id!.split('/') as [string, string];
    const r = await bed.runWith('ghl', (body, url) => {
      if (!url.includes(`/contacts/${contactId}/notes`)) return false;
      for (const arr of recordArrays(body, ['id'])) for (const n of arr) if (n.id === noteId) n.body = { html: 5 };
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'note', link.ghl_id!)?.state).toBe('active');
    expect(
      bed.svc.sync.store.quarantine
        .list(100)
        .some((q) => q.system === 'ghl' && q.entity === 'note' && q.record_id === link.ghl_id),
    ).toBe(true);
    expect((await bed.svc.api.getStatus()).attention.map((a) => a.kind)).toContain('quarantine');
  }, 60_000);

  it('a HighLevel contact that cannot be read keeps its jobs, notes and business in AroFlo (its children are not taken for deleted)', async () => {
    const task = bed.svc.sync.store.links
      .active('ghl-aroflo', 'task')
      .find((l) => bed.boxes.aroflo.admin.getTask(l.other_id!)?.status !== 'Archived')!;
    const contactId = task.ghl_id!.split('/')[0]!;
    const r = await bed.runWith('ghl', (body, url) => {
      if (!url.includes('/contacts/search')) return false;
      for (const arr of recordArrays(body, ['id'])) for (const c of arr) if (c.id === contactId) c.tags = 'vip';
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(
      bed.svc.sync.store.audit
        .forRun(r.summary.id)
        .filter((a) => a.action === 'delete' || a.action === 'archive' || a.action === 'unlink'),
    ).toEqual([]);
    expect(bed.boxes.aroflo.admin.getTask(task.other_id!)?.status).not.toBe('Archived');
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'task', task.ghl_id!)?.state).toBe('active');
    expect(bed.svc.sync.store.quarantine.list(100).some((q) => q.system === 'ghl' && q.record_id === contactId)).toBe(
      true,
    );
  }, 60_000);

  it('a HighLevel contact that arrives without its id is quarantined, and no linked person is taken for deleted', async () => {
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => bed.boxes.ghl.admin.getContact(l.ghl_id!))!;
    const before = bed.svc.sync.store.quarantine.count();
    const r = await bed.runWith('ghl', (body, url) => {
      if (!url.includes('/contacts/search')) return false;
      for (const arr of recordArrays(body, ['id'])) for (const c of arr) if (c.id === link.ghl_id) delete c.id;
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(
      bed.svc.sync.store.audit
        .forRun(r.summary.id)
        .filter((a) => a.action === 'delete' || a.action === 'archive' || a.action === 'unlink'),
    ).toEqual([]);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', link.ghl_id!)?.state).toBe('active');
    expect(bed.svc.sync.store.quarantine.count()).toBeGreaterThan(before);
  }, 60_000);

  it('an AroFlo customer that cannot be read is quarantined, and its HighLevel contact is not taken for deleted', async () => {
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:') && bed.boxes.ghl.admin.getContact(l.ghl_id!))!;
    const clientId = link.other_id!.split(':')[1]!;
    const r = await bed.runWith('aroflo', (body, url) => {
      if (!/zone=clients/i.test(url)) return false;
      for (const arr of recordArrays(body, ['clientid']))
        for (const c of arr) if (c.clientid === clientId) c.archived = 'perhaps';
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(r.summary.deleted).toEqual({});
    expect(bed.boxes.ghl.admin.getContact(link.ghl_id!)!.tags).not.toContain('archived-by-ghl-bridge');
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', link.ghl_id!)?.state).toBe('active');
    expect(
      bed.svc.sync.store.quarantine.list(100).some((q) => q.system === 'aroflo' && q.record_id.includes(clientId)),
    ).toBe(true);
  }, 60_000);
});

/**
 * A client's `contacts` list that is not a list. AroFlo always sends the joined list, `[]` when a client has none
 * (main/connectors/aroflo/README.md, "Facts: clients"), so anything else says nothing about who the client's people
 * are. Found by api-responses.test.ts: `{"element":20,"field":22,"value":null}` on a business's `contacts` made its
 * four linked people look deleted in AroFlo, and the run deleted them in HighLevel.
 */
describe("an AroFlo business whose people list is spoiled (fuzz: a business's contacts came back null)", () => {
  const spoilt: Array<[string, (c: Record<string, unknown>) => void]> = [
    ['null', (c) => (c.contacts = null)],
    ['missing', (c) => delete c.contacts],
    ['an empty string', (c) => (c.contacts = '')],
    ['a number', (c) => (c.contacts = 7)],
    ['an object that is no contact', (c) => (c.contacts = { a: 'b' })],
    [
      'a list with one person unreadable',
      (c) => ((c.contacts as Array<Record<string, unknown>>)[0]!.archived = 'perhaps'),
    ],
  ];
  for (const [what, spoil] of spoilt)
    it(`contacts ${what}: none of its linked people is deleted in HighLevel, and the business is quarantined`, async () => {
      const byClient = new Map<string, string[]>();
      for (const l of bed.svc.sync.store.links.active('ghl-aroflo', 'contact'))
        if (l.other_id?.startsWith('contact:') && bed.boxes.ghl.admin.getContact(l.ghl_id!)) {
          const clientId = l.other_id.split(':')[1]!;
          byClient.set(clientId, [...(byClient.get(clientId) ?? []), l.ghl_id!]);
        }
      const [clientId, people] = [...byClient].sort((a, b) => b[1].length - a[1].length)[0]!;
      expect(people.length).toBeGreaterThan(0);
      const r = await bed.runWith('aroflo', (body, url) => {
        if (!/zone=clients/i.test(url)) return false;
        for (const arr of recordArrays(body, ['clientid'])) for (const c of arr) if (c.clientid === clientId) spoil(c);
        return true;
      });
      expect(['ok', 'partial']).toContain(r.summary.status);
      expect(
        bed.svc.sync.store.audit
          .forRun(r.summary.id)
          .filter((a) => a.action === 'delete' || a.action === 'archive' || a.action === 'unlink')
          .map((a) => `${a.system} ${a.entity} ${a.recordId}`),
      ).toEqual([]);
      for (const id of people) {
        expect(bed.boxes.ghl.admin.getContact(id)).toBeTruthy();
        expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', id)?.state).toBe('active');
      }
      const q = bed.svc.sync.store.quarantine
        .list(100)
        .find((x) => x.system === 'aroflo' && x.entity === 'contact' && x.record_id.includes(clientId));
      expect(q?.reason).toMatch(/contacts/);
      expect((await bed.svc.api.getStatus()).attention.map((a) => a.kind)).toContain('quarantine');
      // Read as it should be again, the business's people are back in sync: nothing was lost meanwhile.
      const next = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
      expect(next.summary.status).toBe('ok');
      for (const id of people)
        expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', id)?.state).toBe('active');
    }, 60_000);
});

/** The records of an AroFlo answer's zone: a list, or the one record AroFlo sends bare (a read by id). */
function zoneRecords(body: unknown, zone: string): Array<Record<string, unknown>> {
  const v = (body as { zoneresponse?: Record<string, unknown> } | null)?.zoneresponse?.[zone];
  if (Array.isArray(v)) return v as Array<Record<string, unknown>>;
  return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
}

describe('what an unreadable list hides is not read, not gone', () => {
  /** Clients (with people linked) by id → their linked HighLevel contacts that still exist. */
  const businesses = () => {
    const byClient = new Map<string, string[]>();
    for (const l of bed.svc.sync.store.links.active('ghl-aroflo', 'contact'))
      if (l.other_id?.startsWith('contact:') && bed.boxes.ghl.admin.getContact(l.ghl_id!)) {
        const clientId = l.other_id.split(':')[1]!;
        byClient.set(clientId, [...(byClient.get(clientId) ?? []), l.ghl_id!]);
      }
    return [...byClient].sort((a, b) => b[1].length - a[1].length);
  };
  /** Every answer naming the client, listings and reads by id (one record comes back bare) alike. */
  const nullContacts = (clientId: string) => (body: unknown, url: string) => {
    if (!/zone=clients/i.test(url)) return false;
    for (const c of zoneRecords(body, 'clients')) if (c.clientid === clientId) c.contacts = null;
    return true;
  };
  const removals = (runId: string) =>
    bed.svc.sync.store.audit
      .forRun(runId)
      .filter((a) => a.action === 'delete' || a.action === 'archive' || a.action === 'unlink')
      .map((a) => `${a.system} ${a.entity} ${a.recordId}`);

  it('a person edited in HighLevel while their business comes back with its people unreadable: nothing is deleted or written on an old copy, and the edit reaches AroFlo once it reads right', async () => {
    const [clientId, people] = businesses()[0]!;
    const ghlId = people[0]!;
    const link = bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', ghlId)!;
    const userId = link.other_id!.split(':')[2]!;
    bed.boxes.ghl.admin.updateContact(ghlId, { firstName: 'Renamed' });
    const r = await bed.runWith('aroflo', nullContacts(clientId));
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(removals(r.summary.id)).toEqual([]);
    expect(bed.boxes.ghl.admin.getContact(ghlId)).toBeTruthy();
    // Not written on the word of the copy from before: AroFlo's side of it could not be read.
    expect(bed.boxes.aroflo.admin.listContacts().find((c) => c.userid === userId)?.givennames).not.toBe('Renamed');
    const next = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
    expect(next.summary.status).toBe('ok');
    expect(bed.boxes.aroflo.admin.listContacts().find((c) => c.userid === userId)?.givennames).toBe('Renamed');
  }, 60_000);

  it('a customer edited in HighLevel while AroFlo sends it unreadable, listed and read by id alike: not taken for deleted, not recreated, and the edit reaches AroFlo once it reads right', async () => {
    const link = bed.svc.sync.store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => l.other_id?.startsWith('client:') && bed.boxes.ghl.admin.getContact(l.ghl_id!))!;
    const clientId = link.other_id!.split(':')[1]!;
    const clients = bed.boxes.aroflo.admin.listClients().length;
    bed.boxes.ghl.admin.updateContact(link.ghl_id!, { firstName: 'Edited' });
    const r = await bed.runWith('aroflo', (body, url) => {
      if (!/zone=clients/i.test(url)) return false;
      for (const c of zoneRecords(body, 'clients')) if (c.clientid === clientId) c.archived = 'perhaps';
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(removals(r.summary.id)).toEqual([]);
    expect(bed.boxes.aroflo.admin.listClients()).toHaveLength(clients);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', link.ghl_id!)?.other_id).toBe(link.other_id);
    const next = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
    expect(next.summary.status).toBe('ok');
    expect(bed.boxes.aroflo.admin.listClients().find((c) => c.clientid === clientId)?.firstname).toBe('Edited');
  }, 60_000);

  it('the rolling re-read of a business whose people come back unreadable takes none of them for deleted (an incremental run)', async () => {
    const [clientId, people] = businesses()[0]!;
    const store = bed.svc.sync.store;
    await bed.svc.api.saveSettings({ settings: { budget: { rereadWindowHours: 1 } } });
    // Every entity's last slice a day ago: this sync's slice is the whole lap.
    for (const e of ['business', 'contact', 'task', 'note']) {
      const name = `ghl-aroflo:${e}`;
      const p = store.budget.position(name);
      store.budget.setPosition(name, {
        afterId: 0,
        lapStartedAt: p?.lapStartedAt ?? Date.now(),
        lastAt: Date.now() - 86_400_000,
      });
    }
    bed.proxies.aroflo.set((body, req) => (nullContacts(clientId)(body, req.url) ? body : undefined));
    let r;
    try {
      r = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: false });
    } finally {
      bed.proxies.aroflo.set(undefined);
    }
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(removals(r.summary.id)).toEqual([]);
    for (const id of people) expect(store.links.byGhl('ghl-aroflo', 'contact', id)?.state).toBe('active');
  }, 60_000);

  it('a job whose notes list comes back null: none of its notes is deleted in HighLevel, and the job is quarantined', async () => {
    const link = bed.svc.sync.store.links.active('ghl-aroflo', 'note').find((l) => {
      if (!l.other_id?.startsWith('tasknote:')) return false;
      const [contactId, noteId] = l.ghl_id!.split('/') as [string, string];
      return bed.boxes.ghl.admin.listNotes(contactId).some((n) => n.id === noteId);
    })!;
    expect(link).toBeTruthy();
    const taskId = link.other_id!.split(':')[1]!;
    const [contactId, noteId] = link.ghl_id!.split('/') as [string, string];
    const r = await bed.runWith('aroflo', (body, url) => {
      if (!/zone=tasks/i.test(url)) return false;
      for (const t of zoneRecords(body, 'tasks')) if (t.taskid === taskId) t.tasknotes = null;
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(removals(r.summary.id)).toEqual([]);
    expect(bed.boxes.ghl.admin.listNotes(contactId).some((n) => n.id === noteId)).toBe(true);
    expect(bed.svc.sync.store.links.byGhl('ghl-aroflo', 'note', link.ghl_id!)?.state).toBe('active');
    expect(
      bed.svc.sync.store.quarantine.list(100).find((q) => q.system === 'aroflo' && q.record_id === `task:${taskId}`)
        ?.reason,
    ).toMatch(/notes/);
  }, 60_000);

  it('fuzz finding 2 — the run after a spoiled people list (aimfox {"element":40,"field":5,"value":["A=",")0$"]} on industry_urn) deletes nothing: what the earlier run lost was its deletes', async () => {
    // As the fuzz run went: the spoiled AroFlo answer in a run that was allowed to go ahead (the guard's limit is
    // relative; in the fuzz bed four deletes were under it), then the next run with one lead's industry spoiled.
    const [clientId] = businesses()[0]!;
    bed.proxies.aroflo.set((body, req) => (nullContacts(clientId)(body, req.url) ? body : undefined));
    let first;
    try {
      first = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true, approve: true });
    } finally {
      bed.proxies.aroflo.set(undefined);
    }
    expect(removals(first.summary.id)).toEqual([]);
    const lead = bed.svc.sync.store.links.active('ghl-aimfox', 'lead')[0]!;
    const r = await bed.runWith('aimfox', (body, url) => {
      if (!/\/leads:search/.test(url)) return false;
      for (const arr of recordArrays(body, ['id']))
        for (const l of arr) if (String(l.id) === lead.other_id) l.industry_urn = ['A=', ')0$'];
      return true;
    });
    expect(r.summary.status, r.summary.message).toBe('ok');
    expect(removals(r.summary.id)).toEqual([]);
  }, 60_000);
});

describe('Aimfox lead notes read back into HighLevel', () => {
  it('a lead note that cannot be read is quarantined, and no linked note is taken for deleted (nor its HighLevel note unlinked)', async () => {
    const m = structuredClone((await bed.svc.api.getMappings()).find((x) => x.pair === 'ghl-aimfox')!);
    for (const f of m.entities.find((e) => e.entity === 'note')!.fields) f.direction = 'both';
    await bed.svc.api.saveMapping({ mapping: m });
    await bed.svc.api.previewMapping({ pair: 'ghl-aimfox' });
    await bed.svc.api.setSyncEnabled({ pair: 'ghl-aimfox', enabled: true });
    const link = bed.svc.sync.store.links.active('ghl-aimfox', 'note').find((l) => !l.ghl_id?.includes('appt'))!;
    expect(link).toBeTruthy();
    const [leadId, noteId] = link.other_id!.split('/') as [string, string];
    const r = await bed.runWith('aimfox', (body, url) => {
      if (!url.includes(`/leads/${leadId}/notes`)) return false;
      for (const arr of recordArrays(body, ['id'])) for (const n of arr) if (String(n.id) === noteId) n.text = 5;
      return true;
    });
    expect(['ok', 'partial']).toContain(r.summary.status);
    expect(
      bed.svc.sync.store.audit
        .forRun(r.summary.id)
        .filter((a) => a.action === 'delete' || a.action === 'archive' || a.action === 'unlink')
        .map((a) => `${a.system} ${a.entity} ${a.recordId}`),
    ).toEqual([]);
    expect(bed.svc.sync.store.links.byOther('ghl-aimfox', 'note', link.other_id!)?.state).toBe('active');
    expect(
      bed.svc.sync.store.quarantine.list(100).some((q) => q.system === 'aimfox' && q.record_id === link.other_id),
    ).toBe(true);
  }, 60_000);
});
