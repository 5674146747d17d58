import { describe, expect, it } from 'vitest';
import { BRIDGE_METHODS, ipcChannel } from '../../preload/contract.js';
import type { BridgeApi } from '../../preload/contract.js';
import { registerBridgeIpc, REFUSED } from '../../main/app/ipc-bridge.js';
import type { IpcMainLike } from '../../main/app/ipc-bridge.js';
import { APP_ORIGIN, isTrustedSender, trustedOrigins } from '../../main/app/security.js';

type Handler = Parameters<IpcMainLike['handle']>[1];
type IpcMainInvokeEvent = Parameters<Handler>[0];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(
    channel: string,
    frame: { url: string; parent: unknown } | null,
    arg?: unknown,
    ...location: unknown[]
  ): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(h({ senderFrame: frame } as unknown as IpcMainInvokeEvent, arg, ...location));
  }
}

/** An API that answers every method with what it was called with; getConflict fails the way the service does. */
function recordingApi(calls: Array<{ method: string; arg: unknown }>): BridgeApi {
  const api: Record<string, (arg?: unknown) => Promise<unknown>> = {};
  for (const m of BRIDGE_METHODS) {
    api[m] = async (arg) => {
      calls.push({ method: m, arg });
      if (m === 'getConflict') throw Object.assign(new Error('That conflict no longer exists.'), { kind: 'not_found' });
      if (m === 'listLocations') return { current: 'main', locations: [], canAdd: false };
      if (m === 'listLogs')
        throw new TypeError("Cannot read properties of undefined (reading 'x') at /home/me/secret/path.ts:12");
      return { method: m, arg };
    };
  }
  return api as unknown as BridgeApi;
}

const trusted = trustedOrigins();
const appFrame = { url: `${APP_ORIGIN}/index.html#/status`, parent: null };

function setup() {
  const ipc = new FakeIpcMain();
  const calls: Array<{ method: string; arg: unknown }> = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const unregister = registerBridgeIpc(ipc, {
    api: recordingApi(calls),
    isTrusted: (e) => isTrustedSender(e.senderFrame, trusted),
    log: { warn: (m) => warnings.push(m), error: (m) => errors.push(m) },
  });
  return { ipc, calls, warnings, errors, unregister };
}

describe('Electron IPC transport', () => {
  it('registers exactly one handler per bridge method', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(BRIDGE_METHODS.map(ipcChannel).sort());
  });

  it('passes the argument through and wraps the result', async () => {
    const { ipc, calls } = setup();
    await expect(ipc.invoke('bridge:listConflicts', appFrame, { limit: 5 })).resolves.toEqual({
      ok: true,
      value: { method: 'listConflicts', arg: { limit: 5 } },
    });
    expect(calls).toEqual([{ method: 'listConflicts', arg: { limit: 5 } }]);
  });

  it("a call naming the window's location runs there; one naming a location that is not open runs nothing", async () => {
    const { ipc, calls } = setup();
    // The one location answers as "main" (the profile root before it is signed in to HighLevel).
    calls.length = 0;
    const own = await ipc.invoke('bridge:pause', appFrame, {}, 'main');
    expect(own).toEqual({ ok: true, value: { method: 'pause', arg: {} } });
    const other = (await ipc.invoke('bridge:pause', appFrame, {}, 'loc-b')) as { ok: boolean; error: { kind: string } };
    expect(other).toMatchObject({ ok: false, error: { kind: 'no_location' } });
    const odd = (await ipc.invoke('bridge:pause', appFrame, {}, 42)) as { ok: boolean; error: { kind: string } };
    expect(odd).toMatchObject({ ok: false, error: { kind: 'invalid_request' } });
    expect(calls.filter((c) => c.method === 'pause')).toHaveLength(1);
  });

  it('drops calls from untrusted senders without running the handler', async () => {
    const { ipc, calls, warnings } = setup();
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: `${APP_ORIGIN}/index.html`, parent: {} },
      null,
    ]) {
      await expect(ipc.invoke('bridge:syncNow', frame, {})).resolves.toEqual(REFUSED);
    }
    expect(calls).toEqual([]);
    expect(warnings).toHaveLength(3);
  });

  it("returns a handler's own error as a message and kind", async () => {
    const { ipc, errors } = setup();
    await expect(ipc.invoke('bridge:getConflict', appFrame, { id: 'c1' })).resolves.toEqual({
      ok: false,
      error: { kind: 'not_found', message: 'That conflict no longer exists.' },
    });
    expect(errors).toEqual([]);
  });

  it('hides programming errors behind a generic message and logs them', async () => {
    const { ipc, errors } = setup();
    const reply = (await ipc.invoke('bridge:listLogs', appFrame, {})) as {
      ok: false;
      error: { kind: string; message: string };
    };
    expect(reply.ok).toBe(false);
    expect(reply.error.kind).toBe('internal');
    expect(reply.error.message).not.toMatch(/secret|reading|TypeError/);
    expect(reply.error.message).toMatch(/listLogs/);
    expect(errors).toEqual(['listLogs failed']);
  });

  it('unregisters every handler', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
