/**
 * Aimfox's documented limit: 60 requests per minute, counted across all endpoints, HTTP 429 beyond it.
 * The docs say nothing of the window's kind; the sandbox uses a sliding window (the strictest reading: no
 * burst of 120 across a minute boundary). Refused requests do not count. No quota headers are sent, as none
 * are documented. The window follows the injected clock and the RateLimitMode (`scaledWindow`).
 */
export const AIMFOX_REQUESTS_PER_WINDOW = 60;
export const AIMFOX_WINDOW_MS = 60_000;

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    /** undefined = no limit (rate limits off). */
    private readonly windowMs: number | undefined,
    private readonly now: () => number,
  ) {}

  /** Record a request for `key` if it fits; false = over the limit (answer 429). */
  take(key: string): boolean {
    if (this.windowMs === undefined) return true;
    const t = this.now();
    const since = t - this.windowMs;
    let list = this.hits.get(key);
    if (!list) {
      list = [];
      this.hits.set(key, list);
    }
    let drop = 0;
    while (drop < list.length && (list[drop] as number) <= since) drop++;
    if (drop) list.splice(0, drop);
    if (list.length >= this.limit) return false;
    list.push(t);
    return true;
  }

  reset(): void {
    this.hits.clear();
  }
}
