/**
 * The headless entry point: `ghl-bridge <command>`. Each command lives in main/cli/<command>.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { setCommandName } from './cli/command-name.js';

export interface CommandSpec {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number | void>;
}

const GLOBAL: NonNullable<ParseArgsConfig['options']> = {
  profile: { type: 'string' },
  location: { type: 'string' },
  create: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const COMMANDS: Record<string, () => Promise<CommandSpec>> = {
  demo: async () => (await import('./cli/demo.js')).demo,
  sandbox: async () => (await import('./cli/sandbox.js')).sandbox,
  serve: async () => (await import('./cli/serve.js')).serve,
  sync: async () => (await import('./cli/sync.js')).sync,
  status: async () => (await import('./cli/status.js')).status,
  login: async () => (await import('./cli/login.js')).login,
  logout: async () => (await import('./cli/login.js')).logout,
  'test-connection': async () => (await import('./cli/login.js')).testConnection,
  mappings: async () => (await import('./cli/mappings.js')).mappings,
  conflicts: async () => (await import('./cli/conflicts.js')).conflicts,
  audit: async () => (await import('./cli/audit.js')).audit,
  undo: async () => (await import('./cli/audit.js')).undo,
  record: async () => (await import('./cli/record.js')).record,
  smoke: async () => (await import('./cli/smoke.js')).smoke,
  locations: async () => (await import('./cli/locations.js')).locations,
  worker: async () => (await import('./cli/worker.js')).worker,
  fleet: async () => (await import('./cli/fleet.js')).fleet,
};

async function help(): Promise<string> {
  const lines = [
    'GHL Bridge — keeps HighLevel contacts, tasks and notes in sync with AroFlo and Aimfox.',
    '',
    'Usage: ghl-bridge <command> [options]',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const spec = await load();
    lines.push(`  ${name.padEnd(16)} ${spec.summary}`);
  }
  lines.push(
    '',
    'Global options:',
    '  --profile DIR    data folder (default: GHL_BRIDGE_HOME or the per-OS app-data folder); it must hold a profile already',
    '  --location L     the location (HighLevel location id or name) a command works on, when the profile has several',
    '  --create         start a new profile in that folder (login, serve, sync, demo…; read-only commands never create one)',
    '  --verbose        print log lines',
    '  -h, --help       help for a command',
    '',
    'Start here: ghl-bridge demo',
  );
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`Unknown command "${name}". Run "ghl-bridge --help" for the list.\n`);
    return 2;
  }
  const spec = await load();
  setCommandName(`ghl-bridge ${name}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...spec.options }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nUsage: ${spec.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${spec.summary}\n\nUsage: ${spec.usage}\n`);
    return 0;
  }
  try {
    return (
      (await spec.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] })) ?? 0
    );
  } catch (e) {
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    if (parsed.values.verbose && (e as Error).stack) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && /(?:cli\.(?:ts|js)|ghl-bridge(?:\.mjs)?)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`Error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
