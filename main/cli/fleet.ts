/**
 * `ghl-bridge fleet add-location | list | status`: the fleet's locations in PostgreSQL (main/fleet/README.md). A
 * location is set up the way a desktop profile is (login, mappings, preview) and then added from that profile: its
 * settings go to the locations table and its secrets to its encrypted secrets table; a worker's tick queues its first run.
 */
import { resolve } from 'node:path';
import type { CommandSpec } from '../cli.js';
import { FleetStore } from '../store/fleet/index.js';
import { addLocation } from '../fleet/admin.js';
import { intOption, print, printJson } from './common.js';

export function databaseUrl(values: Record<string, string | boolean | undefined>, env = process.env): string {
  const url = (values.database as string | undefined) ?? env.GHL_BRIDGE_DATABASE_URL;
  if (!url) throw new Error('Give the fleet database: --database postgresql://… or GHL_BRIDGE_DATABASE_URL.');
  return url;
}

export function dataDir(values: Record<string, string | boolean | undefined>, env = process.env): string {
  const d = (values['data-dir'] as string | undefined) ?? env.GHL_BRIDGE_FLEET_DATA;
  if (!d)
    throw new Error("Give the worker's folder for logs and pacing files: --data-dir DIR or GHL_BRIDGE_FLEET_DATA.");
  return resolve(d);
}

const age = (ms?: number) => (ms === undefined ? '—' : `${Math.round((Date.now() - ms) / 1000)} s ago`);

export const fleet: CommandSpec = {
  summary: 'agencies: add-location | list | status of the fleet in PostgreSQL',
  usage:
    'ghl-bridge fleet add-location --id ID --from-profile DIR [--name NAME] [--interval-minutes N | --interval-seconds N] [--database URL]\n' +
    '       ghl-bridge fleet list [--json] [--database URL]\n' +
    '       ghl-bridge fleet status [--json] [--database URL]',
  options: {
    database: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    'from-profile': { type: 'string' },
    'interval-minutes': { type: 'string' },
    'interval-seconds': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const sub = positionals[0];
    const url = databaseUrl(values);
    if (sub === 'add-location') {
      const id = (values.id as string | undefined) ?? '';
      const from = values['from-profile'] as string | undefined;
      if (!from)
        throw new Error('--from-profile DIR: the profile the location was set up in (login, mappings, preview).');
      const interval = values['interval-seconds']
        ? intOption(values['interval-seconds'], 'interval-seconds', 300, 1, 86_400)
        : intOption(values['interval-minutes'], 'interval-minutes', 5, 1, 1440) * 60;
      const r = await addLocation({
        databaseUrl: url,
        id,
        name: values.name as string | undefined,
        fromProfile: from,
        intervalSeconds: interval,
      });
      print(
        `Added location ${id}: ${r.secrets} secret(s) encrypted in the fleet database, a sync every ${interval} s; a worker queues its first run within a minute.`,
      );
      return 0;
    }
    if (sub === 'list' || sub === 'status') {
      const store = new FleetStore(url);
      try {
        await store.migrate();
        const locs = await store.locations();
        const runs = sub === 'status' ? await store.runs() : [];
        const rows = locs.map((l) => {
          const mine = runs.filter((r) => r.locationId === l.id);
          const last = mine.filter((r) => r.endedAt !== undefined).at(-1);
          // Running: a run with no end that began after the last one ended (one a dead worker left open is older).
          const open = mine.filter((r) => r.endedAt === undefined && r.startedAt > (last?.startedAt ?? 0)).at(-1);
          return {
            id: l.id,
            name: l.name,
            intervalSeconds: l.intervalSeconds,
            state: l.needsSignIn
              ? 'needs sign-in'
              : l.paused
                ? 'paused'
                : open
                  ? `running on ${open.worker}`
                  : 'scheduled',
            needsSignIn: l.needsSignIn,
            lastOutcome: last?.outcome,
            lastEndedAt: last?.endedAt,
            runs: mine.length,
          };
        });
        if (values.json) printJson(rows);
        else if (!rows.length) print('No locations yet: ghl-bridge fleet add-location --id ID --from-profile DIR');
        else
          for (const r of rows)
            print(
              sub === 'list'
                ? `${r.id}  ${r.name}  every ${r.intervalSeconds} s`
                : `${r.id}  ${r.state}  last: ${r.lastOutcome ?? '—'} (${age(r.lastEndedAt)}), ${r.runs} run(s)${r.needsSignIn ? ` — ${r.needsSignIn}` : ''}`,
            );
        return 0;
      } finally {
        await store.close();
      }
    }
    throw new Error(`Unknown fleet command "${sub ?? ''}". Usage: ${fleet.usage}`);
  },
};
