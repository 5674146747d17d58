/**
 * The test bed: the three sandboxes in-process, a fresh profile, and the service wired to them exactly as a new
 * user would wire it (credentials saved, mappings previewed and enabled). Everything goes over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Service } from '../../main/service/index.js';
import { startSandboxes, type Sandboxes, type SandboxesOptions } from '../../main/sandbox/index.js';
import { wireToSandboxes, DEMO_REDIRECT } from '../../main/cli/demo.js';
import type { RunRequest } from '../../main/service/sync.js';
import type { Store } from '../../main/store/repositories.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { crashStore, StoreDeadError, type CrashControl, type CrashPlan, type CrashStore } from './crash-store.js';

export interface Bed {
  boxes: Sandboxes;
  svc: Service;
  profileDir: string;
  run(req?: Partial<RunRequest>): ReturnType<Service['sync']['execute']>;
  /** The service's store dies on demand, as a killed process would (test/support/crash-store.ts). */
  crash: CrashControl;
  /** One run whose store dies as `plan` says, then a restart (the store answers again): 'crashed', 'finished' or the error. */
  crashRun(plan: CrashPlan, req?: Partial<RunRequest>): Promise<string>;
  close(): Promise<void>;
}

export async function startBed(
  opts: {
    contacts?: number;
    seed?: number;
    scale?: number;
    noteToTask?: boolean;
    enable?: boolean;
    /** Another store than the profile's SQLite one (the PostgreSQL store, test/store/pg-engine.test.ts). */
    store?: (now: () => number) => Store;
    arofloFeed?: SandboxesOptions['arofloFeed'];
    /** One clock for the sandboxes and the service (default: real time), e.g. to let minutes pass at once. */
    now?: () => number;
  } = {},
): Promise<Bed> {
  const scale = opts.scale ?? 200;
  const boxes = await startSandboxes({
    seed: opts.seed ?? 11,
    contacts: opts.contacts ?? 40,
    rateLimits: scale,
    admin: true,
    redirectUris: [DEMO_REDIRECT],
    arofloFeed: opts.arofloFeed,
    now: opts.now,
  });
  const profileDir = mkdtempSync(join(tmpdir(), 'ghlb-bed-'));
  let store: CrashStore | undefined;
  const openStore = (db: Parameters<typeof openSqliteStore>[0], now: () => number) =>
    (store = crashStore(opts.store ? opts.store(now) : openSqliteStore(db, now)));
  const svc = await createService({
    profileDir,
    env: { GHL_BRIDGE_VAULT_KEY: 'f771c15a585fdac8305cfbb3d1fd1cab3b413ab7c6b004cc2683dd7e4c69c4b5' },
    openStore,
    now: opts.now,
  });
  await wireToSandboxes(svc, boxes, { rateScale: scale, noteToTask: opts.noteToTask });
  if (opts.enable !== false) {
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      await svc.api.previewMapping({ pair });
      await svc.api.setSyncEnabled({ pair, enabled: true });
    }
  }
  return {
    boxes,
    svc,
    profileDir,
    crash: store!.crash,
    run: (req = {}) => svc.sync.execute({ trigger: 'cli', dryRun: false, ...req }),
    async crashRun(plan, req = {}) {
      store!.crash.arm(plan);
      try {
        await svc.sync.execute({ trigger: 'cli', dryRun: false, ...req });
        return 'finished';
      } catch (e) {
        return e instanceof StoreDeadError ? 'crashed' : (e as Error).message;
      } finally {
        store!.crash.revive();
      }
    },
    async close() {
      await svc.close();
      await boxes.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Every email held by more than one live record in a system. */
export function duplicateEmails(emails: Array<string | null | undefined>): string[] {
  const seen = new Map<string, number>();
  for (const e of emails) if (e) seen.set(norm(e), (seen.get(norm(e)) ?? 0) + 1);
  return [...seen.entries()].filter(([, n]) => n > 1).map(([e]) => e);
}

export function writesOf(summary: {
  created: Record<string, number | undefined>;
  updated: Record<string, number | undefined>;
  deleted: Record<string, number | undefined>;
}): number {
  const sum = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((a, n) => a + (n ?? 0), 0);
  return sum(summary.created) + sum(summary.updated) + sum(summary.deleted);
}
