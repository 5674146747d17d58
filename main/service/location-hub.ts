/**
 * Every location of a profile behind one bridge API (serve; README "Several locations"): each location keeps its own
 * service — database, vault, scheduler, run lock, pacing — and every call goes to the location it names
 * (location-router.ts: each window names the one it shows), so two browser tabs on one serve can show two locations
 * and neither's calls or events reach the other. `listLocations` answers for all of them, with `current` = the
 * location the call named. Syncs of different locations run at once (each has its own HighLevel limits); each
 * location's own run lock holds.
 *
 * The one thing shared is the default — the location last chosen (`switchLocation`, `addLocation`, `serve
 * --location`): a new tab opens it, and a call that names no location (a script with the master token) goes to it.
 */
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { BridgeApi, BridgeEvent, BridgeMethod, LocationsView } from '../../preload/contract.js';
import { BridgeError } from './errors.js';
import { overviewOf } from './location-info.js';
import { noSuchLocation, type LocationRouter } from './location-router.js';
import type { LocationRegistry, LocationService, LocationSummary, OpenLocationOptions } from './locations.js';

export interface LocationHub extends LocationRouter {
  /** The default's API: calls that name no location (they go to the location last chosen). */
  api: BridgeApi;
  logger?: { error(message: string, context?: Record<string, unknown>): void };
  /** The default location: the one last chosen, which a new tab opens. */
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
  /** Each listener with the location it listens to (undefined: the default, whichever it is at the time). */
  const listeners = new Set<{ fn: (e: BridgeEvent, location?: string) => void; location: string | undefined }>();
  const unsubscribe: Array<() => void> = [];
  const openOne = async (l: LocationSummary) => {
    const svc = await registry.open(l.id, openOpts);
    services.set(l.id, svc);
    unsubscribe.push(
      svc.subscribe((e) => {
        for (const x of [...listeners]) if ((x.location ?? current) === l.id) x.fn(e, l.id);
      }),
    );
  };
  try {
    for (const l of summaries) await openOne(l);
  } catch (e) {
    for (const s of services.values()) await s.close().catch(() => undefined);
    throw e;
  }
  /** The default: the location last chosen. */
  let current = summaries[0]!.id;
  const openIds = () => summaries.map((l) => l.id);
  const known = (id: string | undefined): string => {
    if (id === undefined) return current;
    if (!services.has(id)) throw noSuchLocation(id, openIds());
    return id;
  };

  /** The overview, as seen by a window showing `shown`. */
  const view = async (shown: string): Promise<LocationsView> => ({
    current: shown,
    locations: await Promise.all(summaries.map(async (l) => overviewOf(l, await services.get(l.id)!.api.getStatus()))),
    canAdd: !!registry.addWithPrivateToken,
  });

  /** Makes `id` the default (what a new tab opens); windows that follow the default hear of it. */
  const choose = async (id: string): Promise<LocationsView> => {
    current = id;
    const followers = [...listeners].filter((x) => x.location === undefined);
    if (followers.length) {
      for (const x of followers) x.fn({ type: 'location', current: id }, id);
      const status = await services.get(id)!.api.getStatus();
      for (const x of followers) x.fn({ type: 'status', status }, id);
    }
    return view(id);
  };

  const switchLocation = async (arg?: unknown) => {
    const id = (arg as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || !services.has(id))
      throw new BridgeError(
        `There is no location "${String(id)}" here; the locations are ${summaries.map((l) => l.name).join(', ')}.`,
        'not_found',
      );
    return choose(id);
  };
  const addLocation = async (arg?: unknown) => {
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
    return choose(added.id);
  };

  /** The API of one location (`id`), or of the default (undefined: resolved at each call). */
  const apiFor = (id: string | undefined): BridgeApi => {
    const api = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
    for (const method of BRIDGE_METHODS)
      api[method] = async (arg?: unknown) =>
        (services.get(known(id))!.api[method] as (a?: unknown) => Promise<unknown>)(arg);
    api.listLocations = async () => view(known(id));
    api.switchLocation = switchLocation;
    api.addLocation = addLocation;
    return api as unknown as BridgeApi;
  };
  const apis = new Map<string, BridgeApi>();
  const defaultApi = apiFor(undefined);

  return {
    api: defaultApi,
    async route(location) {
      if (location === undefined) return defaultApi;
      const id = known(location);
      let api = apis.get(id);
      if (!api) apis.set(id, (api = apiFor(id)));
      return api;
    },
    subscribe(fn, location) {
      if (location !== undefined) known(location);
      const entry = { fn, location };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    logger: log ?? services.get(current)!.logger,
    current: () => current,
    services: () => services,
    async close() {
      for (const u of unsubscribe) u();
      for (const s of services.values()) await s.close();
    },
  };
}
