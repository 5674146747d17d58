/**
 * The narrow, synchronous SQL surface the repositories in main/store/sqlite/*.ts use: prepare → run/get/all/iterate,
 * transaction, exec. better-sqlite3's `Database` is one implementation as it is; `PgBridge` (main/store/pg/bridge.ts) is
 * the other, over PostgreSQL. The repositories' SQL is written once, in the subset both accept (main/store/README.md,
 * "Two stores, one SQL").
 */
export interface SqlStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqlDb {
  prepare(sql: string): SqlStatement;
  /** Wraps `fn` in a transaction (a savepoint when nested); a throw rolls it back and is rethrown. */
  transaction<T>(fn: () => T): () => T;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): unknown;
}

/** A statement PostgreSQL (or the bridge) refused: `code` is the SQLSTATE (23505 a unique violation, …). */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}
