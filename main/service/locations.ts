/**
 * Several HighLevel locations in one profile (README "Several locations"; main/service/README.md "Locations").
 *
 * A location is what a profile was before: a folder with its own database (mappings, conflicts, links, runs),
 * settings, vault, pace-share files, budget and run lock. The profile root stays the first location, so a desktop
 * with one location works exactly as before (no migration). More locations live in `<profile>/locations/<locationId>/`,
 * each a complete profile folder; the registry finds them by listing that folder (nothing else to keep in step).
 *
 * `LocationRegistry` is the one seam the callers use ("which locations exist, and open one"): the CLI and `serve` use
 * `ProfileLocations` (folders on this disk); a server fleet can supply its own (e.g. PostgreSQL-backed) and hand it to
 * `openLocationHub` (location-hub.ts). The desktop app still opens the root only (main/service/README.md "Locations").
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeApi, BridgeEvent } from '../../preload/contract.js';
import { listInstalledLocations, mintLocationToken } from '../connectors/ghl/index.js';
import { lockHolder } from '../store/lock.js';
import { isProfile, profileHolder, profilePaths, ProfileError } from '../store/profile.js';
import { openConfigStore } from '../store/settings.js';
import { createService, type Service, type ServiceOptions } from './index.js';
import { INFO_FILE, readLocationInfo as readInfo, ROOT_LOCATION_ID, type LocationInfoFile } from './location-info.js';

export { ROOT_LOCATION_ID };

/** One location as the pickers show it. */
export interface LocationSummary {
  /** The HighLevel location id (the root before it is signed in: ROOT_LOCATION_ID). */
  id: string;
  /** The HighLevel location's name, as HighLevel gave it when the location was added (else the id). */
  name: string;
  /** The profile root: the location a one-location desktop has always had. */
  primary: boolean;
}

/** What a caller needs of one location's service: the bridge API, its events, and closing it. */
export interface LocationService {
  api: BridgeApi;
  subscribe(listener: (e: BridgeEvent) => void): () => void;
  logger?: { error(message: string, context?: Record<string, unknown>): void };
  close(): Promise<void>;
}

/** How to open a location's service (a registry ignores what does not apply to it). */
export interface OpenLocationOptions {
  /** Run this location's sync on its interval. */
  startScheduler?: boolean;
  /** Names this process when another one finds a sync running. */
  processName?: string;
  /** Hold the location's exclusive lock (the long-running process: app, serve). */
  holdProfile?: ServiceOptions['holdProfile'];
  echoLogs?: boolean;
  openExternal?: ServiceOptions['openExternal'];
}

/** Which locations exist, and how to open one. */
export interface LocationRegistry {
  /** Every location, the primary one first. */
  list(): Promise<LocationSummary[]>;
  /** Opens one location's service; the caller closes it. Unknown id → an Error naming the known ones. */
  open(id: string, opts?: OpenLocationOptions): Promise<LocationService>;
}

const LOCATIONS_DIR = 'locations';
/** HighLevel ids are 20 letters and digits; anything that could leave the folder is refused. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class LocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocationError';
  }
}

/** The locations of one profile folder (see the file comment). */
export class ProfileLocations implements LocationRegistry {
  constructor(
    readonly rootDir: string,
    /** Passed to every service this opens (tests: env, clock, vault key). */
    private readonly base: Partial<ServiceOptions> = {},
  ) {}

