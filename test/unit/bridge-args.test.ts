/**
 * Every bridge method's argument is checked against its schema (main/service/args.ts) before the handler runs, on
 * both transports: serve mode over real HTTP and Electron IPC (registerBridgeIpc with a fake ipcMain), in front of the
 * real service on a fresh profile. A refused argument is a 400 naming the field; no database text ever reaches the
 * caller, whatever is sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_METHODS, ipcChannel } from '../../preload/contract.js';
import type { BridgeMethod } from '../../preload/contract.js';
import { createService, type Service } from '../../main/service/index.js';
import { BRIDGE_ARGS } from '../../main/service/args.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';
import { registerBridgeIpc } from '../../main/app/ipc-bridge.js';
import type { IpcMainLike } from '../../main/app/ipc-bridge.js';
import { APP_ORIGIN } from '../../main/app/security.js';

type Handler = Parameters<IpcMainLike['handle']>[1];

let svc: Service;
let web: WebServer;
const ipcHandlers = new Map<string, Handler>();
const loggedErrors: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-args-'));
  const staticDir = mkdtempSync(join(tmpdir(), 'ghlb-args-web-'));
  dirs.push(dir, staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title>');
  svc = await createService({ profileDir: dir, env: { GHL_BRIDGE_VAULT_KEY: 'args-key-not-secret-0123456789abcdef' } });
  web = await startWebServer({
    service: svc,
    staticDir,
    log: { error: (m, c) => loggedErrors.push(`${m} ${JSON.stringify(c)}`) },
  });
  registerBridgeIpc(
    { handle: (ch, h) => ipcHandlers.set(ch, h), removeHandler: (ch) => ipcHandlers.delete(ch) },
    { api: svc.api, isTrusted: () => true, log: { warn: () => undefined, error: () => undefined } },
  );
});

afterAll(async () => {
  await web?.close();
  await svc?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function http(
  method: string,
  arg: unknown,
): Promise<{ status: number; body: { error?: { kind?: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`${web.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${web.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(arg),
  });
  return { status: res.status, body: (await res.json()) as { error?: { kind?: string; message: string } } };
}

async function ipc(method: BridgeMethod, arg: unknown): Promise<unknown> {
  const h = ipcHandlers.get(ipcChannel(method))!;
  return h(
    { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } } as unknown as Parameters<Handler>[0],
    arg,
  );
}

describe('bridge method arguments', () => {
  it('there is one schema per bridge method, and no other', () => {
    expect(Object.keys(BRIDGE_ARGS).sort()).toEqual([...BRIDGE_METHODS].sort());
  });

  it('listConflicts {"limit": -1, "offset": "x"} is a 400 naming both fields, not SQLite text', async () => {
    const res = await http('listConflicts', { limit: -1, offset: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error?.kind).toBe('invalid_request');
    expect(res.body.error?.message).toMatch(/listConflicts/);
    expect(res.body.error?.message).toMatch(/offset/);
    expect(res.body.error?.message).toMatch(/limit/);
    expect(JSON.stringify(res.body)).not.toMatch(/sqlite|datatype|mismatch/i);
  });

  it('the IPC transport refuses the same argument the same way', async () => {
    const out = (await ipc('listConflicts', { limit: -1, offset: 'x' })) as {
      ok: boolean;
      error?: { kind?: string; message: string };
    };
    expect(JSON.stringify(out)).toMatch(/invalid_request/);
    expect(JSON.stringify(out)).toMatch(/offset/);
    expect(JSON.stringify(out)).not.toMatch(/sqlite|datatype|mismatch/i);
  });

  it('names the field for wrong types, unknown enum values and oversized text, without echoing the value', async () => {
    const cases: Array<[BridgeMethod, unknown, RegExp]> = [
      ['listRuns', { limit: 'lots' }, /limit/],
      ['testConnection', { system: 'salesforce-secret-value' }, /system/],
      ['setSyncEnabled', { pair: 'ghl-aroflo', enabled: 'yes' }, /enabled/],
      ['listActivity', { before: -5 }, /before/],
      ['saveSettings', { settings: { syncIntervalMinutes: 0 } }, /settings\.syncIntervalMinutes/],
      ['resolveConflict', { id: 'c1', choices: { email: 'ghl' } }, /choices\.email/],
      ['resolveConflict', { id: 'c1', choices: { email: { take: 'value', value: 42 } } }, /choices\.email/],
      ['getConflict', { id: 'x'.repeat(5000) }, /id/],
      ['getConflict', 'not-an-object', /argument/],
    ];
    for (const [method, arg, field] of cases) {
      const res = await http(method, arg);
      expect(res.status, method).toBe(400);
      expect(res.body.error?.message, method).toMatch(field);
      expect(res.body.error?.message, method).not.toContain('salesforce-secret-value');
    }
  });

  it('valid arguments still reach the handlers, with and without the optional ones', async () => {
    expect((await http('listConflicts', { limit: 5, offset: 0, kind: 'conflict', query: 'ann' })).body).toEqual({
      items: [],
      total: 0,
    });
    expect((await http('listConflicts', {})).status).toBe(200);
    expect(await svc.api.listRuns(undefined as unknown as { limit?: number })).toEqual([]);
    expect((await http('getStatus', {})).status).toBe(200);
    expect((await http('getConflict', { id: 'nope' })).status).toBe(404);
  });

  it('fuzz: any JSON to the read methods answers 200 or 4xx, never a 500 or database text', async () => {
    const methods = [
      'listConflicts',
      'listActivity',
      'listLogs',
      'listRuns',
      'activityStats',
      'getConflict',
      'getRunPlan',
      'getStatus',
    ] as const;
    const value = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(-1),
      fc.constant(1e300),
      fc.constant("'; drop table conflicts; --"),
    );
    const arg = fc.oneof(
      fc.record(
        {
          limit: value,
          offset: value,
          before: value,
          days: value,
          query: value,
          system: value,
          kind: value,
          level: value,
          id: value,
          runId: value,
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), arg, async (method, a) => {
        const res = await http(method, a);
        expect(
          res.status === 200 || (res.status >= 400 && res.status < 500),
          `${method} ${JSON.stringify(a)} → ${res.status} ${JSON.stringify(res.body)}`,
        ).toBe(true);
        expect(JSON.stringify(res.body)).not.toMatch(/sqlite|SQLITE_|datatype mismatch/i);
      }),
      { numRuns: 300 },
    );
    expect(loggedErrors).toEqual([]);
  });
});
