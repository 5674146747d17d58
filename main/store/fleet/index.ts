/**
 * The fleet's own tables on PostgreSQL (issue 19): the locations the workers sync and their settings, the
 * per-location run lock (a session advisory lock) and the run ledger, in schema `ghl_bridge_fleet`. Each location's
 * sync data and secrets are its own schema (`locationSchema`: openPgStore and PgVault, main/store/pg/); the job engine
 * (pg-boss) keeps schema `pgboss`. main/fleet/README.md says how the worker uses them.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { AppConfig, ConfigStore } from '../settings.js';

const SCHEMA = 'ghl_bridge_fleet';

/** A location id: lower-case letters, digits and '-' (so its schema name below is one-to-one). */
export const LOCATION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The PostgreSQL schema of a location's store and secrets (main/store/README.md, "Schema per location"). */
export function locationSchema(id: string): string {
  if (!LOCATION_ID.test(id)) throw new Error(`"${id}" is not a location id (lower-case letters, digits and -).`);
  return `loc_${id.replaceAll('-', '_')}`;
}

export interface FleetLocation {
  id: string;
  name: string;
  intervalSeconds: number;
  paused: boolean;
  /** Why the location waits for a person (a system needs signing in again); undefined when it syncs. */
  needsSignIn?: string;
  addedAt: number;
}

export interface FleetRun {
  id: number;
  locationId: string;
  worker: string;
  jobId: string;
  startedAt: number;
  endedAt?: number;
  outcome?: string;
  detail?: string;
  /** Records the run wrote (created + updated + deleted). */
  writes?: number;
  /** API requests the run made, per system. */
  requests?: Record<string, number>;
}

export interface LocationLock {
  release(): Promise<void>;
  /** True while the lock's connection is lost (PostgreSQL restarted) and not taken again: it does not guard the run. */
  readonly lost: boolean;
  /** Called once each time the lock's connection is lost (the worker takes it again at once, or stops the run). */
  onLost(fn: () => void): void;
  /** Takes the lock again on a new connection after it was lost; false when another session holds it now. */
  retake(): Promise<boolean>;
}

