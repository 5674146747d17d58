/**
 * The sandboxes' /__admin over HTTP (header x-sandbox-admin): request counts (the ground truth for "calls used")
 * and edits "as a person would" make them in each system's own UI. Admin calls are not counted in the stats.
 */
import type { ChildHello } from './sandbox-child.js';

export type Api = 'ghl' | 'aroflo' | 'aimfox';
export const APIS: readonly Api[] = ['ghl', 'aroflo', 'aimfox'];

export interface StatsSnap {
  requests: number;
  rateLimited: number;
  byEndpoint: Record<string, number>;
  /** AroFlo's own accounting: requests against its 2,000 a day, and single-id reads against its secondary 20,000. */
  counted?: number;
  secondary?: number;
}

export class Admin {
  constructor(private readonly hello: ChildHello) {}

  async call<T = unknown>(api: Api, method: string, path: string, body?: unknown): Promise<T> {
    const h = this.hello[api];
    const res = await fetch(`${new URL(h.baseUrl).origin}/__admin${path}`, {
      method,
      headers: {
        'x-sandbox-admin': h.adminToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${api} admin ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async stats(): Promise<Record<Api, StatsSnap>> {
    const [ghl, aroflo, aimfox] = await Promise.all(APIS.map((a) => this.call<StatsSnap>(a, 'GET', '/stats')));
    return { ghl: ghl!, aroflo: aroflo!, aimfox: aimfox! };
  }
}

/** What happened between two snapshots (counters only grow). */
export function statsDiff(a: Record<Api, StatsSnap>, b: Record<Api, StatsSnap>): Record<Api, StatsSnap> {
  const one = (x: StatsSnap, y: StatsSnap): StatsSnap => {
    const byEndpoint: Record<string, number> = {};
    for (const [k, v] of Object.entries(y.byEndpoint)) {
      const d = v - (x.byEndpoint[k] ?? 0);
      if (d) byEndpoint[k] = d;
    }
    const d = (k: 'counted' | 'secondary') => (y[k] === undefined ? {} : { [k]: y[k]! - (x[k] ?? 0) });
    return {
      requests: y.requests - x.requests,
      rateLimited: y.rateLimited - x.rateLimited,
      byEndpoint,
      ...d('counted'),
      ...d('secondary'),
    };
  };
  return { ghl: one(a.ghl, b.ghl), aroflo: one(a.aroflo, b.aroflo), aimfox: one(a.aimfox, b.aimfox) };
}
