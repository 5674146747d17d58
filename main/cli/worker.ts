/** `ghl-bridge worker`: one process of an agency's fleet (main/fleet/README.md). Not part of the desktop installer. */
import type { CommandSpec } from '../cli.js';
import { startWorker } from '../fleet/worker.js';
import { DEFAULT_TIMING } from '../fleet/engine.js';
import { databaseUrl, dataDir } from './fleet.js';
import { intOption, print, untilSignal } from './common.js';

export const worker: CommandSpec = {
  summary: 'agencies: sync fleet locations from PostgreSQL until stopped (SIGTERM drains)',
  usage:
    'ghl-bridge worker [--database URL] [--data-dir DIR] [--concurrency N] [--expire-seconds S] [--maintenance-seconds S] [--retry-delay-seconds S] [--poll-seconds S]\n' +
    "  --database defaults to GHL_BRIDGE_DATABASE_URL; GHL_BRIDGE_FLEET_KEY opens the locations' secrets.",
  options: {
    database: { type: 'string' },
    'data-dir': { type: 'string' },
    concurrency: { type: 'string' },
    'expire-seconds': { type: 'string' },
    'maintenance-seconds': { type: 'string' },
    'retry-delay-seconds': { type: 'string' },
    'poll-seconds': { type: 'string' },
  },
  async run({ values }) {
    const d = DEFAULT_TIMING;
    const w = await startWorker({
      databaseUrl: databaseUrl(values),
      dataDir: dataDir(values),
      concurrency: intOption(values.concurrency, 'concurrency', 1, 1, 64),
      timing: {
        expireSeconds: intOption(values['expire-seconds'], 'expire-seconds', d.expireSeconds, 5, 6 * 3600),
        maintenanceSeconds: intOption(
          values['maintenance-seconds'],
          'maintenance-seconds',
          d.maintenanceSeconds,
          1,
          3600,
        ),
        retryDelaySeconds: intOption(
          values['retry-delay-seconds'],
          'retry-delay-seconds',
          d.retryDelaySeconds,
          1,
          3600,
        ),
        pollSeconds: intOption(values['poll-seconds'], 'poll-seconds', d.pollSeconds, 1, 60),
      },
      log: (l) => print(`${new Date().toISOString()} ${l}`),
    });
    const sig = await untilSignal();
    print(`${new Date().toISOString()} worker ${w.name}: ${sig}: draining (no new jobs; the running ones finish)`);
    await w.drain();
    print(`${new Date().toISOString()} worker ${w.name}: stopped`);
    return 0;
  },
};
