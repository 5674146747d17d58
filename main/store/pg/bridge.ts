/**
 * PostgreSQL behind the synchronous `SqlDb` surface (main/store/sql.ts): a dedicated worker thread owns ONE `pg`
 * connection; the caller posts a statement on a MessagePort and waits on `Atomics.wait` until the worker has answered,
 * then takes the answer with `receiveMessageOnPort` (the technique of the `synckit` package, in ~100 lines here so the
 * worker needs no build step and no loader: its source is the string below). main/store/README.md gives the measured
 * per-statement cost.
 *
 * One connection, so a transaction is one PostgreSQL transaction (BEGIN … COMMIT; nested ones are savepoints), and a
 * throw inside rolls it back. A lost connection (a restarted server) is reopened by the next statement, but never
 * inside a transaction: there every statement, COMMIT included, fails with SQLSTATE 08006 until the ROLLBACK, so
 * `transaction()` throws and nothing of it is written (the server rolled it back).
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { toPgQuery } from '../dialect.js';
import { SqlError, type SqlDb, type SqlStatement } from '../sql.js';

export interface PgConnection {
  /** `postgres://user[:password]@host:port/database` (or a unix socket folder as host). */
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

export interface PgBridgeOptions extends PgConnection {
  /** `search_path` of the connection: each location is one schema (main/store/README.md, "Schema per location"). */
  schema?: string;
  /** How long one statement may take before the caller gives up (ms; the worker is then ended). Default 120 s. */
  timeoutMs?: number;
  /** The connection's `application_name` (shown in pg_stat_activity). */
  applicationName?: string;
}

interface Answer {
  rows?: Array<Record<string, unknown>>;
  rowCount?: number;
  error?: { message: string; code?: string; detail?: string };
}

