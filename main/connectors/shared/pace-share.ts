/**
 * What a Pacer knows of each rate window, shared by every process on a profile (the app, `serve`, a CLI command run
 * beside it or right after another): see main/connectors/shared/README.md, "Pacing across processes".
 *
 * One small JSON file per API in the profile holds *claims*: "process P holds these slots of window W, each until
 * time T". A process reserves a batch of slots at once — under the profile's cross-process lock (main/store/lock.ts),
 * it reads the file, counts the live slots of the others, and writes its own claim (its requests still in the window,
 * each until it leaves it, plus the new batch) with an atomic rename — then grants within that claim locally, without
 * touching the file, for `leaseMs`: the reservation is a *cap* on how many of its requests may be in the window at
 * once during the lease. Its own requests that leave the window during the lease are not claimed again: their slots
 * are the batch's (the cap holds them back until they have left), so a process running at the limit still reserves a
 * quarter-window's worth at a time, not one slot as each frees. A slot lasts until the request it covers can have left the server's window: a done request one window
 * after its answer; one in flight `flightMs` later (a slower answer is published again when it is back); a reserved
 * one is granted within `leaseMs`, so `leaseMs + flightMs` and one window later. Slots are never removed before they
 * expire, so a process that crashed still counts for the requests it sent, and blocks nobody after its window:
 * nothing in the file outlives its window.
 *
 * Every claim made counted all claims alive when it was made, and a claim is alive from its making to its expiry, so
 * at any moment the live claims together never exceed the limit.
 *
 * A server's "stop for a while" (a 429 with a stated wait, a spent daily budget, a window the server says is full
 * beyond what we count) is shared too: `blockedUntil`, the latest one wins.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock } from '../../store/lock.js';

export interface ShareWindow {
  name: string;
  max: number;
  windowMs: number;
  /** Until when each of this process's own requests counts in the window (done: answer + window). */
  own: number[];
  /** Of those, requests still in flight (they count until `flightMs` + one window from now). */
  inFlight: number;
}

export interface Reservation {
  /** The fewest new slots reserved in any window (0 = one window has none free: wait `retryMs`, then ask again). */
  slots: number;
  /** Per window: how many of this process's requests may be in it at once until `leaseEnd`. */
  caps: Record<string, number>;
  /** Until when the slots may be granted. */
  leaseEnd: number;
  retryMs: number;
  /** The latest hold-off any process on the profile was told. */
  blockedUntil: number;
}

/** What a Pacer needs from a share; FilePaceShare is the one the app uses. */
export interface PaceShare {
  reserve(at: number, windows: ShareWindow[]): Promise<Reservation>;
  /**
   * A request took longer than `flightMs`: publish its longer stay in the windows, keeping the caps of the lease
   * (`leaseLeftMs` more).
   */
  extend(windows: ShareWindow[], caps: Record<string, number>, leaseLeftMs: number): Promise<void>;
  holdOff(until: number): Promise<void>;
  readonly flightMs: number;
}

interface Claim {
  token: string;
  pid: number;
  window: string;
  /** One expiry (epoch ms) per slot. */
  until: number[];
}

interface ShareFile {
  version: 1;
  claims: Claim[];
  blockedUntil?: number;
}

export interface FilePaceShareOptions {
  /** The state file, e.g. `<profile>/pacing/ghl.json`; its lock is `<file>.lock`. */
  path: string;
  /** Most slots reserved at once per window (default: a quarter of its limit; a window of 4 or fewer whole). */
  batch?: number;
  /** How long a reserved batch may be granted (default: a quarter of the shortest window). */
  leaseMs?: number;
  /** How long a request's answer may take and still be covered by its claim (default 2 s). */
  flightMs?: number;
  now?: () => number;
  /** Called once when the file cannot be used (pacing then stays within this process until it can be used again). */
  onProblem?: (message: string) => void;
}

const empty = (): ShareFile => ({ version: 1, claims: [] });

export class FilePaceShare implements PaceShare {
  readonly flightMs: number;
  private readonly token = randomBytes(8).toString('hex');
  private readonly now: () => number;
  /** After a file problem: paced within this process until then (one window), then the file is tried again. */
  private brokenUntil = 0;
  private warned = false;
  /** The cool-down after a file problem: the longest window of the last reservation. */
  private coolMs = 1_000;
  /** File operations done (reservations, extensions, hold-offs): for the benchmark. */
  writes = 0;

