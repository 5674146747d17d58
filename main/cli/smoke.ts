/**
 * `ghl-bridge smoke [--write] [--json]`: check every call the bridge makes against the connected accounts and print a
 * report the person can send back (main/smoke/run.ts; README "Before you switch sync on for real").
 */
import type { CommandSpec } from '../cli.js';
import { formatSmokeReport, runSmoke } from '../smoke/run.js';
import { openService, print, printJson } from './common.js';

export const smoke: CommandSpec = {
  summary: 'check every call the bridge makes against your real accounts and print a report to send back',
  usage: 'ghl-bridge smoke [--write] [--json]   (--write: one round trip on a labelled test contact, task and note, removed afterwards)',
  options: {
    write: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const svc = await openService(values);
    try {
      const c = svc.connections;
      const report = await runSmoke({
        ghl: c.configured('ghl') ? c.ghlClient() : undefined,
        aroflo: c.configured('aroflo') ? c.arofloClient() : undefined,
        aimfox: c.configured('aimfox') ? c.aimfoxClient() : undefined,
        write: !!values.write,
      });
      if (values.json) printJson(report);
      else print(formatSmokeReport(report));
      return report.counts.differs || report.counts.failed ? 1 : 0;
    } finally {
      await svc.close();
    }
  },
};
