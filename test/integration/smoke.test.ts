/**
 * `ghl-bridge smoke` against the sandboxes over real HTTP (README "Before you switch sync on for real"): read-only by
 * default, one labelled round trip with --write that leaves nothing behind in HighLevel and Aimfox, a report without
 * secrets, and — against a GHL sandbox started with a deliberately different answer shape — the difference reported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli.js';
import { wireToSandboxes, DEMO_REDIRECT } from '../../main/cli/demo.js';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { createService, type Service } from '../../main/service/index.js';
import { SMOKE_SKIP_REASON } from '../../main/smoke/marker.js';
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
  const boxes = await startSandboxes({
    seed: 11,
    contacts: 40,
    rateLimits: SCALE,
    admin: true,
    redirectUris: [DEMO_REDIRECT],
    ghlRenameKeys,
  });
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
  runSmoke({
    ghl: s.svc.connections.ghlClient(),
    aroflo: s.svc.connections.arofloClient(),
    aimfox: s.svc.connections.aimfoxClient(),
    write,
  });

/** Runs a CLI command on the setup's profile (its service closed first), capturing what it prints. */
async function cli(s: Setup, args: string[]): Promise<{ code: number; out: string; err: string }> {
  await s.svc.close();
  const out: string[] = [];
  const err: string[] = [];
  const so = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  const se = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  const prevKey = process.env.GHL_BRIDGE_VAULT_KEY;
  process.env.GHL_BRIDGE_VAULT_KEY = VAULT_KEY;
  try {
    const code = await main([...args, '--profile', s.profileDir]);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
    if (prevKey === undefined) delete process.env.GHL_BRIDGE_VAULT_KEY;
    else process.env.GHL_BRIDGE_VAULT_KEY = prevKey;
  }
}

async function enableSync(s: Setup, pairs: Array<'ghl-aroflo' | 'ghl-aimfox'>): Promise<void> {
  for (const pair of pairs) {
    await s.svc.api.previewMapping({ pair });
    await s.svc.api.setSyncEnabled({ pair, enabled: true });
  }
}

/**
 * A stand-in in front of the AroFlo sandbox that passes every request through unchanged (so signatures still check)
 * and lets a test change the JSON of an answer — here, a client record AroFlo sent in a shape the connector rejects.
 */
