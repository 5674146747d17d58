/**
 * All three sandboxes at once, on 127.0.0.1, loaded from one seeded world: the embedded default that `demo` and
 * `sandbox` run, and the test bed. `--port P` puts GHL on P, AroFlo on P+1, Aimfox on P+2; 0 = free ports.
 */
import { randomBytes } from 'node:crypto';
import { FaultController } from './faults.js';
import { startAimfoxSandbox } from './aimfox/index.js';
import { startArofloSandbox } from './aroflo/index.js';
import { startGhlSandbox } from './ghl/index.js';
import type { RateLimitMode, SandboxStats } from './types.js';
import type { LastUpdateFeedOptions } from './aroflo/types.js';
import { generateWorld, type World } from './world.js';

export interface SandboxesOptions {
  seed?: number;
  contacts?: number;
  port?: number;
  faults?: string;
  rateLimits?: RateLimitMode;
  admin?: boolean;
  now?: () => number;
  /** GHL OAuth redirect URIs to register (tests and the demo use their own loopback port). */
  redirectUris?: string[];
  /** GHL search index lag in ms (the real one lags "a few seconds"). */
  searchLagMs?: number;
  /** GHL shape drift on purpose: rename these keys in its JSON answers (main/sandbox/ghl/README.md). */
  ghlRenameKeys?: Record<string, string>;
  /** Which AroFlo edits move a lastupdate row (main/sandbox/aroflo/README.md); `contactEdits: 'none'` = a feed that misses them. */
  arofloFeed?: LastUpdateFeedOptions;
}

export type Sandboxes = Awaited<ReturnType<typeof startSandboxes>>;

export async function startSandboxes(opts: SandboxesOptions = {}) {
  const world: World = generateWorld({ seed: opts.seed ?? 1, contacts: opts.contacts ?? 200 });
  const common = { world, rateLimits: opts.rateLimits ?? 'real', admin: opts.admin ?? false, now: opts.now };
  const port = (n: number) => (opts.port ? opts.port + n : 0);
  const ghl = await startGhlSandbox({
    ...common,
    port: port(0),
    faults: new FaultController('ghl', opts.faults),
    redirectUris: opts.redirectUris,
    searchLagMs: opts.searchLagMs,
    renameKeys: opts.ghlRenameKeys,
  });
  const aroflo = await startArofloSandbox({
    ...common,
    port: port(1),
    faults: new FaultController('aroflo', opts.faults),
    ...(opts.arofloFeed ? { lastupdateFeed: opts.arofloFeed } : {}),
  });
  const aimfox = await startAimfoxSandbox({
    ...common,
    port: port(2),
    faults: new FaultController('aimfox', opts.faults),
  });
  const all = [ghl, aroflo, aimfox] as const;
  return {
    world,
    ghl,
    aroflo,
    aimfox,
    /** What `ghl-bridge sandbox` prints: base URLs and ready-to-use credentials. */
    info() {
      return {
        seed: world.seed,
        contacts: world.people.length,
        ghl: { baseUrl: ghl.baseUrl, adminToken: ghl.adminToken, ...ghl.credentials },
        aroflo: { baseUrl: aroflo.baseUrl, adminToken: aroflo.adminToken, ...aroflo.credentials },
        aimfox: { baseUrl: aimfox.baseUrl, adminToken: aimfox.adminToken, ...aimfox.credentials },
      };
    },
    stats(): Record<'ghl' | 'aroflo' | 'aimfox', SandboxStats> {
      return { ghl: ghl.stats(), aroflo: aroflo.stats(), aimfox: aimfox.stats() };
    },
    resetStats() {
      for (const s of all) s.resetStats();
    },
    setFaults(spec: string | undefined) {
      for (const s of all) s.faults.set(spec);
    },
    reset() {
      for (const s of all) s.reset();
    },
    async close() {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}

/** A random key for a throwaway profile's vault (demo, tests). */
export const throwawayVaultKey = () => randomBytes(32).toString('base64');
