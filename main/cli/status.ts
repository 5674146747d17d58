import type { CommandSpec } from '../cli.js';
import { openService, print, printJson } from './common.js';
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
  usage: 'ghl-bridge status [--json] [--profile DIR]',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
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
