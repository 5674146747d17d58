/**
 * Each API's documented rate limits (taken from the connectors, which cite the FACTS), time-scaled by the bench's
 * factor, and what they allow: the steady ceiling in requests per second and the least time n requests can take.
 */
import { GHL_LIMITS } from '../../main/connectors/ghl/index.js';
import { REAL_LIMITS } from '../../main/connectors/aroflo/index.js';
import { AIMFOX_LIMIT } from '../../main/connectors/aimfox/index.js';
import type { Api } from './admin.js';

export interface Window {
  name: string;
  max: number;
  windowMs: number;
}

/** Short windows (the ones that pace a run) and the daily budget, at real scale. */
export const LIMITS: Record<Api, { windows: Window[]; daily: number; note: string }> = {
  ghl: {
    windows: [{ name: '10 s', max: GHL_LIMITS.burstMax, windowMs: GHL_LIMITS.burstWindowMs }],
    daily: GHL_LIMITS.dailyMax,
    note: `${GHL_LIMITS.burstMax} / 10 s, ${GHL_LIMITS.dailyMax.toLocaleString('en')} / day`,
  },
  aroflo: {
    windows: [
      { name: 's', max: REAL_LIMITS.perSecond, windowMs: REAL_LIMITS.secondWindowMs },
      { name: 'min', max: REAL_LIMITS.perMinute, windowMs: REAL_LIMITS.minuteWindowMs },
    ],
    daily: REAL_LIMITS.daily,
    note: `${REAL_LIMITS.perSecond} / s, ${REAL_LIMITS.perMinute} / min, ${REAL_LIMITS.daily.toLocaleString('en')} / day (lastupdate free)`,
  },
  aimfox: {
    windows: [{ name: 'min', max: AIMFOX_LIMIT.requests, windowMs: AIMFOX_LIMIT.windowMs }],
    daily: Infinity,
    note: `${AIMFOX_LIMIT.requests} / min`,
  },
};

/** Sustained requests per second the limits allow at this time scale (the tightest window). */
export function ceilingPerSecond(api: Api, scale: number): number {
  return Math.min(...LIMITS[api].windows.map((w) => (w.max * 1000 * scale) / w.windowMs));
}

/**
 * The least time (ms) an ideal client (zero latency, starting with empty windows) needs for n requests:
 * request i may start no earlier than request i−max of every window plus that window.
 */
export function leastTimeMs(api: Api, n: number, scale: number): number {
  if (n <= 0) return 0;
  const ws = LIMITS[api].windows.map((w) => ({ max: w.max, ms: w.windowMs / scale }));
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (const w of ws) if (i >= w.max) t = Math.max(t, starts[i - w.max]! + w.ms);
    starts.push(t);
  }
  return starts[n - 1]!;
}

/** Steady-state time for n requests at the ceiling (no burst credit): what a long run converges to. */
export function steadyTimeMs(api: Api, n: number, scale: number): number {
  return (n / ceilingPerSecond(api, scale)) * 1000;
}
