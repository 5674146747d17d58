/** Shared bits of the CLI commands: opening the service on the chosen profile, printing. */
import { createService, type Service, type ServiceOptions } from '../service/index.js';
import { isProfile, ProfileError, resolveProfileDir } from '../store/profile.js';
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

export async function openService(
  values: Record<string, string | boolean | undefined>,
  extra: Partial<ServiceOptions> = {},
  use: ProfileUse = 'change',
): Promise<Service> {
  const create = mayCreate(values, use);
  const svc = await createService({
    profileDir: profileDirOf(values).dir,
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
