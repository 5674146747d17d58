/**
 * Which location a call is for (main/service/README.md "Locations"). Every window names the location it shows on
 * each call and on its event stream (the renderer's API client adds it; serve's HTTP carries it as `?location=`, the
 * app's IPC as the call's second value). A transport hands that name to a `LocationRouter`, which answers with that
 * location's API — never another's: a location that is not open is a `no_location` error (HTTP 404), whatever the
 * other windows chose. A call that names no location (a script with the master token, the CLI's own wiring) goes to
 * the default: the location last chosen.
 */
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { BridgeApi, BridgeEvent, BridgeMethod } from '../../preload/contract.js';
import { BridgeError } from './errors.js';

export interface LocationRouter {
  /** The API of the location a call names (none named: the default). Not open → BridgeError `no_location`. */
  route(location: string | undefined): Promise<BridgeApi>;
  /**
   * Events of the location named (none named: the default's, following it when it changes, with a `location` event
   * then). The listener gets the location each event belongs to when the router knows it. Not open → `no_location`.
   */
  subscribe(listener: (event: BridgeEvent, location?: string) => void, location?: string): () => void;
}

/** The error for a call naming a location that is not open here. */
export function noSuchLocation(location: string, open: readonly string[]): BridgeError {
  const named = location.length > 80 ? `${location.slice(0, 80)}…` : location;
  return new BridgeError(
    `This window shows the location "${named}", which is not open here${
      open.length ? ` (open: ${open.join(', ')})` : ''
    }. Nothing was changed: reload the page to open one of them.`,
    'no_location',
  );
}

/**
 * A single location's service as a router (the desktop app; serve over one service): it answers for itself only.
 * Its id can change while it runs (the profile root is "main" until it is signed in to HighLevel, then the HighLevel
 * location id: main/service/location-info.ts), so every id it has answered as stays its own — there is no other
 * location in this process that the old name could mean — and a window keeps the name it opened with until it is
 * reloaded: `listLocations` answers it with that name, as the hub does, so the window's screens are not re-mounted
 * (losing a preview on screen) because a sign-in renamed the location.
 */
export function singleLocationRouter(
  api: BridgeApi,
  subscribe: (listener: (event: BridgeEvent) => void) => () => void = () => () => undefined,
): LocationRouter {
  const names = new Set<string>();
  const known = async (location: string): Promise<boolean> => {
    if (names.has(location)) return true;
    names.add((await api.listLocations()).current);
    return names.has(location);
  };
  const as = new Map<string, BridgeApi>();
  const named = (location: string): BridgeApi => {
    let a = as.get(location);
    if (!a) {
      const listLocations = async () => {
        const view = await api.listLocations();
        return { ...view, current: location, locations: view.locations.map((l) => ({ ...l, id: location })) };
      };
      const each = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
      for (const m of BRIDGE_METHODS) each[m] = (arg?: unknown) => (api[m] as (x?: unknown) => Promise<unknown>)(arg);
      as.set(location, (a = { ...(each as unknown as BridgeApi), listLocations }));
    }
    return a;
  };
  return {
    async route(location) {
      if (location === undefined) return api;
      if (await known(location)) return named(location);
      throw noSuchLocation(location, [...names]);
    },
    subscribe(listener, location) {
      if (location !== undefined && !names.has(location)) throw noSuchLocation(location, [...names]);
      return subscribe((e) => listener(e));
    },
  };
}
