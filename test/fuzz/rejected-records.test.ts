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
