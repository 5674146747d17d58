/**
 * Every location of a profile behind one bridge API (serve; README "Several locations"): each location keeps its own
 * service — database, vault, scheduler, run lock, pacing — and the hub forwards each call to the location the window
 * chose (`switchLocation`), answers `listLocations` for all of them, and passes on the chosen location's events.
 * Syncs of different locations run at once (each has its own HighLevel limits); each location's own run lock holds.
 *
 * The choice is the hub's, so every browser signed in to one `serve` sees the same location (README "Several
 * locations"): it is a desk tool for one person, not a multi-user console.
 */
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { BridgeApi, BridgeEvent, BridgeMethod, LocationsView } from '../../preload/contract.js';
import { BridgeError } from './errors.js';
import { overviewOf } from './location-info.js';
import type { LocationRegistry, LocationService, LocationSummary, OpenLocationOptions } from './locations.js';

export interface LocationHub {
  api: BridgeApi;
  subscribe(listener: (e: BridgeEvent) => void): () => void;
  logger?: { error(message: string, context?: Record<string, unknown>): void };
  /** The location the calls go to now. */
  current(): string;
  /** Every open location's service (serve's shutdown, tests). */
  services(): ReadonlyMap<string, LocationService>;
  close(): Promise<void>;
}

export async function openLocationHub(
  registry: LocationRegistry & {
    /** A registry that can add a location from its Private Integration token (ProfileLocations). */
    addWithPrivateToken?(a: { token: string; locationId: string }): Promise<LocationSummary>;
  },
  opts: OpenLocationOptions & { log?: { error(message: string, context?: Record<string, unknown>): void } } = {},
): Promise<LocationHub> {
  const { log, ...openOpts } = opts;
  const summaries: LocationSummary[] = await registry.list();
  if (!summaries.length) throw new BridgeError('This profile has no location to open.', 'not_found');
  const services = new Map<string, LocationService>();
  const listeners = new Set<(e: BridgeEvent) => void>();
  const unsubscribe: Array<() => void> = [];
  const openOne = async (l: LocationSummary) => {
    const svc = await registry.open(l.id, openOpts);
    services.set(l.id, svc);
    unsubscribe.push(
      svc.subscribe((e) => {
        if (l.id === current) for (const fn of listeners) fn(e);
      }),
    );
  };
  try {
    for (const l of summaries) await openOne(l);
  } catch (e) {
    for (const s of services.values()) await s.close().catch(() => undefined);
    throw e;
  }
  let current = summaries[0]!.id;
  const chosen = (): LocationService => services.get(current)!;

  const view = async (): Promise<LocationsView> => ({
    current,
    locations: await Promise.all(summaries.map(async (l) => overviewOf(l, await services.get(l.id)!.api.getStatus()))),
    canAdd: !!registry.addWithPrivateToken,
  });

  const api = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
  for (const method of BRIDGE_METHODS)
    api[method] = (arg?: unknown) => (chosen().api[method] as (a?: unknown) => Promise<unknown>)(arg);
  api.listLocations = view;
  api.switchLocation = async (arg?: unknown) => {
    const id = (arg as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || !services.has(id))
      throw new BridgeError(
        `There is no location "${String(id)}" here; the locations are ${summaries.map((l) => l.name).join(', ')}.`,
        'not_found',
      );
    return switchTo(id);
  };
  const switchTo = async (id: string): Promise<LocationsView> => {
    current = id;
    for (const fn of listeners) fn({ type: 'location', current });
    const status = await chosen().api.getStatus();
    for (const fn of listeners) fn({ type: 'status', status });
    return view();
  };
  api.addLocation = async (arg?: unknown) => {
    if (!registry.addWithPrivateToken)
      throw new BridgeError('Locations are added where this server keeps them, not from the window.', 'unsupported');
    const a = arg as { token?: unknown; locationId?: unknown } | undefined;
    if (typeof a?.token !== 'string' || typeof a.locationId !== 'string' || !a.token || !a.locationId)
      throw new BridgeError('Give the Private Integration token and the location ID.', 'invalid_request');
    let added: LocationSummary;
    try {
      added = await registry.addWithPrivateToken({ token: a.token, locationId: a.locationId.trim() });
    } catch (e) {
      throw new BridgeError((e as Error).message, 'invalid');
    }
    // The first location may have learnt its name just now (ProfileLocations.addLocation).
    const fresh = await registry.list();
    for (const s of summaries) s.name = fresh.find((f) => f.id === s.id)?.name ?? s.name;
    summaries.push(added);
    await openOne(added);
    return switchTo(added.id);
  };

  return {
    api: api as unknown as BridgeApi,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    logger: log ?? chosen().logger,
    current: () => current,
    services: () => services,
    async close() {
      for (const u of unsubscribe) u();
      for (const s of services.values()) await s.close();
    },
  };
}