  constructor(private readonly opts: FilePaceShareOptions) {
    this.flightMs = opts.flightMs ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  private read(): ShareFile {
    try {
      const f = JSON.parse(readFileSync(this.opts.path, 'utf8')) as ShareFile;
      return f && f.version === 1 && Array.isArray(f.claims) ? f : empty();
    } catch {
      return empty(); // missing, or left half-written by an older writer: claims expire anyway
    }
  }

  private write(f: ShareFile): void {
    const tmp = `${this.opts.path}.${process.pid}.${this.token}.tmp`;
    writeFileSync(tmp, JSON.stringify(f), { mode: 0o600 });
    renameSync(tmp, this.opts.path);
    this.writes++;
  }

  /**
   * Read-modify-write under the lock. On a file problem (often passing: a sync tool or a virus scanner holding the
   * file, a full disk), say so once and pace within this process for one window, then share again.
   */
  private async update<T>(fn: (f: ShareFile, at: number) => T, fallback: T): Promise<T> {
    if (this.now() < this.brokenUntil) return fallback;
    try {
      mkdirSync(dirname(this.opts.path), { recursive: true, mode: 0o700 });
      const lock = await acquireLock(`${this.opts.path}.lock`, {
        command: `pacing (process ${process.pid})`,
        waitMs: 30_000,
        durable: false,
      });
      try {
        const f = this.read();
        const at = this.now();
        for (const c of f.claims) c.until = c.until.filter((u) => u > at);
        f.claims = f.claims.filter((c) => c.until.length > 0);
        const r = fn(f, at);
        this.write(f);
        return r;
      } finally {
        lock.release();
      }
    } catch (e) {
      this.brokenUntil = this.now() + this.coolMs;
      if (!this.warned)
        this.opts.onProblem?.(
          `Rate-limit pacing is not shared with other GHL Bridge processes for now; tried again every window (${(e as Error).message}).`,
        );
      this.warned = true;
      return fallback;
    }
  }

  /** Requests of ours that stay in the window past the lease (the others' slots go to the batch). */
  private staying(w: ShareWindow, leaseEnd: number): number[] {
    return w.own.filter((u) => u > leaseEnd);
  }

  /**
   * Replace this process's claim for a lease ending at `leaseEnd`: its requests that stay past it, those in flight
   * (until `flightMs` and a window from now) and enough reserved slots to make up `caps` (until the lease, the flight
   * and a window are over).
   */
  private publish(
    f: ShareFile,
    at: number,
    leaseEnd: number,
    windows: ShareWindow[],
    caps: Record<string, number>,
  ): void {
    f.claims = f.claims.filter((c) => c.token !== this.token);
    for (const w of windows) {
      const done = this.staying(w, leaseEnd);
      const flying = Array.from({ length: w.inFlight }, () => at + this.flightMs + w.windowMs);
      const extra = Math.max(0, (caps[w.name] ?? 0) - done.length - w.inFlight);
      const reserved = Array.from({ length: extra }, () => Math.max(at, leaseEnd) + this.flightMs + w.windowMs);
      const until = [...done, ...flying, ...reserved];
      if (until.length) f.claims.push({ token: this.token, pid: process.pid, window: w.name, until });
    }
  }

  reserve(at: number, windows: ShareWindow[]): Promise<Reservation> {
    const shortest = Math.min(...windows.map((w) => w.windowMs));
    this.coolMs = Math.max(...windows.map((w) => w.windowMs));
    const leaseMs = this.opts.leaseMs ?? Math.max(1, Math.floor(shortest / 4));
    // Per window: a quarter of its limit; a window of 4 or fewer (AroFlo's 3 a second) is reserved whole, else a
    // process could only ever have one request in it.
    const batchOf = (w: ShareWindow) => this.opts.batch ?? (w.max <= 4 ? w.max : Math.floor(w.max / 4));
    const capsOf = (slots: Record<string, number>, leaseEnd: number) =>
      Object.fromEntries(
        windows.map((w) => [w.name, this.staying(w, leaseEnd).length + w.inFlight + (slots[w.name] ?? 0)]),
      );
    const all = Object.fromEntries(windows.map((w) => [w.name, batchOf(w)]));
    const alone: Reservation = {
      slots: Math.min(...Object.values(all)),
      caps: capsOf(all, at + leaseMs),
      leaseEnd: at + leaseMs,
      retryMs: 0,
      blockedUntil: 0,
    };
    return this.update((f, now) => {
      const leaseEnd = now + leaseMs;
      const others = f.claims.filter((c) => c.token !== this.token);
      const slots: Record<string, number> = {};
      let retryAt = Infinity;
      for (const w of windows) {
        const theirs = others.filter((c) => c.window === w.name).flatMap((c) => c.until);
        const staying = this.staying(w, leaseEnd);
        const free = w.max - staying.length - w.inFlight - theirs.length;
        slots[w.name] = Math.max(0, Math.min(batchOf(w), free));
        // Full: a slot frees when another process's expires, or when one of ours no longer stays past a lease.
        if (free <= 0) retryAt = Math.min(retryAt, ...theirs, ...staying.map((u) => u - leaseMs));
      }
      const least = Math.min(...Object.values(slots));
      const blockedUntil = f.blockedUntil ?? 0;
      const caps = capsOf(slots, leaseEnd);
      if (least > 0) this.publish(f, now, leaseEnd, windows, caps);
      const retryMs =
        least > 0 ? 0 : Math.max(1, Math.min(Number.isFinite(retryAt) ? retryAt - now : shortest, shortest));
      return { slots: least, caps, leaseEnd, retryMs, blockedUntil };
    }, alone);
  }

  extend(windows: ShareWindow[], caps: Record<string, number>, leaseLeftMs: number): Promise<void> {
    return this.update(
      (f, now) => this.publish(f, now, now + Math.max(0, leaseLeftMs), windows, leaseLeftMs > 0 ? caps : {}),
      undefined,
    );
  }

  holdOff(until: number): Promise<void> {
    return this.update((f) => {
      f.blockedUntil = Math.max(f.blockedUntil ?? 0, until);
    }, undefined);
  }
}
