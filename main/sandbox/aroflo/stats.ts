/**
 * Request counts as the sandbox saw them: total (on arrival, so requests cut short by an injected fault count
 * too), by "METHOD zone" for those that reached the API (e.g. "GET tasks", "POST clients",
 * "GET lastupdate"), how many were free (lastupdate), counted toward the daily limit, secondary (single-id
 * GETs), refused by a limit, refused by authentication; plus injected faults by kind.
 */
import type { FaultController } from '../faults.js';
import type { ArofloStats } from './types.js';

export class StatsCounter {
  private s = StatsCounter.empty();

  constructor(private readonly faults: FaultController) {}

  private static empty(): Omit<ArofloStats, 'faults'> {
    return { requests: 0, byEndpoint: {}, rateLimited: 0, free: 0, counted: 0, secondary: 0, authFailures: 0 };
  }

  /** Every API request, counted on arrival (before faults can cut it short). */
  arrived(): void {
    this.s.requests++;
  }

  /** A request that reached the API handler, by "METHOD zone". */
  endpoint(key: string): void {
    this.s.byEndpoint[key] = (this.s.byEndpoint[key] ?? 0) + 1;
  }

  add(key: 'rateLimited' | 'free' | 'counted' | 'secondary' | 'authFailures'): void {
    this.s[key]++;
  }

  snapshot(): ArofloStats {
    return { ...this.s, byEndpoint: { ...this.s.byEndpoint }, faults: { ...this.faults.counts } };
  }

  reset(): void {
    this.s = StatsCounter.empty();
    for (const k of Object.keys(this.faults.counts) as Array<keyof FaultController['counts']>)
      this.faults.counts[k] = 0;
  }
}
