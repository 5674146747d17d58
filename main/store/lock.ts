/**
 * Cross-process locks on files in the profile: a lock is a small file created with an exclusive link (it appears
 * whole or not at all) that names its holder — process id, host, boot, command. A lock whose holder is certainly gone
 * is stale and is taken over; a live holder is named in the error, with the lock file, so the person knows which
 * program to stop (or that the file may be deleted when that program is gone).
 *
 * Stale means, on the holder's own computer: taken before this boot (Linux boot id, and on every OS a `since` earlier
 * than the boot time — Windows does not run the app's quit handlers at shutdown, and after a reboot its old pid may
 * belong to another program), or its process is no longer running, or it is our own pid under a token we do not hold
 * (a previous process that had our pid). A lock from another host (a shared folder, or a Docker container recreated
 * under a new hostname on the same volume) cannot be checked by pid: every holder refreshes its lock's mtime once a
 * minute, and a foreign lock not refreshed for FOREIGN_STALE_MS is stale. (A computer asleep that long loses its lock
 * on a shared folder; the profile lock is meant for one machine.)
 *
 * Breaking a stale lock is serialised by a `.break` lock: under it the lock is re-read and removed only if it is still
 * the stale one, so a live lock is never moved or removed. A lock file that cannot be parsed (a crash between create and
 * write where hard links are missing) is stale once its mtime is UNPARSEABLE_STALE_MS old.
 *
 * Used for: the profile (one long-running GHL Bridge per profile), a sync run (no two runs at once across
 * processes) and the secret vault (every write is a read-modify-write under this lock).
 *
 * Why not proper-lockfile: it is only present as a dev-only dependency of electron-builder (it would not ship in the
 * app) and its staleness is time-based only, which can hand a lock held across a slow token refresh to a second
 * process on the same machine; a dead pid is an exact signal on the one machine that owns the profile.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { hostname, uptime } from 'node:os';

export interface LockOwner {
  pid: number;
  host: string;
  boot?: string;
  /** What holds it, in words a person recognises: "ghl-bridge serve", "the GHL Bridge app". */
  command: string;
  since: number;
  token: string;
  /** Anything worth telling whoever finds the lock taken (e.g. the address of the running window). */
  note?: string;
}

export class LockBusyError extends Error {
  constructor(
    message: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(message);
    this.name = 'LockBusyError';
  }
}

export interface HeldLock {
  readonly path: string;
  readonly owner: LockOwner;
  release(): void;
}

/** What the lock needs from the OS; replaceable in tests (another platform, a file system that answers EPERM). */
export interface LockSystem {
  platform: NodeJS.Platform;
  hostname(): string;
  /** Linux boot id, when there is one. */
  bootId(): string | undefined;
  /** When this computer booted, in ms since the epoch. */
  bootTime(): number;
  alive(pid: number): boolean;
  now(): number;
  fs: Pick<
    typeof nodeFs,
    | 'linkSync'
    | 'openSync'
    | 'writeSync'
    | 'fsyncSync'
    | 'closeSync'
    | 'readFileSync'
    | 'unlinkSync'
    | 'statSync'
    | 'utimesSync'
  >;
}

/** A foreign host's lock not refreshed for this long is stale (holders refresh every HEARTBEAT_MS). */
export const FOREIGN_STALE_MS = 10 * 60_000;
const HEARTBEAT_MS = 60_000;
/** A lock file that cannot be parsed and is this old was left by a crash between create and write. */
export const UNPARSEABLE_STALE_MS = 30_000;
/** A `.break` lock this old was left by a breaker that crashed (breaking takes microseconds). */
const BREAK_STALE_MS = 10_000;
/** A lock taken this long before the computed boot time is from before this boot (margin for clock adjustments). */
const BOOT_MARGIN_MS = 60_000;

let bootId: string | undefined | null = null;
export const defaultLockSystem: LockSystem = {
  platform: process.platform,
  hostname,
  bootId() {
    if (bootId === null) {
      try {
        bootId = nodeFs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
      } catch {
        bootId = undefined;
      }
    }
    return bootId;
  },
  bootTime: () => Date.now() - uptime() * 1000,
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  now: () => Date.now(),
  fs: nodeFs,
};

const system = (s?: Partial<LockSystem>): LockSystem => (s ? { ...defaultLockSystem, ...s } : defaultLockSystem);
const codeOf = (e: unknown) => (e as NodeJS.ErrnoException).code;
/** On Windows a file being deleted, or held by an antivirus scanner or indexer, answers EPERM/EBUSY: busy, not broken. */
const transientBusy = (sys: LockSystem, e: unknown) =>
  sys.platform === 'win32' && (codeOf(e) === 'EPERM' || codeOf(e) === 'EBUSY');

