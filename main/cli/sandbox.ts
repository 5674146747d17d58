import type { CommandSpec } from '../cli.js';
import { startSandboxes } from '../sandbox/index.js';
import { parseRateLimitMode } from '../sandbox/types.js';
import { intOption, printJson, untilSignal } from './common.js';

function renameOption(v: string | boolean | undefined): Record<string, string> | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([^=]+)=([^=]+)$/.exec(v);
  if (!m) throw new Error(`--ghl-rename-key must look like OLD=NEW, got "${v}"`);
  return { [m[1]!]: m[2]! };
}

export const sandbox: CommandSpec = {
  summary: 'run local GHL, AroFlo and Aimfox stand-ins (prints their URLs and credentials)',
  usage:
    'ghl-bridge sandbox [--seed N] [--contacts N] [--port P] [--faults SPEC] [--rate-limits real|off|xFACTOR] [--no-admin] [--ghl-rename-key OLD=NEW]',
  options: {
    seed: { type: 'string' },
    contacts: { type: 'string' },
    port: { type: 'string' },
    faults: { type: 'string' },
    'rate-limits': { type: 'string' },
    'no-admin': { type: 'boolean' },
    'search-lag': { type: 'string' },
    // Shape drift on purpose (main/sandbox/ghl/README.md): what `ghl-bridge smoke` must report.
    'ghl-rename-key': { type: 'string' },
  },
  async run({ values }) {
    const boxes = await startSandboxes({
      seed: intOption(values.seed, 'seed', 1),
      contacts: intOption(values.contacts, 'contacts', 200, 0, 200_000),
      port: intOption(values.port, 'port', 0, 0, 65_533),
      faults: values.faults as string | undefined,
      rateLimits: parseRateLimitMode(values['rate-limits'] as string | undefined),
      admin: !values['no-admin'],
      searchLagMs: intOption(values['search-lag'], 'search-lag', 0, 0, 60_000),
      ghlRenameKeys: renameOption(values['ghl-rename-key']),
    });
    printJson(boxes.info());
    await untilSignal();
    await boxes.close();
    return 0;
  },
};
