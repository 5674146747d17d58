/**
 * Pacing for Aimfox's 60 requests/minute, counted by the server when a request *arrives*.
 *
 * The shared Pacer counts a request from the moment it is granted. Against a sliding-window server that is
 * not enough: when several requests queue (concurrency, a slow first connection), one can arrive tens of ms
 * after its grant, so a request granted exactly one window later may arrive while the old one is still in
 * the server's window: HTTP 429. Measured against the sandbox at a x30 time scale: 1–2 429s per 150 requests.
 *
 * This pacer counts a request from its grant until it *settles* (its answer or failure came back), then keeps
 * it for one window from that moment. The server's arrival time lies between the two, so a new request is only
 * granted once every earlier request that could still be in the server's window is counted: provably no 429
 * from a sliding- or fixed-window server with the same limit, whatever the latency. The cost is one request
 * latency per window (a few ms locally, ~0.3 % at real scale with 200 ms calls).
 *
 * It extends the shared Pacer, so HttpClient's holdOff (Retry-After) and status() work unchanged.
 */
import { Pacer, realSleep } from '../shared/pacer.js';

export interface SettledWindowPacerOptions {
  max: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SettledWindowPacer extends Pacer {
  private readonly max: number;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private readonly nap: (ms: number) => Promise<void>;
  private inFlight = 0;
  /** When recent requests settled, ascending. */
  private settledAt: number[] = [];
  private gate: Promise<void> = Promise.resolve();
  private wake?: () => void;

  constructor(opts: SettledWindowPacerOptions) {
    const now = opts.now ?? Date.now;
    const sleep = opts.sleep ?? realSleep;
    super({ windows: [{ name: 'minute', max: opts.max, windowMs: opts.windowMs }], now, sleep });
    this.max = opts.max;
    this.windowMs = opts.windowMs;
    this.clock = now;
    this.nap = sleep;
  }

  /** Requests that may still count in the server's window: in flight, or settled within the last window. */
  occupancy(): { inFlight: number; settledInWindow: number; remaining: number } {
    this.trim(this.clock());
    const used = this.inFlight + this.settledAt.length;
    return { inFlight: this.inFlight, settledInWindow: this.settledAt.length, remaining: Math.max(0, this.max - used) };
  }

  private trim(at: number): void {
    let drop = 0;
    while (drop < this.settledAt.length && (this.settledAt[drop] as number) <= at - this.windowMs) drop++;
    if (drop) this.settledAt = this.settledAt.slice(drop);
  }

  /** Wait for a slot (in arrival order), claim it, then let the shared pacer apply any server hold-off. */
  override acquire(): Promise<void> {
    const turn = this.gate.then(async () => {
      for (;;) {
        const at = this.clock();
        this.trim(at);
        if (this.inFlight + this.settledAt.length < this.max) {
          this.inFlight++;
          return;
        }
        // Full: the next slot frees when the oldest settled request leaves the window, or when one in
        // flight settles (then it stays a window longer, but the loop re-checks).
        const oldest = this.settledAt[0];
        const wait = oldest !== undefined ? oldest + this.windowMs - at + 1 : this.windowMs;
        await Promise.race([this.nap(wait), new Promise<void>((resolve) => (this.wake = resolve))]);
        this.wake = undefined;
      }
    });
    this.gate = turn.catch(() => undefined);
    return turn.then(() => super.acquire());
  }

  /** Call once per acquire when that request's answer (or failure) is in. */
  settle(): void {
    if (this.inFlight > 0) this.inFlight--;
    this.settledAt.push(this.clock());
    this.wake?.();
  }
}
