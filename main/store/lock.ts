/**
 * Cross-process locks on files in the profile: a lock is a small file created with an exclusive link (it appears
 * whole or not at all) that names its holder — process id, host, boot, command. A lock whose holder process is gone
 * (same host and boot, pid no longer running, or our own pid under another token after a restart) is stale and is
 * taken over; a live holder is named in the error so the person knows which program to stop.
 *
 * Used for: the profile (one long-running GHL Bridge per profile), a sync run (no two runs at once across
 * processes) and the secret vault (every write is a read-modify-write under this lock).
 *
 * Why not proper-lockfile: it is only present as a dev-only dependency of electron-builder (it would not ship in the
 * app) and its staleness is time-based (mtime refreshed on a timer), which can hand a lock held across a slow token
 * refresh to a second process; a dead pid is an exact signal on the one machine that owns the profile.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

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

let bootId: string | undefined | null = null;
function currentBoot(): string | undefined {
  if (bootId === null) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      bootId = undefined;
    }
  }
  return bootId;
}

function readOwner(path: string): LockOwner | undefined | 'missing' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o.pid === 'number' && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the holder is certainly gone. A lock from another host (a shared folder) is never judged stale. */
export function isStale(o: LockOwner | undefined): boolean {
  if (!o) return false;
  if (o.host !== hostname()) return false;
  const boot = currentBoot();
  if (boot && o.boot && o.boot !== boot) return true;
  if (o.pid === process.pid) return !held.has(o.token);
  return !alive(o.pid);
}

/** Tokens of the locks this process holds (to tell our own lock from a previous process that had our pid). */
const held = new Set<string>();

function tryCreate(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${process.pid}.${owner.token.slice(0, 8)}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createExclusive(path, owner); // no hard links here (FAT, some shares)
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

/** Without hard links: an exclusive create, then the content (a reader may briefly see it empty: treated as held). */
function createExclusive(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Move a stale lock aside; if what we moved turns out not to be the stale one (someone took it meanwhile), put it back. */
function breakStale(path: string, stale: LockOwner): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readOwner(aside);
  if (moved !== 'missing' && moved && moved.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      /* a third process already took it; its lock stands */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* gone */
  }
}

export interface AcquireOptions {
  command: string;
  note?: string;
  /** How long to wait for a live holder. 0 = fail at once. */
  waitMs?: number;
  /** Builds the message when the lock stays taken. */
  busyMessage?: (owner: LockOwner | undefined) => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(path: string, opts: AcquireOptions): Promise<HeldLock> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), boot: currentBoot(), command: opts.command, since: Date.now(), token: randomBytes(12).toString('hex'), note: opts.note };
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let pause = 10;
  for (;;) {
    if (tryCreate(path, owner)) {
      held.add(owner.token);
      let released = false;
      return {
        path,
        owner,
        release() {
          if (released) return;
          released = true;
          held.delete(owner.token);
          const now = readOwner(path);
          if (now !== 'missing' && now?.token === owner.token) {
            try {
              unlinkSync(path);
            } catch {
              /* gone */
            }
          }
        },
      };
    }
    const current = readOwner(path);
    if (current === 'missing') continue;
    if (isStale(current)) {
      breakStale(path, current!);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockBusyError(opts.busyMessage?.(current) ?? `${path} is in use by ${describeOwner(current)}.`, current);
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 200);
  }
}

/** Who holds a lock, or undefined when nobody (or only a stale holder) does. */
export function lockHolder(path: string): LockOwner | undefined {
  const o = readOwner(path);
  if (o === 'missing' || !o || isStale(o)) return undefined;
  return o;
}

export function describeOwner(o: LockOwner | undefined): string {
  if (!o) return 'another GHL Bridge process';
  const since = new Date(o.since).toLocaleString();
  return `${o.command} (process ${o.pid}${o.host !== hostname() ? ` on ${o.host}` : ''}, since ${since})`;
}
