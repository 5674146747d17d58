/**
 * The window's API client (renderer/src/bridge/located.ts): every call names the location the window shows, its
 * event stream is that location's, and choosing another location changes this window only. Driven through a
 * recording transport (the HTTP and IPC transports are tested over real HTTP in
 * test/integration/serve-locations.test.ts and in test/unit/app-preload.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { BridgeEvent, BridgeMethod, BridgeTransport, CallScope, LocationsView } from '../../preload/contract.js';
import { createLocatedBridge, type LocationMemory } from '../../renderer/src/bridge/located.js';

const view = (current: string, ids = ['loc-a', 'loc-b']): LocationsView => ({
  current,
  canAdd: false,
  locations: ids.map((id) => ({
    id,
    name: id,
    primary: id === ids[0],
    paused: false,
    syncing: false,
    openConflicts: 0,
    openDuplicates: 0,
    health: 'ok',
    attention: 0,
  })),
});

function recorder(lastChosen = 'loc-a') {
  const calls: Array<{ method: BridgeMethod; location: string | undefined }> = [];
  const streams: Array<{ location: string | undefined; open: boolean; send(e: BridgeEvent): void }> = [];
  const transport: BridgeTransport = {
    async invoke(method, arg, scope: CallScope) {
      calls.push({ method, location: scope.location });
      if (method === 'listLocations') return view(scope.location ?? lastChosen);
      if (method === 'switchLocation') return view((arg as { id: string }).id);
      return { ok: true };
    },
    onEvent(listener, scope) {
      const s = { location: scope.location, open: true, send: (e: BridgeEvent) => s.open && listener(e) };
      streams.push(s);
      return () => {
        s.open = false;
      };
    },
  };
  return { transport, calls, streams };
}

function memory(initial?: string): LocationMemory & { value?: string } {
  const m: LocationMemory & { value?: string } = {
    value: initial,
    getItem: () => m.value ?? null,
    setItem: (_k, v) => {
      m.value = v;
    },
  };
  return m;
}

describe("the window's API client", () => {
  it('asks once which location to open (naming none), then names it on every call', async () => {
    const { transport, calls } = recorder('loc-b');
    const bridge = createLocatedBridge(transport, memory());
    await Promise.all([bridge.getStatus(), bridge.listConflicts({})]);
    await bridge.pause();
    expect(calls).toEqual([
      { method: 'listLocations', location: undefined },
      { method: 'getStatus', location: 'loc-b' },
      { method: 'listConflicts', location: 'loc-b' },
      { method: 'pause', location: 'loc-b' },
    ]);
    expect(bridge.location()).toBe('loc-b');
    // The window's first listLocations is the start's answer (no second status read of every location); later ones ask.
    expect((await bridge.listLocations()).current).toBe('loc-b');
    expect(calls.filter((c) => c.method === 'listLocations')).toHaveLength(1);
    await bridge.listLocations();
    expect(calls.at(-1)).toEqual({ method: 'listLocations', location: 'loc-b' });
  });

  it('a reloaded tab keeps the location it showed, while it is still there', async () => {
    const kept = recorder('loc-a');
    const mine = memory('loc-b');
    await createLocatedBridge(kept.transport, mine).getStatus();
    expect(kept.calls.at(-1)).toEqual({ method: 'getStatus', location: 'loc-b' });
    const gone = recorder('loc-a');
    await createLocatedBridge(gone.transport, memory('loc-removed')).getStatus();
    expect(gone.calls.at(-1)).toEqual({ method: 'getStatus', location: 'loc-a' });
  });

  it('switching changes what this window names, tells its listeners, and re-opens its stream for the new location', async () => {
    const { transport, calls, streams } = recorder('loc-a');
    const tab = memory();
    const bridge = createLocatedBridge(transport, tab);
    const seen: BridgeEvent[] = [];
    bridge.onEvent((e) => seen.push(e));
    await bridge.getStatus();
    expect(streams.map((s) => [s.location, s.open])).toEqual([['loc-a', true]]);
    await bridge.switchLocation({ id: 'loc-b' });
    await bridge.pause();
    expect(calls.slice(-2)).toEqual([
      { method: 'switchLocation', location: 'loc-a' },
      { method: 'pause', location: 'loc-b' },
    ]);
    expect(streams.map((s) => [s.location, s.open])).toEqual([
      ['loc-a', false],
      ['loc-b', true],
    ]);
    expect(seen).toEqual([{ type: 'location', current: 'loc-b' }]);
    expect(tab.value).toBe('loc-b');
    // A `location` event from the server (a change made elsewhere) does not move this window.
    streams[1]!.send({ type: 'location', current: 'loc-a' });
    streams[0]!.send({ type: 'conflicts-changed', open: 1, duplicates: 0 });
    expect(seen).toHaveLength(1);
    await bridge.getStatus();
    expect(calls.at(-1)).toEqual({ method: 'getStatus', location: 'loc-b' });
  });

  it('a failed start is tried again by the next call (e.g. after signing in)', async () => {
    const { transport, calls } = recorder('loc-a');
    let fail = true;
    const flaky: BridgeTransport = {
      invoke: async (m, a, s) => {
        if (fail) throw Object.assign(new Error('This page needs its access link.'), { kind: 'unauthorized' });
        return transport.invoke(m, a, s);
      },
      onEvent: transport.onEvent,
    };
    const bridge = createLocatedBridge(flaky);
    await expect(bridge.getStatus()).rejects.toMatchObject({ kind: 'unauthorized' });
    fail = false;
    await bridge.getStatus();
    expect(calls).toEqual([
      { method: 'listLocations', location: undefined },
      { method: 'getStatus', location: 'loc-a' },
    ]);
  });
});
