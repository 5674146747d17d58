import { writeFileSync } from 'node:fs';
import type { CommandSpec } from '../cli.js';
import { openService, print } from './common.js';

export const audit: CommandSpec = {
  summary: 'export the audit log of every write as CSV',
  usage: 'ghl-bridge audit export [--out FILE]',
  options: { out: { type: 'string' } },
  async run({ values, positionals }) {
    if (positionals[0] !== 'export') throw new Error('Usage: ghl-bridge audit export [--out FILE]');
    const svc = await openService(values, {}, 'read');
    try {
      const r = await svc.api.exportAuditCsv();
      if (values.out) {
        writeFileSync(values.out as string, r.csv, { mode: 0o600 });
        print(`Wrote ${r.rows} rows to ${values.out as string}`);
      } else process.stdout.write(r.csv);
      return 0;
    } finally {
      await svc.close();
    }
  },
};

export const undo: CommandSpec = {
  summary: 'undo a sync run (reverts what it wrote where nobody changed it since)',
  usage: 'ghl-bridge undo RUN_ID',
  options: {},
  async run({ values, positionals }) {
    const runId = positionals[0];
    if (!runId) throw new Error('Name the run to undo (see "ghl-bridge status" or the Activity screen).');
    const svc = await openService(values);
    try {
      const r = await svc.api.undoRun({ runId });
      print(`Reverted ${r.reverted} change(s); ${r.conflicts} left as conflicts because they changed since.`);
      return 0;
    } finally {
      await svc.close();
    }
  },
};
