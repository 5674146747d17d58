/** Shared bits of the CLI commands: opening the service on the chosen profile, printing. */
import { createService, type Service, type ServiceOptions } from '../service/index.js';
import { isProfile, ProfileError, resolveProfileDir } from '../store/profile.js';
import { describeLocations, LocationError, ProfileLocations } from '../service/locations.js';
import { currentCommandName } from './command-name.js';

/**
 * What a command does with its profile, which decides whether a missing one may be created:
 * - 'read' (status, test-connection, conflicts list, audit export, mappings list/options): never creates one.
 * - 'change' (sync, logout, mappings set/preview/enable, conflicts resolve, undo): creates one only with --create.
 * - 'first-run' (login, serve): also creates the default profile (no --profile, no GHL_BRIDGE_HOME) on first use;
 *   a folder named explicitly still needs --create, so a mistyped path is refused instead of silently starting over.
 */
export type ProfileUse = 'read' | 'change' | 'first-run';

export function profileDirOf(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): { dir: string; explicit: boolean } {
  const explicit = !!values.profile || !!env.GHL_BRIDGE_HOME;
  return { dir: resolveProfileDir(values.profile as string | undefined, env), explicit };
}

export function mayCreate(
  values: Record<string, string | boolean | undefined>,
  use: ProfileUse,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const { dir, explicit } = profileDirOf(values, env);
  if (isProfile(dir)) return true;
  if (use === 'read') {
    throw new ProfileError(
      `There is no GHL Bridge profile in ${dir}${explicit ? '' : ' (the default folder)'}, and this command only reads one — it never creates one. ` +
        (explicit ? 'Check the folder name.' : 'Sign in first: ghl-bridge login ghl|aroflo|aimfox.'),
    );
  }
  return !!values.create || (use === 'first-run' && !explicit);
}

/**
 * The folder of the location a per-location command works on (main/service/locations.ts): the one named by
 * `--location <id|name>`, else the only one. With two or more and no --location, it refuses and lists them instead of
 * guessing. `login ghl --token T --location L` names the new sign-in's location with the same option, so for a
 * 'first-run' command in a profile of one location an unknown --location is that id, not a mistake.
 */
export function locationDirOf(
  values: Record<string, string | boolean | undefined>,
  use: ProfileUse = 'change',
  env: NodeJS.ProcessEnv = process.env,
): string {
  const root = profileDirOf(values, env).dir;
  const registry = new ProfileLocations(root);
  const all = registry.listSync();
  const ref = values.location;
  if (typeof ref === 'string' && ref.trim()) {
    if (use === 'first-run' && all.length <= 1) return root;
    return registry.resolve(ref).dir;
  }
  if (all.length > 1)
    throw new LocationError(
      `This profile has ${all.length} locations: ${describeLocations(all)}. Say which one with --location <id or name> (ghl-bridge locations list shows them; ghl-bridge status --all shows every one).`,
    );
  return root;
}

/** With two or more locations, the id of the one `--location` names (by id or name); otherwise undefined. */
export function chosenLocationId(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const registry = new ProfileLocations(profileDirOf(values, env).dir);
  if (typeof values.location !== 'string' || registry.listSync().length < 2) return undefined;
  return registry.resolve(values.location).location.id;
}

export async function openService(
  values: Record<string, string | boolean | undefined>,
  extra: Partial<ServiceOptions> = {},
  use: ProfileUse = 'change',
): Promise<Service> {
  const create = mayCreate(values, use);
  const svc = await createService({
    profileDir: locationDirOf(values, use),
    echoLogs: !!values.verbose,
    create,
    processName: currentCommandName(),
    ...extra,
  });
  if (svc.connections.vaultProblem) process.stderr.write(`Warning: ${svc.connections.vaultProblem}\n`);
  return svc;
}

export function print(line = ''): void {
  process.stdout.write(line + '\n');
}

export function printJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v) + '\n');
}

/** Resolve when the process is asked to stop (Ctrl-C, service manager). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => resolve(sig);
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
}

export function intOption(
  v: string | boolean | undefined,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (v === undefined || v === false) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${String(v)}"`);
  return n;
}
