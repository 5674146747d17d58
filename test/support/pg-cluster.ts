/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temp folder, `pg_ctl start` on a unix socket in that folder
 * and a free TCP port on 127.0.0.1, `stop()` that really stops it and removes the folder. No mock: the machine's own
 * PostgreSQL binaries (Debian's `postgresql` package, which `.ci/run` installs when `initdb` is missing).
 *
 * Binaries: PATH first, then /usr/lib/postgresql/<newest>/bin (Debian puts them there, off PATH), then /usr/local/bin.
 * Root: initdb refuses to run as root, so when `id -u` is 0 every server command runs as the `postgres` user (created by
 * Debian's package) through `runuser`, and the temp folder is handed to that user.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

export interface PgClusterOptions {
  /** When set, TCP connections need this password (scram-sha-256); the unix socket stays `trust`. Default: trust. */
  password?: string;
  /** Extra `postgresql.conf` settings, e.g. `{ max_connections: '200' }`. */
  settings?: Record<string, string>;
  /** fsync and friends on (default off: a test cluster need not survive the machine, only its own restarts). */
  durable?: boolean;
}

export interface PgCluster {
  /** The data folder (removed by stop()). */
  readonly dir: string;
  /** The folder holding the unix socket (a `host` for libpq / `pg`). */
  readonly socketDir: string;
  readonly port: number;
  /** The superuser role (always `postgres`). */
  readonly user: string;
  readonly password: string | undefined;
  /** The OS user the server runs as. */
  readonly osUser: string;
  /** `postgres://postgres[:password]@127.0.0.1:<port>/<database>` (default database `postgres`). */
  url(database?: string): string;
  /** `CREATE DATABASE name` (through psql on the socket); returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through psql on the socket as the superuser; returns psql's stdout (unaligned, tuples only). */
  psql(sql: string, database?: string): Promise<string>;
  /** Stops and starts the server on the same port and folder. `immediate` is a crash (no checkpoint, recovery on start). */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (kills it if pg_ctl cannot) and removes the folder. Idempotent. */
  stop(): Promise<void>;
}

/** Where a PostgreSQL server binary is: PATH, then /usr/lib/postgresql/<newest>/bin, then /usr/local/bin; null if none. */
export function findPgBinary(name: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(root, v, 'bin', name);
      if (existsSync(p)) return p;
    }
  }
  const local = join('/usr/local/bin', name);
  return existsSync(local) ? local : null;
}

/**
 * True when initdb and pg_ctl can be found, or when running in CI (CI=true): there `.ci/run` installs PostgreSQL, so a
 * missing server must fail the PostgreSQL tests rather than skip them. Tests: `describe.skipIf(!pgAvailable())`.
 */
export function pgAvailable(): boolean {
  if (process.env.CI === 'true') return true;
  return findPgBinary('initdb') !== null && findPgBinary('pg_ctl') !== null && findPgBinary('postgres') !== null;
}

function bin(name: string): string {
  const p = findPgBinary(name);
  if (!p) throw new Error(`PostgreSQL's ${name} was not found on PATH, in /usr/lib/postgresql/*/bin or /usr/local/bin`);
  return p;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The OS user that owns the cluster: the current one, or `postgres` when we are root (initdb refuses root). */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const name = process.env.GHL_BRIDGE_PG_OS_USER ?? 'postgres';
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { name, uid, gid };
  } catch {
    throw new Error(
      `running as root: initdb refuses root, and the OS user "${name}" to run the cluster as does not exist ` +
        `(Debian's postgresql package creates it; or set GHL_BRIDGE_PG_OS_USER)`,
    );
  }
}

/** Runs a server binary as the cluster's OS user. */
async function asServer(
  user: { name: string } | null,
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const fullEnv = { ...process.env, LC_ALL: 'C', LANG: 'C', ...env };
  const { stdout } = user
    ? await run('runuser', ['-u', user.name, '--', 'env', ...envArgs(env), file, ...args], { cwd, env: fullEnv })
    : await run(file, args, { cwd, env: fullEnv });
  return stdout;
}

