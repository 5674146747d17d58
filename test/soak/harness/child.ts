/**
 * One sync run in a child process, exactly as a scheduler or a person would start it
 * (`node bin/ghl-bridge.mjs sync --once --json --profile DIR`), optionally SIGKILLed after a delay.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/ghl-bridge.mjs', import.meta.url));

export interface ChildSummary {
  status: string;
  created: Record<string, number>;
  updated: Record<string, number>;
  deleted: Record<string, number>;
  conflicts: number;
  errors: number;
  message?: string;
}

export interface ChildResult {
  /** Exit code, or null when it died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** We killed it while it was still running. */
  killed: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  summary?: ChildSummary;
}

export function runChild(opts: {
  profileDir: string;
  vaultKey: string;
  killAfterMs?: number;
  full?: boolean;
  timeoutMs?: number;
  extraArgs?: string[];
}): Promise<ChildResult> {
  const args = [
    BIN,
    'sync',
    '--once',
    '--json',
    '--profile',
    opts.profileDir,
    ...(opts.full ? ['--full'] : []),
    ...(opts.extraArgs ?? []),
  ];
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, GHL_BRIDGE_VAULT_KEY: opts.vaultKey, GHL_BRIDGE_HOME: opts.profileDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let killed = false;
  let exited = false;
  const kill = () => {
    if (exited) return;
    killed = child.kill('SIGKILL');
  };
  const killTimer = opts.killAfterMs !== undefined ? setTimeout(kill, opts.killAfterMs) : undefined;
  // A hung child is a finding too: it is killed after the timeout and reported as such.
  const hangTimer = setTimeout(kill, opts.timeoutMs ?? 180_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(killTimer);
      clearTimeout(hangTimer);
      resolve({
        code,
        signal,
        killed: killed && signal === 'SIGKILL',
        durationMs: Date.now() - started,
        stdout,
        stderr,
        summary: parseSummary(stdout),
      });
    });
    child.on('exit', () => (exited = true));
  });
}

function parseSummary(stdout: string): ChildSummary | undefined {
  for (const line of stdout.split('\n').reverse()) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      return JSON.parse(t) as ChildSummary;
    } catch {
      /* not the summary line */
    }
  }
  return undefined;
}

export const writesOf = (s: ChildSummary | undefined): number => {
  if (!s) return 0;
  const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, n) => a + (n ?? 0), 0);
  return sum(s.created) + sum(s.updated) + sum(s.deleted);
};