  /** The folder of an added location (not the root's). */
  dirOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new LocationError(`"${id}" is not a location id.`);
    return join(this.rootDir, LOCATIONS_DIR, id);
  }

  private rootSummary(): LocationSummary {
    let id: string | undefined;
    try {
      id = openConfigStore(this.rootDir).read().connections.ghl.locationId;
    } catch {
      /* an unreadable settings file is reported when the root is opened */
    }
    const info = readInfo(this.rootDir);
    const lid = id ?? ROOT_LOCATION_ID;
    return { id: lid, name: info.name ?? lid, primary: true };
  }

  private added(): LocationSummary[] {
    const base = join(this.rootDir, LOCATIONS_DIR);
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((d) => d.isDirectory() && SAFE_ID.test(d.name) && isProfile(join(base, d.name)))
      .map((d) => ({ id: d.name, name: readInfo(join(base, d.name)).name ?? d.name, primary: false }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async list(): Promise<LocationSummary[]> {
    return this.listSync();
  }

  listSync(): LocationSummary[] {
    const added = this.added();
    return isProfile(this.rootDir) || added.length ? [this.rootSummary(), ...added] : [];
  }

  /** The folder of a location given by its id or its name (case-insensitive); unknown → a message listing them. */
  resolve(ref: string): { location: LocationSummary; dir: string } {
    const all = this.listSync();
    const lower = ref.trim().toLowerCase();
    const byName = all.filter((l) => l.name.toLowerCase() === lower);
    const hit = all.find((l) => l.id === ref) ?? all.find((l) => l.id.toLowerCase() === lower) ?? byName[0];
    if (!all.some((l) => l.id.toLowerCase() === lower) && byName.length > 1)
      throw new LocationError(
        `Several locations are called "${ref}": ${describeLocations(byName)}. Name one by its id.`,
      );
    if (!hit)
      throw new LocationError(
        `There is no location "${ref}" in this profile. The locations are: ${describeLocations(all)}.`,
      );
    return { location: hit, dir: hit.primary ? this.rootDir : this.dirOf(hit.id) };
  }

  async open(id: string, opts: OpenLocationOptions = {}): Promise<Service> {
    const { dir } = this.resolve(id);
    return createService({ ...this.base, ...opts, profileDir: dir, create: false });
  }

  /**
   * Adds a location signed in with a sub-account Private Integration token. HighLevel has no documented call that
   * names the location of a PIT (main/connectors/ghl/README.md "Several locations"), so the id is given and checked:
   * the token must read that location (GET /locations/{id}), whose name is learnt from the answer. The new location
   * talks to the same HighLevel (and AroFlo/Aimfox hosts) as the root; its AroFlo/Aimfox keys are its own, signed in
   * afterwards with `--location`. Refuses a location already in the profile. Nothing is left behind on failure.
   */
  async addWithPrivateToken(a: { token: string; locationId: string }): Promise<LocationSummary> {
    return this.addLocation(a.locationId, async (svc) => {
      await svc.api.saveGhlPrivateToken({ token: a.token, locationId: a.locationId });
    });
  }

  /**
   * Adds locations through the agency install (main/connectors/ghl/README.md "Several locations"): the agency signs in
   * once with the root's HighLevel app (a Company token, never stored), the app's installed locations are listed, and
   * each chosen one not yet in the profile gets its own folder and its own token minted from the agency token (OAuth
   * mode, refreshed like any location token). `only`: these ids (default every installed one). The app id is asked of
   * the caller, or read from the client id (`<appId>-<suffix>`, as Marketplace client ids look — unverified).
   */
  async addFromAgency(a: {
    openBrowser: (url: string) => void | Promise<void>;
    appId?: string;
    only?: string[];
  }): Promise<{ added: LocationSummary[]; skipped: LocationSummary[]; failed: Array<{ id: string; error: string }> }> {
    let root: Service | undefined;
    let app: ReturnType<Service['connections']['ghlApp']>;
    let agency: Awaited<ReturnType<Service['connections']['agencySignIn']>>;
    try {
      root = await createService({ ...this.base, profileDir: this.rootDir, create: false });
      app = root.connections.ghlApp();
      if (!app)
        throw new LocationError(
          'Save your HighLevel app first (ghl-bridge login ghl --client-id ID --client-secret S): the agency signs in through it.',
        );
      agency = await root.connections.agencySignIn(a.openBrowser);
    } finally {
      await root?.close().catch(() => undefined);
    }
    const base = { baseUrl: app.baseUrl, token: agency.accessToken, companyId: agency.companyId! };
    const installed = await listInstalledLocations({ ...base, appId: a.appId ?? app.clientId.split('-')[0]! });
    const present = new Map(this.listSync().map((l) => [l.id, l]));
    const wanted = a.only?.length ? installed.filter((l) => a.only!.includes(l.id)) : installed;
    const unknown = (a.only ?? []).filter((id) => !installed.some((l) => l.id === id));
    if (unknown.length)
      throw new LocationError(
        `The app is not installed in ${unknown.join(', ')}; installed: ${installed.map((l) => `${l.name} (${l.id})`).join(', ') || 'none'}.`,
      );
    const added: LocationSummary[] = [];
    const skipped: LocationSummary[] = [];
    const failed: Array<{ id: string; error: string }> = [];
    for (const l of wanted) {
      const had = present.get(l.id);
      if (had) {
        skipped.push(had);
        continue;
      }
      try {
        added.push(
          await this.addLocation(
            l.id,
            async (svc) => {
              const tokens = await mintLocationToken({ ...base, locationId: l.id });
              await svc.connections.saveGhlLocationToken({ ...app!, tokens });
            },
            l.name,
          ),
        );
      } catch (e) {
        failed.push({ id: l.id, error: (e as Error).message });
      }
    }
    return { added, skipped, failed };
  }

  /**
   * Adds a location whose sign-in is done by `signIn` on the new location's service (PIT, or a location token minted
   * from an agency sign-in). Shared by the PIT and the agency paths.
   */
  async addLocation(
    locationId: string,
    signIn: (svc: Service) => Promise<void>,
    fallbackName?: string,
  ): Promise<LocationSummary> {
    if (!SAFE_ID.test(locationId))
      throw new LocationError(`"${locationId}" does not look like a HighLevel location id.`);
    const existing = this.listSync().find((l) => l.id === locationId);
    if (existing)
      throw new LocationError(
        `The location ${existing.name} (${locationId}) is already in this profile; nothing was added.`,
      );
    if (!isProfile(this.rootDir))
      throw new ProfileError(`There is no GHL Bridge profile in ${this.rootDir} to add a location to — sign in first.`);
    const dir = this.dirOf(locationId);
    const root = openConfigStore(this.rootDir).read();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let svc: Service | undefined;
    try {
      svc = await createService({ ...this.base, profileDir: dir, create: true });
      // The same HighLevel, AroFlo and Aimfox hosts as the root (production, or the sandboxes in tests and the demo).
      const c = svc.config.read();
      c.connections.ghl = {
        ...c.connections.ghl,
        baseUrl: root.connections.ghl.baseUrl,
        authorizeUrl: root.connections.ghl.authorizeUrl,
      };
      c.connections.aroflo = { baseUrl: root.connections.aroflo.baseUrl };
      c.connections.aimfox = { baseUrl: root.connections.aimfox.baseUrl };
      if (root.connections.rateScale !== undefined) c.connections.rateScale = root.connections.rateScale;
      svc.config.write(c);
      await svc.connections.load();
      await signIn(svc);
      const name = (await svc.connections.ghlLocationName()) ?? fallbackName ?? locationId;
      const info: LocationInfoFile = { id: locationId, name, addedAt: new Date().toISOString() };
      writeFileSync(join(dir, INFO_FILE), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
      await svc.close();
      svc = undefined;
      await this.nameRoot();
      return { id: locationId, name, primary: false };
    } catch (e) {
      await svc?.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * With a second location the first one needs its name too (the picker shows names): asked of HighLevel once, with the
   * root's own sign-in, and kept in its location.json. A root that cannot say keeps showing its id.
   */
  private async nameRoot(): Promise<void> {
    const info = readInfo(this.rootDir);
    if (info.name) return;
    let root: Service | undefined;
    try {
      root = await createService({ ...this.base, profileDir: this.rootDir, create: false });
      const id = root.config.read().connections.ghl.locationId;
      const name = id ? await root.connections.ghlLocationName() : undefined;
      if (id && name) {
        const file: LocationInfoFile = { id, name, addedAt: new Date().toISOString(), primary: true };
        writeFileSync(join(this.rootDir, INFO_FILE), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
      }
    } catch {
      /* the root keeps showing its id */
    } finally {
      await root?.close().catch(() => undefined);
    }
  }

  /**
   * Removes an added location and every piece of its data (database, settings, vault, pacing, logs). The root is never
   * removed this way. `confirmed` must be true (the CLI asks, or takes --yes); a location held by a running app or
   * serve, or in the middle of a sync, is refused.
   */
  async remove(ref: string, confirmed: boolean): Promise<LocationSummary> {
    const { location, dir } = this.resolve(ref);
    if (location.primary)
      throw new LocationError(
        `${location.name} is the profile's first location (its root folder); it is removed with the profile, not on its own.`,
      );
    if (!confirmed)
      throw new LocationError(
        `Removing ${location.name} (${location.id}) deletes its mappings, conflicts, history and sign-ins. Confirm to remove it.`,
      );
    const holder = profileHolder(dir) ?? lockHolder(profilePaths(dir).runLock);
    if (holder)
      throw new LocationError(
        `${location.name} is in use by ${holder.command ?? 'another GHL Bridge'} (pid ${holder.pid}); stop it first.`,
      );
    rmSync(dir, { recursive: true, force: true });
    return location;
  }
}

/** "Harbour (abc123), Geelong (def456)" — for messages that ask a person to pick one. */
export function describeLocations(all: LocationSummary[]): string {
  return all.length ? all.map((l) => (l.name === l.id ? l.id : `${l.name} (${l.id})`)).join(', ') : 'none';
}
