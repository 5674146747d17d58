/**
 * `ghl-bridge smoke` against the sandboxes over real HTTP (README "Before you switch sync on for real"): read-only by
 * default, one labelled round trip with --write that leaves nothing behind in HighLevel and Aimfox, a report without
 * secrets, and — against a GHL sandbox started with a deliberately different answer shape — the difference reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli.js';
import { wireToSandboxes, DEMO_REDIRECT } from '../../main/cli/demo.js';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { createService, type Service } from '../../main/service/index.js';
import { GHL_PINS } from '../../main/smoke/pins/ghl.js';
import { formatSmokeReport, runSmoke, type SmokeReport } from '../../main/smoke/run.js';

const VAULT_KEY = 'smoke-test-key-not-secret';
const SCALE = 200;

interface Setup {
  boxes: Sandboxes;
  svc: Service;
  profileDir: string;
  close(): Promise<void>;
}

let setup: Setup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

async function start(ghlRenameKeys?: Record<string, string>): Promise<Setup> {
  const boxes = await startSandboxes({ seed: 11, contacts: 40, rateLimits: SCALE, admin: true, redirectUris: [DEMO_REDIRECT], ghlRenameKeys });
  const profileDir = mkdtempSync(join(tmpdir(), 'ghlb-smoke-'));
  const svc = await createService({ profileDir, env: { GHL_BRIDGE_VAULT_KEY: VAULT_KEY } });
  await wireToSandboxes(svc, boxes, { rateScale: SCALE });
  let closed = false;
  return {
    boxes,
    svc,
    profileDir,
    async close() {
      if (!closed) await svc.close();
      closed = true;
      await boxes.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

const smokeOf = (s: Setup, write = false): Promise<SmokeReport> =>
  runSmoke({ ghl: s.svc.connections.ghlClient(), aroflo: s.svc.connections.arofloClient(), aimfox: s.svc.connections.aimfoxClient(), write });

const ghlSteps = (r: SmokeReport, outcome: string) => r.steps.filter((s) => s.system === 'ghl' && s.outcome === outcome).map((s) => s.call);

describe('ghl-bridge smoke', () => {
  it('read-only: every read call answers as pinned, nothing is written', async () => {
    setup = await start();
    const before = { ghl: setup.boxes.ghl.admin.listContacts().length, aroflo: setup.boxes.aroflo.admin.listClients().length };
    const r = await smokeOf(setup);
    expect(r.steps.filter((s) => s.outcome === 'differs' || s.outcome === 'failed')).toEqual([]);
    const reads = ['listCustomFields', 'searchContacts', 'listContactsDeprecated', 'findDuplicate', 'businessContacts', 'getContact', 'listTasks', 'listNotes', 'listAppointments'] as const;
    for (const p of reads) expect(ghlSteps(r, 'ok'), p).toContain(GHL_PINS[p].call);
    expect(ghlSteps(r, 'skipped')).toContain(GHL_PINS.createContact.call);
    expect(ghlSteps(r, 'ok')).toContain('X-RateLimit-* headers');
    expect(r.steps.some((s) => s.system === 'aroflo' && s.outcome === 'ok')).toBe(true);
    expect(r.steps.some((s) => s.system === 'aimfox' && s.outcome === 'ok')).toBe(true);
    expect(setup.boxes.ghl.admin.listContacts().length).toBe(before.ghl);
    expect(setup.boxes.aroflo.admin.listClients().length).toBe(before.aroflo);
  }, 60_000);

  it('--write: one labelled round trip per system, every call as pinned, HighLevel and Aimfox tidied up', async () => {
    setup = await start();
    const labelsBefore = setup.boxes.aimfox.admin.listLabels().length;
    const r = await smokeOf(setup, true);
    expect(r.steps.filter((s) => s.outcome === 'differs' || s.outcome === 'failed')).toEqual([]);
    // Every call type of the bridge was exercised against HighLevel and fit its pin.
    expect([...new Set(ghlSteps(r, 'ok'))].sort()).toEqual([...new Set([...Object.values(GHL_PINS).map((p) => p.call), 'X-RateLimit-* headers'])].sort());
    expect(setup.boxes.ghl.admin.listContacts().filter((c) => String(c.email ?? '').startsWith('ghl-bridge-smoke-'))).toEqual([]);
    expect(setup.boxes.aimfox.admin.listLabels().length).toBe(labelsBefore);
    expect(setup.boxes.aimfox.admin.listLeads().flatMap((l) => (l.notes ?? []) as Array<{ text: string }>).filter((n) => n.text.includes('GHL Bridge smoke test'))).toEqual([]);
    // AroFlo cannot delete: the test task is archived, the test client is reported and reused next time.
    const aroTasks = setup.boxes.aroflo.admin.listTasks().filter((t) => t.taskname.startsWith('GHL Bridge smoke test'));
    expect(aroTasks.length).toBe(1);
    expect(aroTasks[0]!.status).toBe('Archived');
    expect(r.leftBehind.some((l) => l.startsWith('AroFlo: the client "GHL Bridge smoke test"'))).toBe(true);
    const aroOk = r.steps.filter((s) => s.system === 'aroflo' && s.outcome === 'ok').map((s) => s.call);
    for (const c of ['clients (insertClients)', 'clients (updateClients)', 'clientnotes (insertClientNotes)', 'clientnotes (updateClientNotes)', 'tasks (insertTasks)', 'task notes (updateTaskNotes)', 'tasks (updateTasks: archive)']) expect(aroOk, c).toContain(c);
    const aimOk = r.steps.filter((s) => s.system === 'aimfox' && s.outcome === 'ok').map((s) => s.call);
    for (const c of ['lead notes (createNote)', 'lead notes (updateNote)', 'lead notes (deleteNote)', 'labels (attachLabel)', 'labels (detachLabel)', 'labels (deleteLabel)']) expect(aimOk, c).toContain(c);
    const again = await smokeOf(setup, true);
    expect(again.counts.failed + again.counts.differs).toBe(0);
    expect(setup.boxes.aroflo.admin.listClients().filter((c) => c.clientname === 'GHL Bridge smoke test').length).toBe(1);
  }, 90_000);

  it('reports a HighLevel answer whose shape drifted (a sandbox that renames keys), naming the call and the field', async () => {
    setup = await start({ searchAfter: 'sortValues', succeeded: 'success' });
    const r = await smokeOf(setup, true);
    const differs = r.steps.filter((s) => s.outcome === 'differs');
    expect(differs.map((s) => s.call)).toEqual(expect.arrayContaining([GHL_PINS.searchContacts.call, GHL_PINS.updateContact.call, GHL_PINS.deleteContact.call]));
    expect(differs.find((s) => s.call === GHL_PINS.searchContacts.call)!.details).toContain('$.contacts[].searchAfter: missing');
    expect(differs.find((s) => s.call === GHL_PINS.deleteContact.call)!.details).toContain('$.succeeded: missing');
    const text = formatSmokeReport(r);
    expect(text).toContain('DIFFERS  POST /contacts/search');
    expect(text).toContain('Please send this report');
  }, 90_000);

  it('the command prints a report without secrets or personal data, and exits 1 when something differs', async () => {
    setup = await start({ bodyText: 'plain' });
    await setup.svc.close();
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const prevKey = process.env.GHL_BRIDGE_VAULT_KEY;
    process.env.GHL_BRIDGE_VAULT_KEY = VAULT_KEY;
    let code: number;
    try {
      code = await main(['smoke', '--write', '--profile', setup.profileDir]);
    } finally {
      spy.mockRestore();
      if (prevKey === undefined) delete process.env.GHL_BRIDGE_VAULT_KEY;
      else process.env.GHL_BRIDGE_VAULT_KEY = prevKey;
    }
    const text = out.join('');
    expect(text).toContain('GHL Bridge smoke test');
    expect(text).toContain('$.note.bodyText: missing');
    expect(code).toBe(1);
    const g = setup.boxes.ghl.credentials;
    const a = setup.boxes.aroflo.credentials;
    for (const secret of [g.privateToken, g.oauth.clientSecret, a.secretKey, a.pEncoded, a.uEncoded, setup.boxes.aimfox.credentials.apiKey]) expect(text).not.toContain(secret);
    for (const c of setup.boxes.ghl.admin.listContacts()) {
      if (c.email) expect(text).not.toContain(String(c.email));
      expect(text).not.toContain(c.id);
    }
  }, 90_000);
});
