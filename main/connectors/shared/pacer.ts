/**
 * Proactive request pacing: a sliding-window limiter over several windows at once (e.g. 3/s AND 120/min AND
 * 2,000/day), corrected by what the server reports in its headers.
 *
 * Why not p-queue's `interval`: it counts in fixed windows, so it can let 2× the limit through across a window
 * boundary, which a sliding-window server answers with 429. Here a slot is granted only when fewer than `max`
 * requests started in the last `windowMs`, for every window.
 *
 * Counting from the grant is not always enough: the server counts a request when it *arrives* (or is processed),
 * which under a burst can be tens of ms after the grant, so a request granted exactly one window later can still
 * meet the old one in the server's window. With `countUntilDone`, a request counts from its grant until
 * `attemptDone()` (its answer is back) and then for one window from that moment; the server's own timestamp lies
 * between the two, so no sliding- or fixed-window server with the same limit can see more than `max`, whatever the
 * latency. HttpClient calls `attemptDone()` after every attempt. The cost is one request latency per window.
 *
 * With a `share` (pace-share.ts), the short windows are shared with every other process on the profile: slots are
 * reserved from the shared file in batches and granted locally, and a server's hold-off reaches every process.
 *
 * Time and sleeping are injected so tests never wait for real.
 */
import type { PaceShare, ShareWindow } from './pace-share.js';

export interface PaceWindow {
  /** e.g. "burst", "minute", "daily" — used in status and errors. */
  name: string;
  max: number;
  windowMs: number;
}

