/**
 * When the next timed run happens: the interval with ±10% jitter (so many offices don't hit an API in step), and
 * exponential backoff after failures (interval × 2^failures, capped at one hour). Pure: the caller owns the timer.
 */
export function nextDelay(opts: { intervalMinutes: number; failures: number; random: () => number }): number {
  const base = Math.max(1, opts.intervalMinutes) * 60_000;
  const backoff = Math.min(base * 2 ** Math.min(opts.failures, 10), Math.max(base, 3_600_000));
  const jitter = 1 + (opts.random() * 0.2 - 0.1);
  return Math.round(backoff * jitter);
}