function envArgs(env: NodeJS.ProcessEnv): string[] {
  return ['LC_ALL=C', 'LANG=C', ...Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`)];
}

function conf(port: number, socketDir: string, options: PgClusterOptions): string {
  const lines: Record<string, string> = {
    port: String(port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${socketDir}'`,
    max_connections: '100',
    shared_buffers: "'32MB'",
    logging_collector: 'off',
    log_min_messages: 'warning',
  };
  if (!options.durable) Object.assign(lines, { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
  for (const [k, v] of Object.entries(options.settings ?? {})) lines[k] = /^[\w.]+$/.test(v) ? v : `'${v}'`;
  return Object.entries(lines)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
}

const live = new Set<{ dir: string; user: { name: string } | null }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that ends without stop() (a crash, a forgotten afterAll) must not leave servers behind.
  process.on('exit', () => {
    for (const c of live) {
      const pgCtl = findPgBinary('pg_ctl');
      if (pgCtl) {
        const args = ['stop', '-D', join(c.dir, 'data'), '-m', 'immediate', '-w'];
        if (c.user) spawnSync('runuser', ['-u', c.user.name, '--', pgCtl, ...args], { stdio: 'ignore' });
        else spawnSync(pgCtl, args, { stdio: 'ignore' });
      }
      rmSync(c.dir, { recursive: true, force: true });
    }
  });
}

/** initdb + pg_ctl start in a new temp folder. */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const socketDir = dir;
  const handle = { dir, user };
  live.add(handle);
  installExitHook();

  try {
    const initArgs = ['-D', data, '-U', 'postgres', '--encoding=UTF8', '--no-locale', '--no-sync'];
    if (options.password) {
      const pwfile = join(dir, 'pw');
      writeFileSync(pwfile, options.password + '\n', { mode: 0o600 });
      if (user) chownSync(pwfile, user.uid, user.gid);
      initArgs.push('--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
    } else {
      initArgs.push('--auth=trust');
    }
    await asServer(user, bin('initdb'), initArgs, dir);
    if (options.password) rmSync(join(dir, 'pw'), { force: true });
  } catch (err) {
    live.delete(handle);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  let port = 0;
  const pgCtl = bin('pg_ctl');
  const logFile = join(dir, 'server.log');
  const start = async (): Promise<void> => {
    await asServer(user, pgCtl, ['start', '-D', data, '-l', logFile, '-w', '-t', '60'], dir);
  };
  const baseConf = readFileSync(join(data, 'postgresql.conf'), 'utf8');
  // A port picked free a moment ago may be taken by the time the server binds: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    writeFileSync(join(data, 'postgresql.conf'), baseConf + '\n' + conf(port, socketDir, options) + '\n');
    try {
      await start();
      break;
    } catch (err) {
      if (attempt >= 3) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
        live.delete(handle);
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
      }
    }
  }

  const psqlBin = findPgBinary('psql') ?? 'psql';
  const psql = async (sql: string, database = 'postgres'): Promise<string> => {
    const { stdout } = await run(
      psqlBin,
      [
        '-h',
        socketDir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        database,
        '-v',
        'ON_ERROR_STOP=1',
        '-At',
        '-c',
        sql,
      ],
      { env: { ...process.env, PGPASSWORD: options.password ?? '' } },
    );
    return stdout;
  };

  let stopped = false;
  const cluster: PgCluster = {
    dir: data,
    socketDir,
    port,
    user: 'postgres',
    password: options.password,
    osUser: user?.name ?? userInfo().username,
    url(database = 'postgres') {
      const auth = options.password ? `postgres:${encodeURIComponent(options.password)}` : 'postgres';
      return `postgres://${auth}@127.0.0.1:${port}/${database}`;
    },
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await psql(`CREATE DATABASE ${name}`);
      return cluster.url(name);
    },
    psql,
    async restart(mode = 'fast') {
      await asServer(user, pgCtl, ['stop', '-D', data, '-m', mode, '-w', '-t', '60'], dir);
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await asServer(user, pgCtl, ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30'], dir);
      } catch {
        // pg_ctl could not stop it (or it was already down): kill the postmaster named in postmaster.pid, if any.
        const pidFile = join(data, 'postmaster.pid');
        if (existsSync(pidFile)) {
          const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
          if (pid > 0) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }
        }
      }
      live.delete(handle);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