const MIGRATION = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.locations (
  id text PRIMARY KEY,
  name text NOT NULL,
  interval_seconds integer NOT NULL CHECK (interval_seconds >= 1),
  paused boolean NOT NULL DEFAULT false,
  needs_sign_in text,
  config jsonb NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (
  id bigserial PRIMARY KEY,
  location_id text NOT NULL,
  worker text NOT NULL,
  job_id text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  ended_at timestamptz,
  outcome text,
  detail text,
  writes integer,
  requests jsonb
);
CREATE INDEX IF NOT EXISTS runs_location ON ${SCHEMA}.runs (location_id, started_at);
-- One fleet id per HighLevel location: two would be two unguarded runs of it, each with its own links (duplicates).
ALTER TABLE ${SCHEMA}.locations ADD COLUMN IF NOT EXISTS ghl_location_id text;
UPDATE ${SCHEMA}.locations SET ghl_location_id = NULLIF(config->'connections'->'ghl'->>'locationId', '')
  WHERE ghl_location_id IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS locations_ghl_location ON ${SCHEMA}.locations (ghl_location_id);
`;

/**
 * The two int4 keys of pg_try_advisory_lock: 64 bits of a hash of the fleet's namespace and the location id, so two
 * locations share a lock with odds of 2^-64, not 2^-32.
 */
function lockKeys(locationId: string): [number, number] {
  const h = createHash('sha256').update(`ghl-bridge-fleet-location\0${locationId}`).digest();
  return [h.readInt32BE(0), h.readInt32BE(4)];
}

const ms = (d: Date | null | undefined) => (d ? d.getTime() : undefined);

export class FleetStore {
  readonly pool: pg.Pool;

  constructor(
    readonly url: string,
    opts: { max?: number } = {},
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 4 });
    // An idle client whose server went away (PostgreSQL restarted) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    // A checked-out client has no error listener of the pool's: a PostgreSQL restart must fail the query, not end the
    // process with an unhandled 'error' (main/store/pg/secrets.ts, withClient).
    let lost: Error | undefined;
    const onError = (e: Error) => {
      lost = e;
    };
    c.on('error', onError);
    try {
      // One migrator at a time when several workers start together.
      await c.query('SELECT pg_advisory_lock(1734962018)');
      try {
        await c.query(MIGRATION);
      } finally {
        await c.query('SELECT pg_advisory_unlock(1734962018)');
      }
    } finally {
      c.removeListener('error', onError);
      c.release(lost);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // ---- locations ----

  /**
   * Adds a location, or replaces the settings of one re-added from its profile. Refused when its HighLevel location
   * is already the fleet's under another id, or when the id already syncs a different HighLevel location.
   */
  async addLocation(l: { id: string; name: string; intervalSeconds: number; config: AppConfig }): Promise<void> {
    const ghl = l.config.connections.ghl.locationId || null;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      try {
        const r = await c.query(
          `SELECT id, ghl_location_id FROM ${SCHEMA}.locations WHERE id = $1 OR ghl_location_id = $2 FOR UPDATE`,
          [l.id, ghl],
        );
        const other = r.rows.find((x) => x.id !== l.id);
        if (other)
          throw new Error(
            `HighLevel location ${ghl} is already the fleet's location "${other.id}": re-add it under that id, not as "${l.id}".`,
          );
        const same = r.rows.find((x) => x.id === l.id);
        if (same?.ghl_location_id && same.ghl_location_id !== ghl)
          throw new Error(
            `The fleet's location "${l.id}" syncs HighLevel location ${same.ghl_location_id}, not ${ghl ?? 'none'}: add this profile under a new id.`,
          );
        await c.query(
          `INSERT INTO ${SCHEMA}.locations (id, name, interval_seconds, config, ghl_location_id) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET name = $2, interval_seconds = $3, config = $4, ghl_location_id = $5,
           needs_sign_in = NULL`,
          [l.id, l.name, l.intervalSeconds, JSON.stringify(l.config), ghl],
        );
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      c.release();
    }
  }

  async locations(): Promise<FleetLocation[]> {
    const r = await this.pool.query(
      `SELECT id, name, interval_seconds, paused, needs_sign_in, added_at FROM ${SCHEMA}.locations ORDER BY id`,
    );
    return r.rows.map((x) => ({
      id: x.id as string,
      name: x.name as string,
      intervalSeconds: x.interval_seconds as number,
      paused: x.paused as boolean,
      needsSignIn: (x.needs_sign_in as string | null) ?? undefined,
      addedAt: (x.added_at as Date).getTime(),
    }));
  }

  async location(id: string): Promise<FleetLocation | undefined> {
    return (await this.locations()).find((l) => l.id === id);
  }

  async setNeedsSignIn(id: string, why: string | undefined): Promise<void> {
    await this.pool.query(`UPDATE ${SCHEMA}.locations SET needs_sign_in = $2 WHERE id = $1`, [id, why ?? null]);
  }

  async readConfig(id: string): Promise<AppConfig> {
    const r = await this.pool.query(`SELECT config FROM ${SCHEMA}.locations WHERE id = $1`, [id]);
    if (!r.rows[0]) throw new Error(`There is no fleet location "${id}".`);
    return r.rows[0].config as AppConfig;
  }

  async writeConfig(id: string, config: AppConfig): Promise<void> {
    await this.pool.query(`UPDATE ${SCHEMA}.locations SET config = $2 WHERE id = $1`, [id, JSON.stringify(config)]);
  }

  /**
   * A location's settings as the service reads them (synchronously): read once when the job starts, every write
   * kept in memory and written back to PostgreSQL (`flush`, at the end of the job and after each write).
   */
  async configStore(
    id: string,
  ): Promise<ConfigStore & { flush(): Promise<void>; settle(): Promise<void>; refresh(): Promise<void> }> {
    let current = await this.readConfig(id);
    let changed = false;
    let pending: Promise<void> = Promise.resolve();
    return {
      path: `postgresql ${SCHEMA}.locations/${id}`,
      read: () => structuredClone(current),
      write: (next) => {
        current = structuredClone(next);
        changed = true;
        const snapshot = structuredClone(current);
        pending = pending.then(() => this.writeConfig(id, snapshot)).catch(() => undefined);
      },
      // Only a run that changed its settings writes them back (a location re-added meanwhile keeps its new ones).
      flush: async () => {
        await pending;
        if (changed) await this.writeConfig(id, current);
      },
      /** Waits for the writes made so far (each is written as it is made). */
      settle: () => pending,
      /**
       * Reads the row again (a long-lived holder, `serve --database`, before each call: a worker or `fleet
       * add-location` may have written it since), once the writes made so far are in.
       */
      refresh: async () => {
        await pending;
        current = await this.readConfig(id);
      },
    };
  }

  // ---- secrets (PgVault's table, main/store/pg/secrets.ts) ----

  /** A location's encrypted secret rows as stored, for the test that no secret is in plain text. */
  async secretRows(locationId: string): Promise<Array<{ name: string; data: Buffer }>> {
    const r = await this.pool.query(
      `SELECT name, salt || iv || tag || data AS data FROM ${locationSchema(locationId)}.secrets`,
    );
    return r.rows.map((x) => ({ name: x.name as string, data: x.data as Buffer }));
  }

  // ---- the run lock ----

  /**
   * The second guard against two runs of one location (the job engine's singleton queue is the first): a session
   * advisory lock on its own connection, held for the whole run. A second holder gets undefined. It goes with the
   * connection, so a worker that dies (SIGKILL, a lost machine) frees it as soon as PostgreSQL sees the connection close.
   */
  async tryLocationLock(locationId: string): Promise<LocationLock | undefined> {
    const [a, b] = lockKeys(locationId);
    /** A session holding the lock, or undefined when another one holds it. */
    const take = async (onError: () => void): Promise<pg.Client | undefined> => {
      const client = new pg.Client({ connectionString: this.url, application_name: 'ghl-bridge run lock' });
      client.on('error', onError);
      let ok = false;
      try {
        await client.connect();
        const r = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [a, b]);
        ok = r.rows[0]?.ok === true;
      } finally {
        if (!ok) await client.end().catch(() => undefined);
      }
      return ok ? client : undefined;
    };
    let lost = false;
    let released = false;
    const watchers: Array<() => void> = [];
    let client: pg.Client | undefined;
    const dropped = (c: pg.Client) => () => {
      if (c !== client || released) return;
      lost = true;
      for (const fn of watchers) fn();
    };
    const firstClient: pg.Client | undefined = await take(() => firstClient && dropped(firstClient)());
    if (!firstClient) return undefined;
    client = firstClient;
    return {
      get lost() {
        return lost;
      },
      onLost(fn) {
        watchers.push(fn);
      },
      retake: async () => {
        if (released) return false;
        if (!lost) return true;
        const old = client;
        await old?.end().catch(() => undefined);
        const next: pg.Client | undefined = await take(() => next && dropped(next)());
        if (!next) return false;
        client = next;
        lost = false;
        return true;
      },
      release: async () => {
        released = true;
        // Closing the session releases its advisory locks.
        await client?.end().catch(() => undefined);
      },
    };
  }

  // ---- the run ledger ----

  async runStarted(locationId: string, worker: string, jobId: string): Promise<number> {
    const r = await this.pool.query(
      `INSERT INTO ${SCHEMA}.runs (location_id, worker, job_id) VALUES ($1, $2, $3) RETURNING id`,
      [locationId, worker, jobId],
    );
    return Number(r.rows[0].id);
  }

  async runEnded(
    id: number,
    outcome: string,
    detail?: string,
    counts: { writes?: number; requests?: Record<string, number> } = {},
  ): Promise<void> {
    await this.pool.query(
      `UPDATE ${SCHEMA}.runs SET ended_at = clock_timestamp(), outcome = $2, detail = $3, writes = $4, requests = $5
       WHERE id = $1`,
      [id, outcome, detail ?? null, counts.writes ?? null, counts.requests ? JSON.stringify(counts.requests) : null],
    );
  }

  /**
   * Closes the rows of a run whose start was written but whose answer was lost (PostgreSQL restarted between the
   * INSERT's commit and its reply): the worker holds the location's lock, so no run of this job on it is still going.
   */
  async runsNotStarted(locationId: string, worker: string, jobId: string, detail: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${SCHEMA}.runs SET ended_at = clock_timestamp(), outcome = 'failed', detail = $4
       WHERE location_id = $1 AND worker = $2 AND job_id = $3 AND ended_at IS NULL`,
      [locationId, worker, jobId, detail],
    );
  }

  async runs(locationId?: string): Promise<FleetRun[]> {
    const r = await this.pool.query(
      `SELECT id, location_id, worker, job_id, started_at, ended_at, outcome, detail, writes, requests FROM ${SCHEMA}.runs
       ${locationId ? 'WHERE location_id = $1' : ''} ORDER BY started_at, id`,
      locationId ? [locationId] : [],
    );
    return r.rows.map((x) => ({
      id: Number(x.id),
      locationId: x.location_id as string,
      worker: x.worker as string,
      jobId: x.job_id as string,
      startedAt: ms(x.started_at as Date)!,
      endedAt: ms(x.ended_at as Date | null),
      outcome: (x.outcome as string | null) ?? undefined,
      detail: (x.detail as string | null) ?? undefined,
      writes: (x.writes as number | null) ?? undefined,
      requests: (x.requests as Record<string, number> | null) ?? undefined,
    }));
  }

  /**
   * Locations with a job of the engine's queue waiting, retrying or running (the engine's own table, read only): the
   * fleet's tick queues a run for the others.
   */
  async locationsWithJobs(queue: string): Promise<Set<string>> {
    const r = await this.pool.query(
      `SELECT DISTINCT singleton_key FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
      [queue],
    );
    return new Set(r.rows.map((x) => x.singleton_key as string));
  }

  /** A location's jobs of the engine's queue that wait, retry or run (the engine's own table, read only): serve's window. */
  async locationJobs(
    queue: string,
    locationId: string,
  ): Promise<Array<{ id: string; state: string; startAfter: number }>> {
    const r = await this.pool.query(
      `SELECT id, state, start_after FROM pgboss.job WHERE name = $1 AND singleton_key = $2
       AND state IN ('created', 'retry', 'active') ORDER BY start_after`,
      [queue, locationId],
    );
    return r.rows.map((x) => ({
      id: x.id as string,
      state: x.state as string,
      startAfter: ms(x.start_after as Date)!,
    }));
  }

  /** Bytes PostgreSQL holds for the fleet's and the job engine's tables (the README's sizing). */
  async sizeBytes(schema: string): Promise<number> {
    const r = await this.pool.query(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint AS n FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')`,
      [schema],
    );
    return Number(r.rows[0].n);
  }
}

export const FLEET_SCHEMA = SCHEMA;