interface Seen {
  owner: LockOwner | undefined;
  mtimeMs: number;
}

/** The lock's holder and mtime; 'missing' when there is no lock; 'busy' when Windows will not let us read it now. */
function readLock(path: string, sys: LockSystem): Seen | 'missing' | 'busy' {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = sys.fs.statSync(path).mtimeMs;
    text = sys.fs.readFileSync(path, 'utf8') as string;
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return 'missing';
    if (transientBusy(sys, e)) return 'busy';
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return { owner: typeof o.pid === 'number' && typeof o.token === 'string' ? o : undefined, mtimeMs };
  } catch {
    return { owner: undefined, mtimeMs };
  }
}

/** True when the holder is certainly gone (see the top of this file). */
export function isStale(o: LockOwner | undefined, mtimeMs: number, s?: Partial<LockSystem>): boolean {
  const sys = system(s);
  const age = sys.now() - mtimeMs;
  if (!o) return age > UNPARSEABLE_STALE_MS;
  if (o.host !== sys.hostname()) return age > FOREIGN_STALE_MS;
  const boot = sys.bootId();
  if (boot && o.boot && o.boot !== boot) return true;
  if (typeof o.since === 'number' && o.since < sys.bootTime() - BOOT_MARGIN_MS) return true;
  if (o.pid === process.pid) return !held.has(o.token);
  return !sys.alive(o.pid);
}

/** Locks this process holds, by token (to tell our own lock from a previous process that had our pid). */
const held = new Map<string, { path: string; sys: LockSystem }>();
let heartbeat: ReturnType<typeof setInterval> | undefined;

/** Refresh the mtime of every lock we hold, so a process on another host can tell a live holder from a gone one. */
function beat(): void {
  for (const [token, { path, sys }] of held) {
    const seen = readLock(path, sys);
    if (seen === 'missing' || seen === 'busy' || seen.owner?.token !== token) continue;
    try {
      const t = new Date(sys.now());
      sys.fs.utimesSync(path, t, t);
    } catch {
      /* next beat */
    }
  }
}

type Created = 'created' | 'exists' | 'busy';