async function arofloRewriter(
  target: string,
  rewrite: (url: string, body: Record<string, unknown>) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        {
          host: t.hostname,
          port: t.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: t.host, 'accept-encoding': 'identity' },
        },
        (ur) => {
          const body: Buffer[] = [];
          ur.on('data', (c: Buffer) => body.push(c));
          ur.on('end', () => {
            let text = Buffer.concat(body).toString('utf8');
            try {
              const json = JSON.parse(text) as Record<string, unknown>;
              rewrite(req.url ?? '', json);
              text = JSON.stringify(json);
            } catch {
              /* not JSON: as it came */
            }
            const headers = { ...ur.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            res.writeHead(ur.statusCode ?? 502, { ...headers, 'content-length': Buffer.byteLength(text) });
            res.end(text);
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const ghlSteps = (r: SmokeReport, outcome: string) =>
  r.steps.filter((s) => s.system === 'ghl' && s.outcome === outcome).map((s) => s.call);

describe('ghl-bridge smoke', () => {
  it('read-only: every read call answers as pinned, nothing is written', async () => {
    setup = await start();
    const before = {
      ghl: setup.boxes.ghl.admin.listContacts().length,
      aroflo: setup.boxes.aroflo.admin.listClients().length,
    };
    const r = await smokeOf(setup);
    expect(r.steps.filter((s) => s.outcome === 'differs' || s.outcome === 'failed')).toEqual([]);
    const reads = [
      'listCustomFields',
      'searchContacts',
      'listContactsDeprecated',
      'searchTasks',
      'findDuplicate',
      'businessContacts',
      'getContact',
      'listTasks',
      'listNotes',
      'listAppointments',
    ] as const;
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
    expect([...new Set(ghlSteps(r, 'ok'))].sort()).toEqual(
      [...new Set([...Object.values(GHL_PINS).map((p) => p.call), 'X-RateLimit-* headers'])].sort(),
    );
    expect(
      setup.boxes.ghl.admin.listContacts().filter((c) => String(c.email ?? '').startsWith('ghl-bridge-smoke-')),
    ).toEqual([]);
    expect(setup.boxes.aimfox.admin.listLabels().length).toBe(labelsBefore);
    expect(
      setup.boxes.aimfox.admin
        .listLeads()
        .flatMap((l) => (l.notes ?? []) as Array<{ text: string }>)
        .filter((n) => n.text.includes('GHL Bridge smoke test')),
    ).toEqual([]);
    // AroFlo cannot delete: the test task is archived, the test client is reported and reused next time.
    const aroTasks = setup.boxes.aroflo.admin.listTasks().filter((t) => t.taskname.startsWith('GHL Bridge smoke test'));
    expect(aroTasks.length).toBe(1);
    expect(aroTasks[0]!.status).toBe('Archived');
    expect(r.leftBehind.some((l) => l.startsWith('AroFlo: the client "GHL Bridge smoke test"'))).toBe(true);
    const aroOk = r.steps.filter((s) => s.system === 'aroflo' && s.outcome === 'ok').map((s) => s.call);
    for (const c of [
      'clients (insertClients)',
      'clients (updateClients)',
      'clientnotes (insertClientNotes)',
      'clientnotes (updateClientNotes)',
      'tasks (insertTasks)',
      'task notes (updateTaskNotes)',
      'tasks (updateTasks: archive)',
    ])
      expect(aroOk, c).toContain(c);
    const aimOk = r.steps.filter((s) => s.system === 'aimfox' && s.outcome === 'ok').map((s) => s.call);
    for (const c of [
      'lead notes (createNote)',
      'lead notes (updateNote)',
      'lead notes (deleteNote)',
      'labels (attachLabel)',
      'labels (detachLabel)',
      'labels (deleteLabel)',
    ])
      expect(aimOk, c).toContain(c);
    const again = await smokeOf(setup, true);
    expect(again.counts.failed + again.counts.differs).toBe(0);
    expect(setup.boxes.aroflo.admin.listClients().filter((c) => c.clientname === 'GHL Bridge smoke test').length).toBe(
      1,
    );
  }, 90_000);

  it('reports a HighLevel answer whose shape drifted (a sandbox that renames keys), naming the call and the field', async () => {
    setup = await start({ searchAfter: 'sortValues', succeeded: 'success' });
    const r = await smokeOf(setup, true);
    const differs = r.steps.filter((s) => s.outcome === 'differs');
    expect(differs.map((s) => s.call)).toEqual(
      expect.arrayContaining([GHL_PINS.searchContacts.call, GHL_PINS.updateContact.call, GHL_PINS.deleteContact.call]),
    );
    expect(differs.find((s) => s.call === GHL_PINS.searchContacts.call)!.details).toContain(
      '$.contacts[].searchAfter: missing',
    );
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
    for (const secret of [
      g.privateToken,
      g.oauth.clientSecret,
      a.secretKey,
      a.pEncoded,
      a.uEncoded,
      setup.boxes.aimfox.credentials.apiKey,
    ])
      expect(text).not.toContain(secret);
    for (const c of setup.boxes.ghl.admin.listContacts()) {
      if (c.email) expect(text).not.toContain(String(c.email));
      expect(text).not.toContain(c.id);
    }
  }, 90_000);

  it('the sync never carries a smoke-test record to another system: the AroFlo test client and a HighLevel test contact left behind are skipped, with the reason', async () => {
    setup = await start();
    await smokeOf(setup, true); // leaves the AroFlo client "GHL Bridge smoke test" (AroFlo cannot delete)
    // A HighLevel test contact whose delete failed on an earlier run.
    setup.boxes.ghl.admin.createContact({
      firstName: 'GHL Bridge',
      lastName: 'smoke test 20260101T000000Z',
      email: 'ghl-bridge-smoke-20260101T000000Z@example.com',
      source: 'GHL Bridge smoke test',
    });
    const preview = await setup.svc.api.previewMapping({ pair: 'ghl-aroflo' });
    const skipped = preview.items.filter((i) => i.action === 'skip' && i.reason === SMOKE_SKIP_REASON);
    expect(skipped.map((i) => i.target).sort()).toEqual(expect.arrayContaining(['aroflo', 'ghl']));
    expect(preview.items.filter((i) => i.action === 'create' && /smoke test/i.test(i.label))).toEqual([]);
    await enableSync(setup, ['ghl-aroflo', 'ghl-aimfox']);
    await setup.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
    // Only the records the smoke test itself made: none was copied across.
    expect(
      setup.boxes.ghl.admin
        .listContacts()
        .filter((c) => /smoke test/i.test(`${c.firstName ?? ''} ${c.lastName ?? ''}`))
        .map((c) => c.email),
    ).toEqual(['ghl-bridge-smoke-20260101T000000Z@example.com']);
    expect(
      setup.boxes.aroflo.admin
        .listClients()
        .filter((c) => /smoke test/i.test(`${c.clientname} ${c.firstname ?? ''} ${c.surname ?? ''}`))
        .map((c) => c.clientname),
    ).toEqual(['GHL Bridge smoke test']);
    expect(
      setup.boxes.aroflo.admin
        .listContacts()
        .filter((u) => /smoke/i.test(`${u.givennames ?? ''} ${u.surname ?? ''} ${u.email ?? ''}`)),
    ).toEqual([]);
  }, 90_000);

  it('--write is refused, with what to do, while sync is switched on for the profile; nothing is written', async () => {
    setup = await start();
    await enableSync(setup, ['ghl-aroflo']);
    const before = {
      ghl: setup.boxes.ghl.admin.listContacts().length,
      aroflo: setup.boxes.aroflo.admin.listClients().length,
    };
    const r = await cli(setup, ['smoke', '--write']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('smoke --write is refused while sync is switched on for this profile (ghl-aroflo)');
    expect(r.err).toContain('ghl-bridge mappings disable ghl-aroflo');
    expect(r.out).toBe('');
    expect(setup.boxes.ghl.admin.listContacts().length).toBe(before.ghl);
    expect(setup.boxes.aroflo.admin.listClients().length).toBe(before.aroflo);
  }, 60_000);

  it('a test contact created in an answer of another shape (its id not at contact.id) is found by its email and deleted', async () => {
    setup = await start({ contact: 'person' });
    const r = await smokeOf(setup, true);
    expect(r.steps.find((s) => s.call === GHL_PINS.createContact.call)!.outcome).toBe('differs');
    expect(
      setup.boxes.ghl.admin.listContacts().filter((c) => String(c.email ?? '').startsWith('ghl-bridge-smoke-')),
    ).toEqual([]);
    expect(r.leftBehind.filter((l) => l.startsWith('HighLevel'))).toEqual([]);
  }, 90_000);

  it('a test contact created in an answer of another shape that cannot be found again is listed as left behind', async () => {
    setup = await start({ contact: 'person', email: 'mail' });
    const r = await smokeOf(setup, true);
    const left = setup.boxes.ghl.admin
      .listContacts()
      .filter((c) => String(c.email ?? '').startsWith('ghl-bridge-smoke-'));
    expect(left.length).toBe(1);
    expect(r.leftBehind).toContainEqual(expect.stringContaining(`HighLevel: the contact "GHL Bridge smoke test`));
    expect(r.leftBehind.find((l) => l.startsWith('HighLevel'))).toContain(String(left[0]!.email));
  }, 90_000);

  it('a record AroFlo sends in another shape is reported by field path and kind of issue only, never its values', async () => {
    setup = await start();
    const name = 'Jane Mcfakename';
    const email = 'jane.mcfakename@example.com';
    const proxy = await arofloRewriter(setup.boxes.aroflo.baseUrl, (url, body) => {
      if (!/zone=clients/i.test(url)) return;
      // AroFlo sends one record as an object, several as an array (main/sandbox/aroflo/README.md).
      const list = (body.zoneresponse as { clients?: unknown } | undefined)?.clients;
      const first = (Array.isArray(list) ? list[0] : list) as Record<string, unknown> | undefined;
      // A shifted column: the name lands in a yes/no field.
      if (first)
        Object.assign(first, { clientname: name, firstname: 'Jane', surname: 'Mcfakename', email, archived: name });
    });
    try {
      const someone = setup.boxes.aroflo.admin.listClients()[0]!;
      setup.boxes.aroflo.admin.updateClient(someone.clientid, { website: 'https://example.com/changed' }); // changed lately: listed
      setup.svc.connections.setEndpoints({ aroflo: proxy.url });
      const r = await smokeOf(setup);
      const text = formatSmokeReport(r) + JSON.stringify(r);
      const step = r.steps.find((s) => s.call === 'clients (listClients, updated in 30 days)')!;
      expect(step.outcome).toBe('differs');
      expect(step.details.join(' ')).toContain('archived: unreadable value');
      for (const v of [name, 'Mcfakename', email]) expect(text).not.toContain(v);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('warns, in the README section and in --help, that the --write test contact fires "Contact Created" workflows', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('## Before you switch sync on for real');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    expect(start).toBeGreaterThan(-1);
    expect(section).toMatch(/test contact in a live location fires that location's "Contact Created" workflows/);
    const out: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      expect(await main(['smoke', '--help'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toContain('"Contact Created" workflows');
  });
});