export interface PacerOptions {
  windows: PaceWindow[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Keep this many slots of each window unused as a safety margin (default 0). */
  headroom?: number;
  /**
   * Count each request in the short windows from its grant until `attemptDone()`, then for one window from then
   * (see above). Default false: counted from the grant. Long (daily) windows always count from the grant.
   */
  countUntilDone?: boolean;
  /** Share the short windows and hold-offs with other processes on the profile (pace-share.ts). */
  share?: PaceShare;
}

export interface PacerStatus {
  windows: Array<{ name: string; max: number; windowMs: number; used: number; remaining: number }>;
  /** What the server last said remains in its daily budget, when it says. */
  serverDailyRemaining?: number;
  serverDailyLimit?: number;
  /** Epoch ms until which the server told us to hold off entirely. */
  blockedUntil?: number;
  /** Requests granted since this pacer was created. */
  granted: number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Pacer {
  private readonly windows: PaceWindow[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly headroom: number;
  /** Start times of granted requests, oldest first, trimmed to the longest window that is not "daily-sized". */
  private readonly stamps: number[] = [];
  private stampStart = 0;
  /** Counts for windows too long to keep every timestamp (≥ 1 h): bucketed per minute. */
  private readonly buckets = new Map<number, number>();
  private blockedUntil = 0;
  private granted = 0;
  private serverDailyRemaining?: number;
  private serverDailyLimit?: number;
  /** A promise chain so waiters are served in order (FIFO) and never race each other for the same slot. */
  private tail: Promise<void> = Promise.resolve();
  readonly #untilDone: boolean;
  /** Granted, not yet done (countUntilDone only). */
  #awaitingDone = 0;
  #doneWaiter?: () => void;
  readonly #share?: PaceShare;
  /** The share's reservation: per window, how many of our requests may be in it at once, until `#leaseEnd`. */
  #caps: Record<string, number> = {};
  #leaseEnd = 0;
  /** Grant times of requests in flight (share only: to tell one that outlived the share's `flightMs`). */
  #inFlightSince: number[] = [];

  constructor(opts: PacerOptions) {
    if (!opts.windows.length) throw new Error('Pacer needs at least one window');
    this.windows = [...opts.windows].sort((a, b) => a.windowMs - b.windowMs);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.headroom = opts.headroom ?? 0;
    this.#untilDone = opts.countUntilDone ?? false;
    this.#share = opts.share;
  }

  /**
   * The short windows as the share sees them: until when each of this process's requests counts (a done one one
   * window after its stamp), and how many are in flight.
   */
  private shareWindows(at: number): ShareWindow[] {
    const inFlight = this.#untilDone ? this.#awaitingDone : 0;
    return this.windows
      .filter((w) => w.windowMs < Pacer.LONG)
      .map((w) => {
        const own: number[] = [];
        for (let i = this.stamps.length - 1; i >= this.stampStart && (this.stamps[i] as number) > at - w.windowMs; i--)
          own.push((this.stamps[i] as number) + w.windowMs);
        return { name: w.name, max: Math.max(1, w.max - this.headroom), windowMs: w.windowMs, own, inFlight };
      });
  }

  /** A slot of this process's reservation, reserving a new batch when none is left: ms to wait first, or 0 (taken). */
  private async takeShared(at: number): Promise<number> {
    const share = this.#share;
    if (!share) return 0;
    if (at < this.#leaseEnd) {
      const wait = this.waitForCaps(at);
      if (wait === 0) return 0;
      // A request of ours leaves the window before the lease ends: wait for it rather than ask the file again.
      if (at + wait < this.#leaseEnd) return wait;
    }
    const r = await share.reserve(at, this.shareWindows(at));
    this.blockedUntil = Math.max(this.blockedUntil, r.blockedUntil);
    this.#caps = r.caps;
    this.#leaseEnd = r.slots > 0 ? r.leaseEnd : 0;
    if (r.slots <= 0) return r.retryMs;
    // A hold-off learnt from another process comes first; the reservation waits (its lease may run out: re-reserve).
    const now = this.now();
    if (this.blockedUntil > now) return this.blockedUntil - now;
    return this.waitForCaps(now);
  }

  /** 0 when one more request stays within the reservation's caps; else ms until one of ours leaves (Infinity: in flight). */
  private waitForCaps(at: number): number {
    let wait = 0;
    for (const w of this.windows) {
      const cap = this.#caps[w.name];
      if (cap === undefined || w.windowMs >= Pacer.LONG) continue;
      const count = this.countIn(w.windowMs, at);
      if (count < cap) continue;
      const inWindow = this.stampsIn(w.windowMs, at);
      const mustLeave = count - cap + 1;
      if (mustLeave > inWindow) return Infinity;
      wait = Math.max(
        wait,
        (this.stamps[this.stamps.length - inWindow + mustLeave - 1] as number) + w.windowMs - at + 1,
      );
    }
    return wait;
  }

  private static readonly LONG = 3_600_000;
  private static readonly BUCKET = 60_000;

  /** Stamps inside a short window (not counting requests in flight). */
  private stampsIn(windowMs: number, at: number): number {
    const from = at - windowMs;
    let n = 0;
    for (let i = this.stamps.length - 1; i >= this.stampStart; i--) {
      if ((this.stamps[i] as number) > from) n++;
      else break;
    }
    return n;
  }

  private countIn(windowMs: number, at: number, withInFlight = true): number {
    const from = at - windowMs;
    if (windowMs < Pacer.LONG) return this.stampsIn(windowMs, at) + (withInFlight ? this.#awaitingDone : 0);
    let n = 0;
    const firstBucket = Math.floor(from / Pacer.BUCKET);
    for (const [b, c] of this.buckets) if (b > firstBucket) n += c;
    return n;
  }

  /**
   * How long until a request may start (0 = now; Infinity = only when a request in flight is done).
   * `withInFlight` false leaves requests in flight out (they finish soon; used for estimates).
   */
  private waitFor(at: number, withInFlight = true): number {
    let wait = Math.max(0, this.blockedUntil - at);
    for (const w of this.windows) {
      const limit = Math.max(1, w.max - this.headroom);
      if (this.countIn(w.windowMs, at, withInFlight) < limit) continue;
      if (w.windowMs < Pacer.LONG) {
        const inWindow = this.stampsIn(w.windowMs, at);
        const mustLeave = inWindow + (withInFlight ? this.#awaitingDone : 0) - limit + 1;
        if (mustLeave > inWindow) {
          wait = Infinity;
          continue;
        }
        // The slot frees when the mustLeave-th oldest stamp in the window leaves it.
        const oldest = this.stamps[this.stamps.length - inWindow + mustLeave - 1] as number;
        wait = Math.max(wait, oldest + w.windowMs - at + 1);
      } else {
        wait = Math.max(wait, Pacer.BUCKET);
      }
    }
    return wait;
  }

  private record(at: number): void {
    this.granted++;
    if (this.#untilDone) this.#awaitingDone++;
    else this.stamp(at);
    if (this.windows.some((w) => w.windowMs >= Pacer.LONG)) {
      const b = Math.floor(at / Pacer.BUCKET);
      this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
      const longest = (this.windows[this.windows.length - 1] as PaceWindow).windowMs;
      const oldest = Math.floor((at - longest) / Pacer.BUCKET);
      for (const k of this.buckets.keys()) if (k <= oldest) this.buckets.delete(k);
    }
  }

  private stamp(at: number): void {
    // Keep stamps sorted: an answer's moment can be a little earlier than a stamp already recorded.
    let i = this.stamps.length;
    while (i > this.stampStart && (this.stamps[i - 1] as number) > at) i--;
    this.stamps.splice(i, 0, at);
    const shortest = this.windows.filter((w) => w.windowMs < Pacer.LONG);
    const keepMs = shortest.length ? (shortest[shortest.length - 1] as PaceWindow).windowMs : 0;
    // Twice the window is kept: observe() may look back a request's time on the wire further than one window.
    while (this.stampStart < this.stamps.length && (this.stamps[this.stampStart] as number) <= at - 2 * keepMs)
      this.stampStart++;
    if (this.stampStart > 4096) {
      this.stamps.splice(0, this.stampStart);
      this.stampStart = 0;
    }
  }

  /**
   * The request granted earlier has its answer (or failed). With `countUntilDone` it now counts for one window
   * from the moment the answer started arriving (`answeredAgoMs` before now: the server counted it no later than
   * that); otherwise this does nothing. HttpClient calls it once after every attempt.
   */
  attemptDone(answeredAgoMs = 0): void {
    if (this.#untilDone && this.#awaitingDone > 0) {
      this.#awaitingDone--;
      this.stamp(this.now() - Math.max(0, answeredAgoMs));
      const wake = this.#doneWaiter;
      this.#doneWaiter = undefined;
      wake?.();
    }
    if (this.#share) this.shareDone();
  }

  /** A request is done; when it took longer than the share's claim covers, publish the longer stay. */
  private shareDone(): void {
    const share = this.#share!;
    const since = this.#inFlightSince.shift();
    const at = this.now();
    if (since === undefined || at - since <= share.flightMs) return;
    void share.extend(this.shareWindows(at), this.#caps, this.#leaseEnd - at).catch(() => undefined);
  }

  /**
   * How long a request asked for now would wait for its slot (ignoring callers already queued and requests in
   * flight, which finish soon). For a long (daily) window that is full, the time until its oldest minute leaves.
   */
  delayMs(): number {
    const at = this.now();
    let wait = this.waitFor(at, false);
    for (const w of this.windows) {
      if (w.windowMs < Pacer.LONG) continue;
      const limit = Math.max(1, w.max - this.headroom);
      if (this.countIn(w.windowMs, at) < limit) continue;
      const firstBucket = Math.floor((at - w.windowMs) / Pacer.BUCKET) + 1;
      const oldest = Math.min(...[...this.buckets.keys()].filter((b) => b >= firstBucket));
      if (Number.isFinite(oldest)) wait = Math.max(wait, (oldest + 1) * Pacer.BUCKET + w.windowMs - at);
    }
    return wait;
  }

  /** Wait for a slot, then claim it. Calls are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.tail.then(async () => {
      for (;;) {
        const at = this.now();
        const wait = this.waitFor(at);
        if (wait <= 0) {
          const shared = await this.takeShared(at);
          if (shared === Infinity) await new Promise<void>((resolve) => (this.#doneWaiter = resolve));
          if (shared > 0) {
            if (shared !== Infinity) await this.sleep(shared);
            continue;
          }
          const granted = this.#share ? this.now() : at;
          if (this.#share) this.#inFlightSince.push(granted);
          this.record(granted);
          return;
        }
        if (wait === Infinity) await new Promise<void>((resolve) => (this.#doneWaiter = resolve));
        else await this.sleep(wait);
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** The server told us to stop for `ms` (429 with a stated wait, or a reset time). */
  holdOff(ms: number): void {
    const until = this.now() + Math.max(0, ms);
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    void this.#share?.holdOff(until).catch(() => undefined);
  }

  /**
   * Feed what the server's headers say; the pacer never lets more through than the server allows.
   * `ageMs`: how long ago, at most, the server took this reading (the request's time on the wire); it lets the
   * "is the server fuller than us?" check count every request of ours the server can have been counting then.
   * `windowMax`: the server's own limit for the window, when it says.
   */
  observe(server: {
    windowRemaining?: number;
    windowMs?: number;
    windowMax?: number;
    ageMs?: number;
    dailyRemaining?: number;
    dailyLimit?: number;
    dailyResetMs?: number;
  }): void {
    if (server.dailyLimit !== undefined) this.serverDailyLimit = server.dailyLimit;
    if (server.dailyRemaining !== undefined) {
      this.serverDailyRemaining = server.dailyRemaining;
      if (server.dailyRemaining <= 0 && server.dailyResetMs !== undefined) this.holdOff(server.dailyResetMs);
    }
    if (server.windowRemaining !== undefined && server.windowRemaining <= 0 && server.windowMs !== undefined) {
      // The server's window is full. When our own tally says so too, we are simply running at the limit and the
      // sliding window already spaces the next request correctly; holding off a whole window here would cut
      // throughput. Only when the server counts more than we can account for (other apps share the bucket) wait
      // out its window.
      const ours = this.matchingWindow(server.windowMs);
      if (!ours) return;
      const at = this.now();
      const ourCount = this.countIn(ours.windowMs + Math.max(0, server.ageMs ?? 0), at);
      const serverUsed = server.windowMax ?? ours.max - this.headroom;
      if (ourCount < serverUsed) this.holdOff(Math.min(server.windowMs, 60_000));
    }
  }

  /** Our window that corresponds to a server window length: the same length, else the shortest one. */
  private matchingWindow(windowMs: number): PaceWindow | undefined {
    return this.windows.find((w) => w.windowMs === windowMs) ?? this.windows[0];
  }

  status(): PacerStatus {
    const at = this.now();
    return {
      windows: this.windows.map((w) => {
        const used = this.countIn(w.windowMs, at);
        return { name: w.name, max: w.max, windowMs: w.windowMs, used, remaining: Math.max(0, w.max - used) };
      }),
      serverDailyRemaining: this.serverDailyRemaining,
      serverDailyLimit: this.serverDailyLimit,
      blockedUntil: this.blockedUntil > at ? this.blockedUntil : undefined,
      granted: this.granted,
    };
  }
}
