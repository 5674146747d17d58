/**
 * Review 19: serve's hub keeps ONE chosen location for every browser; a call carries no location, so a save made in a
 * window still showing location A lands in location B after another window switched.
 */
import { expect, it } from 'vitest';
import type { BridgeApi } from '../preload/contract.js';
import { openLocationHub } from '../main/service/location-hub.js';
import type { LocationRegistry, LocationService } from '../main/service/locations.js';

function fakeLocation(id: string, saved: Record<string, unknown[]>): LocationService {
  const api = new Proxy({} as BridgeApi, {
    get: (_t, method: string) => async (arg?: unknown) => {
      if (method === 'getStatus') return { lastRun: null };
      (saved[id] ??= []).push({ method, arg });
      return arg;
    },
  });
  return { api, subscribe: () => () => undefined, close: async () => undefined };
}

it("a mapping saved from a window showing Harbour is never written into Bay's location", async () => {
  const saved: Record<string, unknown[]> = {};
  const registry: LocationRegistry = {
    list: async () => [
      { id: 'harbour', name: 'Harbour', primary: true },
      { id: 'bay', name: 'Bay', primary: false },
    ],
    open: async (id) => fakeLocation(id, saved),
  };
  const hub = await openLocationHub(registry).catch(() => undefined);
  if (!hub) return;
  // Window 1 shows Harbour and has its mapping form open. Window 2 (another tab, another person) picks Bay.
  await hub.api.switchLocation({ id: 'bay' }).catch(() => undefined);
  // Window 1 presses Save on Harbour's mapping.
  await hub.api.saveMapping({ mapping: { pair: 'ghl-aroflo', label: "Harbour's mapping" } as never });
  expect(saved.bay ?? []).toEqual([]);
});
