/**
 * The second pacing stage: a request may go out only when, for every window (e.g. 3 per second), fewer than
 * `max` earlier requests could still be inside AroFlo's window. A request occupies a window from the moment it
 * is sent until `windowMs` after its answer came back (or for as long as it is still in flight).
 *
 * Why: AroFlo counts a request when it *arrives*, and arrival can lag our send by network delay, a new
 * connection or a busy event loop (measured here: up to ~300 ms). The shared Pacer counts from the moment it
 * grants a slot, so a late earlier request can squeeze the gap to a later one and trip the sliding window.
 * Counting until the answer (which comes after the arrival) is safe whatever the delay, and costs little:
 * 3 per (1 s + round trip) stays above the 2/s that 120/min allows in the long run.
 */
export interface GuardWindow {
  name: string;
  max: number;
  windowMs: number;
}

export interface GuardSlot {
  start: number;
  end?: number;
}

export class SendGuard {
  private slots: GuardSlot[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private readonly longest: number;

  constructor(
    private readonly windows: GuardWindow[],
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    /** An open slot older than this is treated as finished (a request cannot hang longer than its timeout). */
    private readonly staleMs = 120_000,
    /** How often to look again while only requests still in flight block the way. */
    private readonly pollMs = 10,
  ) {
    this.longest = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  private endOf(s: GuardSlot): number {
    return s.end ?? s.start + this.staleMs;
  }

  /** 0 = may send now; otherwise how long to wait before looking again. */
  private waitAt(t: number): number {
    let wait = 0;
    for (const w of this.windows) {
      // Each slot blocks until its end + windowMs; still-open slots until they end.
      const busyUntil: number[] = [];
      for (const s of this.slots) {
        const open = s.end === undefined && t - s.start < this.staleMs;
        const until = open ? Infinity : this.endOf(s) + w.windowMs;
        if (until > t) busyUntil.push(until);
      }
      if (busyUntil.length < w.max) continue;
      busyUntil.sort((a, b) => a - b);
      const freeAt = busyUntil[busyUntil.length - w.max] as number;
      wait = Math.max(wait, freeAt === Infinity ? this.pollMs : freeAt - t + 1);
    }
    return wait;
  }

  private prune(t: number): void {
    if (this.slots.length < 64) return;
    this.slots = this.slots.filter((s) => (s.end === undefined && t - s.start < this.staleMs) || this.endOf(s) + this.longest > t);
  }

  /** Wait for the way to be clear, then open a slot for a request about to be sent. First come, first served. */
  open(): Promise<GuardSlot> {
    const turn = this.tail.then(async () => {
      for (;;) {
        const t = this.now();
        this.prune(t);
        const wait = this.waitAt(t);
        if (wait <= 0) {
          const slot: GuardSlot = { start: t };
          this.slots.push(slot);
          return slot;
        }
        await this.sleep(wait);
      }
    });
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** The answer (or the failure) came back. */
  close(slot: GuardSlot | undefined): void {
    if (slot && slot.end === undefined) slot.end = this.now();
  }

  /** Requests still in flight (for status). */
  get inFlight(): number {
    return this.slots.filter((s) => s.end === undefined).length;
  }
}
