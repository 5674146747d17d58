import type { CommandSpec } from '../cli.js';
import { openService, print, printJson } from './common.js';

export const status: CommandSpec = {
  summary: 'show connections, the last run and what needs attention',
  usage: 'ghl-bridge status [--json] [--profile DIR]',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    const svc = await openService(values);
    try {
      const s = await svc.api.getStatus();
      if (values.json) {
        printJson(s);
        return 0;
      }
      print(`GHL Bridge ${s.version} — profile ${s.profileDir} (data level ${s.dbLevel})`);
      print(`Sync: ${s.paused ? 'paused' : 'on'}; pairs: ${Object.entries(s.syncEnabled).map(([p, on]) => `${p} ${on ? 'on' : 'off'}`).join(', ')}`);
      for (const c of s.connections) print(`  ${c.label.padEnd(10)} ${c.health}${c.account ? ` — ${c.account}` : ''}${c.message ? ` (${c.message})` : ''}`);
      if (s.lastRun) print(`Last run: ${new Date(s.lastRun.startedAt).toISOString()} ${s.lastRun.status}${s.lastRun.message ? ` — ${s.lastRun.message}` : ''}`);
      else print('Last run: never');
      print(`Open conflicts: ${s.openConflicts}; possible duplicates: ${s.openDuplicates}`);
      for (const a of s.attention) print(`! ${a.message}`);
      return 0;
    } finally {
      await svc.close();
    }
  },
};
