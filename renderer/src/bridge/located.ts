/**
 * The window's API client: every call names the location this window shows, and its events are that location's
 * (main/service/README.md "Locations"). This is the one place the location is added: the screens call the bridge API
 * as if there were one location, and a transport (the preload's IPC, serve's HTTP) carries the name to the app,
 * which routes the call to that location — so two tabs on one serve each keep their own, and a tab that shows A never
 * writes to B because another tab chose B.
 *
 * A new window asks which location to open (a call naming none: the one last chosen), unless this tab already showed
 * one that is still there (sessionStorage: a reload keeps the tab's location). Until that answer every call waits
 * for it. `switchLocation` and `addLocation` change this window's location only; the client then says so with a
 * `location` event, re-opens the event stream for the new location, and every screen reloads for it.
 */
import { BRIDGE_METHODS } from '../../../preload/contract.js';
import type {
  Bridge,
  BridgeApi,
  BridgeEvent,
  BridgeMethod,
  BridgeTransport,
  LocationsView,
} from '../../../preload/contract.js';

const MEMORY_KEY = 'ghl-bridge.location';

/** Where a tab remembers its location across a reload (sessionStorage: one per tab). */
export interface LocationMemory {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface LocatedBridge extends Bridge {
  /** The location this window shows (undefined until the first answer). */
  location(): string | undefined;
}

export function createLocatedBridge(transport: BridgeTransport, memory?: LocationMemory): LocatedBridge {
  let location: string | undefined;
  let starting: Promise<string> | undefined;
  /** The start's answer, when it was for the location opened: the window's first `listLocations` (a status read per location). */
  let startView: LocationsView | undefined;
  const listeners = new Set<(e: BridgeEvent) => void>();
  let closeStream: (() => void) | undefined;

  const remembered = (): string | undefined => {
    try {
      return memory?.getItem(MEMORY_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const remember = (id: string) => {
    try {
      memory?.setItem(MEMORY_KEY, id);
    } catch {
      /* storage refused (private mode): the tab still keeps its location while it is open */
    }
  };

  const emit = (e: BridgeEvent) => {
    for (const l of [...listeners]) l(e);
  };

  /** The event stream of this window's location (one at a time; re-opened when the location changes). */
  const openStream = () => {
    closeStream?.();
    closeStream = undefined;
    if (!listeners.size || location === undefined) return;
    closeStream = transport.onEvent(
      (e) => {
        // Only this window's own switch changes what it shows (emitted below), never a change made elsewhere.
        if (e.type !== 'location') emit(e);
      },
      { location },
    );
  };

  const adopt = (id: string, announce: boolean) => {
    if (id === location) return;
    location = id;
    remember(id);
    openStream();
    if (announce) emit({ type: 'location', current: id });
  };

  /** The location a new window opens: the one this tab showed, if still there, else the one last chosen. */
  const start = (): Promise<string> => {
    if (location !== undefined) return Promise.resolve(location);
    if (!starting) {
      starting = (async () => {
        const view = (await transport.invoke('listLocations', undefined, {})) as LocationsView;
        const mine = remembered();
        const id = mine && view.locations.some((l) => l.id === mine) ? mine : view.current;
        if (location === undefined) {
          adopt(id, false);
          if (view.current === id) startView = view;
        }
        return location ?? id;
      })();
      // A failed start (signed out, server gone) is tried again by the next call.
      starting.catch(() => (starting = undefined));
    }
    return starting;
  };

  const call = async (method: BridgeMethod, arg: unknown): Promise<unknown> => {
    const shown = await start();
    if (method === 'listLocations' && startView) {
      const first = startView;
      startView = undefined;
      if (first.current === shown) return first;
    }
    const result = await transport.invoke(method, arg, { location: shown });
    if ((method === 'switchLocation' || method === 'addLocation') && result)
      adopt((result as LocationsView).current, true);
    return result;
  };

  const api = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
  for (const m of BRIDGE_METHODS) api[m] = (arg?: unknown) => call(m, arg);

  function onEvent(listener: (e: BridgeEvent) => void): () => void {
    listeners.add(listener);
    if (location === undefined) void start().catch(() => undefined);
    else if (!closeStream) openStream();
    return () => {
      listeners.delete(listener);
      if (!listeners.size) {
        closeStream?.();
        closeStream = undefined;
      }
    };
  }

  return Object.freeze({ ...(api as unknown as BridgeApi), onEvent, location: () => location });
}
