/** Request counts as the sandbox saw them, by endpoint template ("POST /leads:search"). */
import type { FaultController } from '../faults.js';
import type { SandboxStats } from '../types.js';

export class StatsCounter {
  requests = 0;
  rateLimited = 0;
  byEndpoint: Record<string, number> = {};

  constructor(private readonly faults: FaultController) {}

  count(endpoint: string): void {
    this.requests++;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  snapshot(): SandboxStats {
    const faults: Record<string, number> = {};
    for (const [kind, n] of Object.entries(this.faults.counts)) if (n) faults[kind] = n;
    return { requests: this.requests, byEndpoint: { ...this.byEndpoint }, rateLimited: this.rateLimited, faults };
  }

  reset(): void {
    this.requests = 0;
    this.rateLimited = 0;
    this.byEndpoint = {};
    for (const kind of Object.keys(this.faults.counts) as Array<keyof FaultController['counts']>)
      this.faults.counts[kind] = 0;
  }
}

/** "GET /leads/:lead_id" from Fastify's route url ("/api/v2/leads/:lead_id"); literal colons come back as "::". */
export function endpointTemplate(method: string, routeUrl: string | undefined, prefix: string): string {
  if (!routeUrl) return `${method} (no such route)`;
  const path = routeUrl.startsWith(prefix) ? routeUrl.slice(prefix.length) || '/' : routeUrl;
  return `${method} ${path.replace(/::/g, ':')}`;
}
