import type { CommandSpec } from '../cli.js';
import { openService, print, printJson } from './common.js';

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
      print(`GHL Bridge ${s.version} — profile ${s.profileDir} (data level ${s.dbLevel})`);
      print(`Sync: ${s.paused ? 'paused' : 'on'}; pairs: ${Object.entries(s.syncEnabled).map(([p, on]) => `${p} ${on ? 'on' : 'off'}`).join(', ')}`);
      for (const c of s.connections) print(`  ${c.label.padEnd(10)} ${c.health}${c.account ? ` — ${c.account}` : ''}${c.message ? ` (${c.message})` : ''}`);
      if (s.lastRun) print(`Last run: ${new Date(s.lastRun.startedAt).toISOString()} ${s.lastRun.status}${s.lastRun.message ? ` — ${s.lastRun.message}` : ''}`);
      else print('Last run: never');
      print(`Open conflicts: ${s.openConflicts}; possible duplicates: ${s.openDuplicates}`);
      for (const a of s.attention) print(`! ${a.message}`);
      if (svc.connections.vaultProblem) print(`! ${svc.connections.vaultProblem}`);
      return failed;
    } finally {
      await svc.close();
    }
  },
};
