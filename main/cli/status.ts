import type { CommandSpec } from '../cli.js';
import { createService } from '../service/index.js';
import { ProfileLocations } from '../service/locations.js';
import { ProfileError } from '../store/profile.js';
import { openService, print, printJson, profileDirOf } from './common.js';
import { budgetLine, connectionLine, localTime } from './words.js';

const PAIR_WORDS: Record<string, string> = { 'ghl-aroflo': 'HighLevel ⇄ AroFlo', 'ghl-aimfox': 'HighLevel → Aimfox' };
const STATUS_WORDS: Record<string, string> = {
  ok: 'finished',
  partial: 'partly done',
  failed: 'failed',
  stopped: 'stopped',
  needs_approval: 'waiting for your approval',
  running: 'running',
};

export const status: CommandSpec = {
  summary: 'show connections, the last run and what needs attention',
  usage: 'ghl-bridge status [--json] [--location L | --all] [--profile DIR]',
  options: { json: { type: 'boolean' }, all: { type: 'boolean' } },
  async run({ values }) {
    if (values.all) return statusAll(values);
    const svc = await openService(values, {}, 'read');
    try {
      const s = await svc.api.getStatus();
      // Without the vault every connection would read "not configured": that is not the state, so do not answer 0.
      const failed = svc.connections.vaultProblem ? 1 : 0;
      if (values.json) {
        printJson(s);
        return failed;
      }
      print(`GHL Bridge ${s.version} — profile ${s.profileDir}`);
      print(
        `Sync: ${s.paused ? 'paused' : 'on'}; ${Object.entries(s.syncEnabled)
          .map(([p, on]) => `${PAIR_WORDS[p] ?? p} ${on ? 'on' : 'off'}`)
          .join(', ')}`,
      );
      for (const c of s.connections) print(`  ${connectionLine(c)}`);
      // This command does not call the services; account warnings (a LinkedIn account logged out) come from a check.
      if (s.connections.some((c) => c.health === 'unknown'))
        print('  (connections are checked by "ghl-bridge test-connection", or by the app while it runs)');
      if (s.lastRun)
        print(
          `Last ${s.lastRun.dryRun ? 'preview' : 'sync'}: ${localTime(s.lastRun.startedAt)}, ${STATUS_WORDS[s.lastRun.status] ?? s.lastRun.status}${s.lastRun.message ? ` — ${s.lastRun.message}` : ''}`,
        );
      else print('Last sync: never');
      for (const b of s.budget ?? []) print(budgetLine(b));
      print(
        `To review: ${s.openConflicts} conflict${s.openConflicts === 1 ? '' : 's'}, ${s.openDuplicates} possible duplicate${s.openDuplicates === 1 ? '' : 's'}`,
      );
      if (!s.attention.length) print('Nothing needs your attention.');
      for (const a of s.attention) print(`! ${a.message}`);
      if (svc.connections.vaultProblem) print(`! ${svc.connections.vaultProblem}`);
      return failed;
    } finally {
      await svc.close();
    }
  },
};

/** `status --all`: one line per location (last run, what waits for review, what needs attention). */
async function statusAll(values: Record<string, string | boolean | undefined>): Promise<number> {
  const registry = new ProfileLocations(profileDirOf(values).dir);
  const all = await registry.list();
  if (!all.length) throw new ProfileError(`There is no GHL Bridge profile in ${registry.rootDir}.`);
  const rows = [];
  let failed = 0;
  for (const l of all) {
    const svc = await createService({ profileDir: registry.resolve(l.id).dir, create: false });
    try {
      const s = await svc.api.getStatus();
      if (svc.connections.vaultProblem) failed = 1;
      rows.push({ location: l, status: s });
    } finally {
      await svc.close();
    }
  }
  if (values.json) {
    printJson(rows.map((r) => ({ ...r.location, ...r.status })));
    return failed;
  }
  for (const { location: l, status: s } of rows) {
    const last = s.lastRun
      ? `last ${s.lastRun.dryRun ? 'preview' : 'sync'} ${localTime(s.lastRun.startedAt)} ${STATUS_WORDS[s.lastRun.status] ?? s.lastRun.status}`
      : 'never synced';
    print(
      `${l.name} (${l.id}): ${s.paused ? 'paused' : 'on'}; ${last}; to review ${s.openConflicts + s.openDuplicates}; ${s.attention.length ? `${s.attention.length} need${s.attention.length === 1 ? 's' : ''} attention` : 'nothing needs attention'}`,
    );
  }
  return failed;
}
