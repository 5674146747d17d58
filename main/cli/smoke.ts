/**
 * `ghl-bridge smoke [--write] [--json]`: check every call the bridge makes against the connected accounts and print a
 * report the person can send back (main/smoke/run.ts; README "Before you switch sync on for real").
 */
import type { CommandSpec } from '../cli.js';
import { formatSmokeReport, runSmoke } from '../smoke/run.js';
import { openService, print, printJson } from './common.js';

export const smoke: CommandSpec = {
  summary: 'check every call the bridge makes against your real accounts and print a report to send back',
  usage:
    'ghl-bridge smoke [--write] [--json]   (--write: one round trip on a labelled test contact, task and note, removed afterwards;\n' +
    '       creating the contact fires the location\'s "Contact Created" workflows; refused while sync is on)',
  options: {
    write: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const svc = await openService(values);
    try {
      // --write only while no pair syncs: a scheduled or manual run (the app, `serve`, a cron `sync`) could read the
      // test records mid-round-trip. The sync never copies them (main/smoke/marker.ts), but this needs no holder
      // check that a process started a second later would defeat.
      const on = values.write ? (await svc.api.getMappings()).filter((m) => m.syncEnabled).map((m) => m.pair) : [];
      if (on.length) {
        throw new Error(
          `smoke --write is refused while sync is switched on for this profile (${on.join(', ')}): a sync could meet the test records half-way. ` +
            `Switch it off first (${on.map((p) => `ghl-bridge mappings disable ${p}`).join('; ')}), run smoke --write, then switch it on again — or run smoke without --write, which only reads.`,
        );
      }
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
