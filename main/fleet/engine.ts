/**
 * The job engine under the fleet: pg-boss 10 on the fleet's PostgreSQL (main/fleet/README.md, "Why pg-boss").
 * One queue, `ghl-bridge-sync`, with the `stately` policy and the location id as singleton key: at most one queued
 * and one running job per location. A job whose worker died stays `active` until it expires (`expireSeconds`); the
 * engine's maintenance (every `maintenanceSeconds`) fails it and it is retried, with backoff, by any worker.
 */
import PgBoss from 'pg-boss';

export const SYNC_QUEUE = 'ghl-bridge-sync';
export const TICK_QUEUE = 'ghl-bridge-fleet-tick';

export interface EngineTiming {
  /** A run still active after this long is taken for dead (its worker gone) and retried elsewhere. */
  expireSeconds: number;
  /** How often the engine looks for expired jobs. */
  maintenanceSeconds: number;
  /** First retry delay; pg-boss doubles it per attempt, with jitter (retryBackoff). */
  retryDelaySeconds: number;
  retryLimit: number;
  /** How often an idle worker asks for a job. */
  pollSeconds: number;
}

export const DEFAULT_TIMING: EngineTiming = {
  expireSeconds: 15 * 60,
  maintenanceSeconds: 30,
  retryDelaySeconds: 30,
  retryLimit: 6,
  pollSeconds: 2,
};

/**
 * The longest a location whose worker died waits before another worker runs it: the job expires, the next
 * maintenance pass finds it, the first retry's delay (up to twice retryDelay with pg-boss's jitter) and one poll.
 */
export function pickupBoundSeconds(t: EngineTiming): number {
  return t.expireSeconds + t.maintenanceSeconds + 2 * t.retryDelaySeconds + t.pollSeconds;
}

export interface SyncJobData {
  locationId: string;
}

export async function startEngine(url: string, t: EngineTiming, onError: (e: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max: 4, maintenanceIntervalSeconds: t.maintenanceSeconds });
  // A lost connection (PostgreSQL restarting) is reported here and retried by pg-boss; it must not end the process.
  boss.on('error', onError);
  await boss.start();
  const queue = {
    name: SYNC_QUEUE,
    policy: 'stately' as const,
    retryLimit: t.retryLimit,
    retryDelay: t.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: t.expireSeconds,
  };
  for (const q of [queue, { name: TICK_QUEUE, policy: 'singleton' as const, expireInSeconds: 60 }]) {
    const existing = await boss.getQueue(q.name);
    if (!existing) await boss.createQueue(q.name, q).catch(() => boss.updateQueue(q.name, q));
    else await boss.updateQueue(q.name, q);
  }
  return boss;
}

/**
 * Queue a location's next run (at most one waits per location: `stately`). Null when one already waits. pg-boss gives
 * the job the queue's expiry and retry settings as they are now (set by the workers' `--expire-seconds` …).
 */
export async function queueRun(boss: PgBoss, locationId: string, afterSeconds = 0): Promise<string | null> {
  return boss.send(SYNC_QUEUE, { locationId } satisfies SyncJobData, {
    singletonKey: locationId,
    ...(afterSeconds > 0 ? { startAfter: afterSeconds } : {}),
  });
}

/**
 * The engine for a process that only queues runs (`serve --database`): no maintenance, no schedules, and the queue's
 * settings left as the workers set them (a job gets the queue's expiry and retries when it is sent).
 */
export async function connectEngine(url: string, onError: (e: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
  boss.on('error', onError);
  await boss.start();
  return boss;
}
