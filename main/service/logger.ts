/**
 * The app logger. Every entry is redacted (keys and known secret values), kept in SQLite for the Logs screen
 * (bounded), published as a bridge event, and written as JSON lines by pino to the profile's log file.
 */
import pino from 'pino';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEntry, LogLevel } from '../../preload/contract.js';
import type { LogRepo } from '../store/repositories.js';
import type { EventBus } from './events.js';
import type { Redactor } from './redact.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const KEEP_ROWS = 20_000;

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  list(args: { query?: string; level?: LogLevel; limit?: number }): LogEntry[];
  close(): void;
}

export function createLogger(opts: {
  logs: LogRepo;
  events?: EventBus;
  redactor: Redactor;
  logDir?: string;
  now?: () => number;
  minLevel?: LogLevel;
  /** Also print to stderr (CLI --verbose). */
  echo?: boolean;
}): Logger {
  const now = opts.now ?? Date.now;
  const min = ORDER[opts.minLevel ?? 'info'];
  let file: pino.Logger | undefined;
  if (opts.logDir) {
    mkdirSync(opts.logDir, { recursive: true, mode: 0o700 });
    const logFile = join(opts.logDir, 'ghl-bridge.log');
    // Owner-only also when the folder or file already existed with looser permissions (a copied or restored profile).
    if (process.platform !== 'win32') {
      chmodSync(opts.logDir, 0o700);
      if (existsSync(logFile)) chmodSync(logFile, 0o600);
    }
    file = pino(
      { level: 'debug', base: undefined },
      pino.destination({ dest: logFile, mkdir: true, sync: true, mode: 0o600 }),
    );
  }
  let writes = 0;

  const write = (level: LogLevel, message: string, context?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const entry: LogEntry = {
      at: now(),
      level,
      message: opts.redactor.text(message),
      context: context ? (opts.redactor.value(context) as Record<string, unknown>) : undefined,
    };
    try {
      opts.logs.add(entry);
      if (++writes % 500 === 0) opts.logs.prune(KEEP_ROWS);
    } catch {
      // Logging must never break a sync (database closed during shutdown, disk full).
    }
    file?.[level]({ ...(entry.context ?? {}) }, entry.message);
    if (opts.echo)
      process.stderr.write(`${new Date(entry.at).toISOString()} ${level.toUpperCase()} ${entry.message}\n`);
    opts.events?.publish({ type: 'log', entry });
  };

  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
    list({ query, level, limit }) {
      const levels = (Object.keys(ORDER) as LogLevel[]).filter((l) => ORDER[l] >= ORDER[level ?? 'debug']);
      return opts.logs.list({ levels, query, limit: Math.min(limit ?? 500, 5000) });
    },
    close() {
      file?.flush?.();
    },
  };
}