function tryCreate(path: string, owner: LockOwner, sys: LockSystem, durable = true): Created {
  const tmp = `${path}.${process.pid}.${owner.token.slice(0, 8)}.tmp`;
  const fd = sys.fs.openSync(tmp, 'w', 0o600);
  try {
    sys.fs.writeSync(fd, JSON.stringify(owner));
    if (durable) sys.fs.fsyncSync(fd);
  } finally {
    sys.fs.closeSync(fd);
  }
  try {
    sys.fs.linkSync(tmp, path);
    return 'created';
  } catch (e) {
    const code = codeOf(e);
    if (code === 'EEXIST') return 'exists';
    // No hard links here (FAT, some shares) — or, on Windows, a name being deleted or held by a scanner: the exclusive
    // create tells them apart (it answers EPERM/EBUSY again when the name is busy, and we wait).
    if (code === 'EPERM' || code === 'EBUSY' || code === 'ENOTSUP' || code === 'ENOSYS')
      return createExclusive(path, owner, sys, durable);
    throw e;
  } finally {
    try {
      sys.fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/** Without hard links: an exclusive create, then the content (a reader may briefly see it empty: held until old). */
function createExclusive(path: string, owner: LockOwner, sys: LockSystem, durable = true): Created {
  let fd: number;
  try {
    fd = sys.fs.openSync(path, 'wx', 0o600);
  } catch (e) {
    if (codeOf(e) === 'EEXIST') return 'exists';
    if (transientBusy(sys, e)) return 'busy';
    throw e;
  }
  try {
    sys.fs.writeSync(fd, JSON.stringify(owner));
    if (durable) sys.fs.fsyncSync(fd);
  } finally {
    sys.fs.closeSync(fd);
  }
  return 'created';
}

/**
 * Remove a stale lock, serialised with other breakers by `<path>.break`: under it the lock is re-read and removed only
 * if it is still the stale one (same token; or still unparseable and unchanged). Never moves a lock that may be live.
 */
function breakStale(path: string, stale: Seen, sys: LockSystem): 'done' | 'wait' {
  const breakPath = `${path}.break`;
  let fd: number;
  try {
    fd = sys.fs.openSync(breakPath, 'wx', 0o600);
  } catch (e) {
    if (codeOf(e) === 'EEXIST') {
      // Another breaker is at work; one that crashed left its file behind: clear that, the caller retries.
      try {
        if (sys.now() - sys.fs.statSync(breakPath).mtimeMs > BREAK_STALE_MS) sys.fs.unlinkSync(breakPath);
      } catch {
        /* gone meanwhile */
      }
      return 'wait';
    }
    if (transientBusy(sys, e)) return 'wait';
    throw e;
  }
  sys.fs.closeSync(fd);
  try {
    const now = readLock(path, sys);
    if (now === 'missing') return 'done';
    if (now === 'busy') return 'wait';
    const same = stale.owner ? now.owner?.token === stale.owner.token : !now.owner && now.mtimeMs === stale.mtimeMs;
    if (!same) return 'done';
    try {
      sys.fs.unlinkSync(path);
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return 'done';
      if (transientBusy(sys, e)) return 'wait';
      throw e;
    }
    return 'done';
  } finally {
    try {
      sys.fs.unlinkSync(breakPath);
    } catch {
      /* gone */
    }
  }
}

export interface AcquireOptions {
  command: string;
  note?: string;
  /** How long to wait for a live holder. 0 = fail at once. */
  waitMs?: number;
  /** Builds the message when the lock stays taken. */
  busyMessage?: (owner: LockOwner | undefined) => string;
  /** The OS as seen by the lock (tests). */
  system?: Partial<LockSystem>;
  /**
   * false: the lock file is not flushed to disk (a few ms less per lock, for locks held for microseconds many times a
   * minute, such as the pacing file's). After a power loss such a lock may be left unreadable: stale after 30 s.
   */
  durable?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(path: string, opts: AcquireOptions): Promise<HeldLock> {
  const sys = system(opts.system);
  const owner: LockOwner = {
    pid: process.pid,
    host: sys.hostname(),
    boot: sys.bootId(),
    command: opts.command,
    since: sys.now(),
    token: randomBytes(12).toString('hex'),
    note: opts.note,
  };
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let pause = 10;
  for (;;) {
    const created = tryCreate(path, owner, sys, opts.durable);
    if (created === 'created') {
      held.set(owner.token, { path, sys });
      if (!heartbeat) {
        heartbeat = setInterval(beat, HEARTBEAT_MS);
        heartbeat.unref?.();
      }
      let released = false;
      return {
        path,
        owner,
        release() {
          if (released) return;
          released = true;
          held.delete(owner.token);
          if (held.size === 0 && heartbeat) {
            clearInterval(heartbeat);
            heartbeat = undefined;
          }
          const now = readLock(path, sys);
          if (now !== 'missing' && now !== 'busy' && now.owner?.token === owner.token) {
            try {
              sys.fs.unlinkSync(path);
            } catch {
              /* gone */
            }
          }
        },
      };
    }
    let current: LockOwner | undefined;
    if (created === 'exists') {
      const seen = readLock(path, sys);
      if (seen === 'missing') continue;
      if (seen !== 'busy') {
        if (isStale(seen.owner, seen.mtimeMs, sys)) {
          // Another breaker at work (or one that crashed, whose .break goes stale in seconds): wait, then look again.
          if (breakStale(path, seen, sys) === 'wait') {
            await sleep(pause);
            pause = Math.min(pause * 2, 200);
          }
          continue;
        }
        current = seen.owner;
      }
    }
    if (Date.now() >= deadline) {
      const message = opts.busyMessage?.(current) ?? `${path} is in use by ${describeOwner(current)}.`;
      throw new LockBusyError(
        `${message} (Lock file: ${path} — if that process is no longer running, delete this file and try again.)`,
        current,
      );
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 200);
  }
}

/** Who holds a lock, or undefined when nobody (or only a stale holder) does. */
export function lockHolder(path: string, s?: Partial<LockSystem>): LockOwner | undefined {
  const sys = system(s);
  const seen = readLock(path, sys);
  if (seen === 'missing' || seen === 'busy' || !seen.owner || isStale(seen.owner, seen.mtimeMs, sys)) return undefined;
  return seen.owner;
}

export function describeOwner(o: LockOwner | undefined): string {
  if (!o) return 'another GHL Bridge process';
  const since = new Date(o.since).toLocaleString();
  return `${o.command} (process ${o.pid}${o.host !== hostname() ? ` on ${o.host}` : ''}, since ${since})`;
}
