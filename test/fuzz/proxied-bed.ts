/**
 * The fuzz bed: the three sandboxes, each behind a rewriting loopback proxy (proxy.ts), and a service wired to the
 * proxies as a new user would wire it (credentials, mappings previewed and enabled, a first full sync done).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEMO_REDIRECT, wireToSandboxes } from '../../main/cli/demo.js';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { createService, type Service } from '../../main/service/index.js';
import { startProxy, type FuzzProxy } from './proxy.js';

export type Sys = 'ghl' | 'aroflo' | 'aimfox';

export interface ProxiedBed {
  boxes: Sandboxes;
  svc: Service;
  proxies: Record<Sys, FuzzProxy>;
  /** One full run with `rewrite` applied to `sys`'s answers (return false to leave an answer alone). */
  runWith(sys: Sys, rewrite: (body: unknown, url: string) => boolean): ReturnType<Service['sync']['execute']>;
  close(): Promise<void>;
}

export async function startProxiedBed(seed: number): Promise<ProxiedBed> {
  const boxes = await startSandboxes({
    seed,
    contacts: 16,
    rateLimits: 200,
    admin: true,
    redirectUris: [DEMO_REDIRECT],
  });
  const proxies = {} as Record<Sys, FuzzProxy>;
  for (const s of ['ghl', 'aroflo', 'aimfox'] as const) proxies[s] = await startProxy(boxes[s].baseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-fuzz-api-'));
  const svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: '6984826fd2789232eedacd6943a354bb1f403ac2bdee699a771d63540f51eeec' },
  });
  await wireToSandboxes(svc, boxes, { rateScale: 200 });
  svc.connections.setEndpoints({
    ghl: proxies.ghl.baseUrl,
    aroflo: proxies.aroflo.baseUrl,
    aimfox: proxies.aimfox.baseUrl,
  });
  for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
    await svc.api.previewMapping({ pair });
    await svc.api.setSyncEnabled({ pair, enabled: true });
  }
  const first = await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  expect(first.summary.status).toBe('ok');
  return {
    boxes,
    svc,
    proxies,
    async runWith(sys, rewrite) {
      proxies[sys].set((body, req) => (rewrite(body, req.url) ? body : undefined));
      try {
        return await svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
      } finally {
        proxies[sys].set(undefined);
      }
    },
    async close() {
      await svc.close();
      for (const p of Object.values(proxies)) await p.close();
      await boxes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
