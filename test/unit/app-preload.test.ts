import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { buildPreload } from '../../scripts/build-main.mjs';
import { BRIDGE_METHODS, IPC_EVENT_CHANNEL } from '../../preload/contract.js';
import type { BridgeEvent, BridgeTransport } from '../../preload/contract.js';

let code = '';
beforeAll(async () => {
  const outfile = join(mkdtempSync(join(tmpdir(), 'ghlb-preload-')), 'index.cjs');
  await buildPreload({ outfile, quiet: true });
  code = readFileSync(outfile, 'utf8');
});

type Listener = (event: unknown, payload: BridgeEvent, location?: string) => void;

/** Runs the bundle as a sandboxed preload would: CommonJS, with only `require('electron')` available. */
function loadPreload(reply: (channel: string, arg: unknown) => unknown) {
  const exposed: Array<{ key: string; api: unknown }> = [];
  const invoked: Array<{ channel: string; arg: unknown; location?: unknown }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown, location?: unknown) => {
        invoked.push({ channel, arg, location });
        return reply(channel, arg);
      },
      on: (channel: string, l: Listener) =>
        void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(l),
      removeListener: (channel: string, l: Listener) => void listeners.get(channel)?.delete(l),
    },
  };
  const module = { exports: {} };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    },
  });
  const emit = (payload: BridgeEvent, location?: string) =>
    listeners.get(IPC_EVENT_CHANNEL)?.forEach((l) => l({}, payload, location));
  return { exposed, invoked, listeners, required, emit };
}

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron', () => {
    const { required } = loadPreload(() => ({ ok: true, value: null }));
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s+[{*\w]/);
    expect(code).not.toMatch(/require\("\.{1,2}\//);
  });

  it('exposes exactly one frozen object, window.ghlBridge: the transport (invoke, onEvent)', () => {
    const { exposed } = loadPreload(() => ({ ok: true, value: null }));
    expect(exposed.map((e) => e.key)).toEqual(['ghlBridge']);
    const api = exposed[0]!.api as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent']);
    for (const k of Object.keys(api)) expect(typeof api[k], k).toBe('function');
  });

  it("each call invokes its method's channel with the argument and the window's location, and resolves with the value", async () => {
    const { exposed, invoked } = loadPreload((channel, arg) => ({ ok: true, value: { channel, arg } }));
    const bridge = exposed[0]!.api as BridgeTransport;
    await expect(bridge.invoke('listConflicts', { limit: 3 }, { location: 'loc-a' })).resolves.toEqual({
      channel: 'bridge:listConflicts',
      arg: { limit: 3 },
    });
    await bridge.invoke('getStatus', undefined, {});
    expect(invoked).toEqual([
      { channel: 'bridge:listConflicts', arg: { limit: 3 }, location: 'loc-a' },
      { channel: 'bridge:getStatus', arg: undefined, location: undefined },
    ]);
    // Every method is one of the contract's: the page cannot reach another channel.
    expect(BRIDGE_METHODS.length).toBeGreaterThan(10);
    await expect(bridge.invoke('nope' as 'getStatus', {}, {})).rejects.toMatchObject({ kind: 'not_found' });
    expect(invoked).toHaveLength(2);
  });

  it('turns an error reply into a rejected promise with the message and kind', async () => {
    const { exposed } = loadPreload(() => ({
      ok: false,
      error: { message: 'That conflict no longer exists.', kind: 'not_found' },
    }));
    const bridge = exposed[0]!.api as BridgeTransport;
    await expect(bridge.invoke('getConflict', { id: 'x' }, {})).rejects.toMatchObject({
      message: 'That conflict no longer exists.',
      kind: 'not_found',
    });
  });

  it('refuses a reply that is not an envelope', async () => {
    const { exposed } = loadPreload(() => 'surprise');
    await expect((exposed[0]!.api as BridgeTransport).invoke('getStatus', undefined, {})).rejects.toMatchObject({
      kind: 'malformed',
    });
  });

  it("onEvent delivers the window's location's events (and untagged ones) until unsubscribed", () => {
    const { exposed, emit, listeners } = loadPreload(() => ({ ok: true, value: null }));
    const bridge = exposed[0]!.api as BridgeTransport;
    const seen: BridgeEvent[] = [];
    const off = bridge.onEvent((e) => seen.push(e), { location: 'loc-a' });
    const event: BridgeEvent = { type: 'conflicts-changed', open: 2, duplicates: 1 };
    const mine: BridgeEvent = { type: 'conflicts-changed', open: 3, duplicates: 0 };
    emit(event);
    emit({ type: 'conflicts-changed', open: 7, duplicates: 7 }, 'loc-b');
    emit(mine, 'loc-a');
    off();
    emit({ type: 'conflicts-changed', open: 9, duplicates: 9 });
    expect(seen).toEqual([event, mine]);
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
  });
});
