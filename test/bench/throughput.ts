/**
 * Throughput against the rate-limit ceiling, from a cycle's step split: in each step the busiest API (the one whose
 * limit allows the least time for its calls there) is what bounds it. Per API, the achieved rate over the steps it
 * bounds is set against its ceiling; for the whole cycle, the time the limits force (Σ over steps) against the wall
 * time — 1.0 means every second was spent waiting on an API's own limit, none on us.
 */
import { APIS, type Api } from './admin.js';
import { ceilingPerSecond, LIMITS } from './ceilings.js';
import type { RunFigures } from './measure-run.js';

export interface ApiThroughput {
  /** Calls made in the steps this API bounds. */
  calls: number;
  busyMs: number;
  perSecond: number;
  ceiling: number;
  /** perSecond / ceiling (undefined when no step made enough calls there to meet the limit). */
  ofCeiling?: number;
}

/**
 * A step counts towards an API's rate only when it made more calls there than the API's largest window allows at
 * once: fewer go out in one burst, so the step is bound by latency and data dependencies, never by the limit.
 */
const minCalls = (api: Api) => Math.max(...LIMITS[api].windows.map((w) => w.max));

export function throughput(r: RunFigures, scale: number): { perApi: Record<Api, ApiThroughput>; boundShare: number } {
  const perApi = {} as Record<Api, ApiThroughput>;
  for (const api of APIS) {
    const steps = r.steps.filter((s) => s.boundBy === api && s.calls[api] > minCalls(api));
    const calls = steps.reduce((a, s) => a + s.calls[api], 0);
    const busyMs = steps.reduce((a, s) => a + s.ms, 0);
    const perSecond = busyMs ? (calls * 1000) / busyMs : 0;
    const ceiling = ceilingPerSecond(api, scale);
    perApi[api] = { calls, busyMs, perSecond, ceiling, ofCeiling: busyMs ? perSecond / ceiling : undefined };
  }
  return { perApi, boundShare: r.ms ? Math.min(r.boundMs, r.ms) / r.ms : 1 };
}