// The worker: CommonJS, plain JavaScript, loads `pg` from the path the caller resolved.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, state, config } = workerData;
let pg = null;
let loadError = null;
try {
  pg = require(workerData.pgPath);
  // BIGINT (int8) and COUNT(*) as numbers: ids and ms timestamps stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
} catch (e) {
  loadError = e;
}
let client = null;
async function connected() {
  if (client) return client;
  const c = new pg.Client(config);
  c.on('error', () => { if (client === c) client = null; });
  await c.connect();
  client = c;
  return c;
}
// An open transaction (BEGIN … COMMIT/ROLLBACK) is never reconnected: once its connection is lost, every statement
// (COMMIT too) answers 08006 until the caller's ROLLBACK, so no half of it is auto-committed on a new connection.
let inTx = false;
let txLost = false;
const BEGIN = /^\\s*(BEGIN|START\\s+TRANSACTION)\\b/i;
const END_TX = /^\\s*(COMMIT|END|ROLLBACK|ABORT)\\s*;?\\s*$/i;
const ROLLBACK = /^\\s*(ROLLBACK|ABORT)\\s*;?\\s*$/i;
function lostError() {
  const e = new Error('the connection to PostgreSQL was lost inside a transaction; it was rolled back');
  e.code = '08006';
  return e;
}
port.on('message', async (req) => {
  let answer;
  try {
    if (loadError) throw new Error('the PostgreSQL driver (pg) could not be loaded: ' + loadError.message);
    if (req.close) {
      if (client) await client.end().catch(() => {});
      client = null;
      inTx = false;
      txLost = false;
      answer = { rows: [], rowCount: 0 };
    } else if (txLost) {
      if (!ROLLBACK.test(req.sql)) throw lostError();
      inTx = false;
      txLost = false;
      answer = { rows: [], rowCount: 0 };
    } else {
      if (inTx && !client) {
        txLost = true;
        throw lostError();
      }
      const c = await connected();
      const r = req.params ? await c.query(req.sql, req.params) : await c.query(req.sql);
      if (BEGIN.test(req.sql)) inTx = true;
      else if (END_TX.test(req.sql)) inTx = false;
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      const rows = (last && last.rows) || [];
      for (const row of rows) if ('rowid' in row) delete row.rowid;
      answer = { rows, rowCount: (last && last.rowCount) || 0 };
    }
  } catch (e) {
    answer = { error: { message: String(e && e.message || e), code: e && e.code, detail: e && e.detail } };
    // A connection-level failure (no SQLSTATE, 08xxx connection exception, 57Pxx shutdown): reconnect next time.
    if (!e || !e.code || /^(08|57P)/.test(e.code)) {
      if (inTx) txLost = true;
      const c = client;
      client = null;
      if (c) c.end().catch(() => {});
    }
  }
  port.postMessage(answer);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

export class PgBridge implements SqlDb {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly timeoutMs: number;
  private depth = 0;
  private closed = false;
  private readonly statements = new Map<string, SqlStatement>();
  /** Round trips made so far (test/bench/pg-run-cost.ts reports them per sync). */
  roundTrips = 0;

  constructor(options: PgBridgeOptions) {
    const { schema, timeoutMs, applicationName, ...conn } = options;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(`not a plain schema name: ${schema}`);
    this.timeoutMs = timeoutMs ?? 120_000;
    const config = {
      ...conn,
      application_name: applicationName ?? 'ghl-bridge',
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    };
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { pgPath, port: port2, state: this.state, config },
      transferList: [port2],
    });
    this.worker.unref();
    this.port.unref();
  }

  /** One round trip to the worker; throws SqlError for a refused statement. */
  private call(req: { sql?: string; params?: unknown[]; close?: boolean }): Answer {
    if (this.closed && !req.close) throw new SqlError('the PostgreSQL store is closed', undefined);
    this.roundTrips++;
    Atomics.store(this.state, 0, 0);
    this.port.postMessage(req);
    if (Atomics.wait(this.state, 0, 0, this.timeoutMs) === 'timed-out') {
      this.closed = true;
      void this.worker.terminate();
      throw new SqlError(`PostgreSQL did not answer within ${this.timeoutMs} ms`, undefined);
    }
    const answer = receiveMessageOnPort(this.port)?.message as Answer | undefined;
    if (!answer) throw new SqlError('the PostgreSQL bridge answered nothing', undefined);
    if (answer.error) throw new SqlError(answer.error.message, answer.error.code, answer.error.detail);
    return answer;
  }

  /** A statement in the shared spelling (`?` placeholders), with parameters. */
  query(sql: string, params: unknown[] = []): { rows: Array<Record<string, unknown>>; rowCount: number } {
    const a = this.call({ sql: toPgQuery(sql), params });
    return { rows: a.rows ?? [], rowCount: a.rowCount ?? 0 };
  }

  /** A statement in PostgreSQL's own spelling (`$1` placeholders), as is. */
  queryPg(sql: string, params?: unknown[]): { rows: Array<Record<string, unknown>>; rowCount: number } {
    const a = this.call({ sql, params });
    return { rows: a.rows ?? [], rowCount: a.rowCount ?? 0 };
  }

  prepare(sql: string): SqlStatement {
    let st = this.statements.get(sql);
    if (st) return st;
    const text = toPgQuery(sql);
    const q = (params: unknown[]) => this.call({ sql: text, params: params.map(toParam) });
    // `in (?, ?, …)` lists make one text per length: keep the cache bounded.
    if (this.statements.size >= 2000) this.statements.clear();
    st = {
      run: (...params) => ({ changes: q(params).rowCount ?? 0 }),
      get: (...params) => q(params).rows?.[0],
      all: (...params) => q(params).rows ?? [],
      iterate: (...params) => (q(params).rows ?? [])[Symbol.iterator](),
    };
    this.statements.set(sql, st);
    return st;
  }

  exec(sql: string): void {
    this.call({ sql });
  }

  transaction<T>(fn: () => T): () => T {
    return (): T => {
      const level = this.depth;
      this.exec(level === 0 ? 'BEGIN' : `SAVEPOINT sp${level}`);
      this.depth++;
      let result: T;
      try {
        result = fn();
      } catch (e) {
        this.depth--;
        try {
          this.exec(level === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT sp${level}`);
        } catch {
          // The connection is gone: the server has rolled the transaction back itself.
        }
        throw e;
      }
      this.depth--;
      if (level === 0) {
        try {
          this.exec('COMMIT');
        } catch (e) {
          try {
            this.exec('ROLLBACK');
          } catch {
            /* gone */
          }
          throw e;
        }
      } else this.exec(`RELEASE SAVEPOINT sp${level}`);
      return result;
    };
  }

  /** Ends the connection and the worker. */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ close: true });
    } catch {
      /* closing anyway */
    }
    this.closed = true;
    void this.worker.terminate();
  }
}

/** Booleans as 1/0, like better-sqlite3 would refuse them (the repositories pass numbers already). */
function toParam(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}
