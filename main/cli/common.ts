/** Shared bits of the CLI commands: opening the service on the chosen profile, printing. */
import { createService, type Service, type ServiceOptions } from '../service/index.js';
import { resolveProfileDir } from '../store/profile.js';

export async function openService(values: Record<string, string | boolean | undefined>, extra: Partial<ServiceOptions> = {}): Promise<Service> {
  return createService({ profileDir: resolveProfileDir(values.profile as string | undefined), echoLogs: !!values.verbose, ...extra });
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

export function intOption(v: string | boolean | undefined, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined || v === false) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${String(v)}"`);
  return n;
}
