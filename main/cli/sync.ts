import type { CommandSpec } from '../cli.js';
import type { RunSummary } from '../../preload/contract.js';
import { openService, print, printJson, untilSignal } from './common.js';
import { progressBar } from './progress.js';
import { summaryLines } from './words.js';

/** The --json summary: one object, counts per entity (for a dry run, dryRun is true and the counts are what it would do). */
export function jsonSummary(s: RunSummary) {
  return {
    run: s.id,
    dryRun: s.dryRun,
    status: s.status,
    created: s.created,
    updated: s.updated,
    deleted: s.deleted,
    conflicts: s.conflicts,
    errors: s.errors,
    requests: s.requests,
    durationMs: s.durationMs ?? 0,
    message: s.message,
  };
}

export function printSummary(s: RunSummary): void {
  for (const line of summaryLines(s)) print(line);
}

export const sync: CommandSpec = {
  summary: 'sync now (--once) or keep syncing on the timer until stopped',
  usage: 'ghl-bridge sync [--once] [--dry-run] [--full] [--approve] [--json] [--profile DIR]',
  options: {
    once: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    full: { type: 'boolean' },
    approve: { type: 'boolean' },
  },
  async run({ values }) {
    const timer = !values.once && !values['dry-run'];
    // On its timer it is a long-running process and holds the profile (store/profile.ts); --once runs beside one.
    const svc = await openService(values, {
      startScheduler: timer,
      holdProfile: timer ? { command: 'ghl-bridge sync (on its timer)' } : undefined,
    });
    try {
      const bar = values.json ? undefined : progressBar(svc);
      const s = await svc.sync.runNow({
        trigger: 'cli',
        dryRun: !!values['dry-run'],
        full: values.full ? true : undefined,
        approve: !!values.approve,
      });
      bar?.stop();
      if (values.json) printJson(jsonSummary(s));
      else printSummary(s);
      if (!values.once && !values['dry-run']) {
        print('Syncing on the timer; press Ctrl-C to stop.');
        await untilSignal();
      }
      return s.status === 'failed' ? 1 : 0;
    } finally {
      await svc.close();
    }
  },
};
