/**
 * The Store contract (test/store/contract.ts) on both stores: SQLite (a file, reopened as the app reopens it) and
 * PostgreSQL on a throwaway cluster (test/support/pg-cluster.ts), each test in a schema of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Db } from '../../main/store/db.js';
import { openPgStore, type PgStore } from '../../main/store/pg/index.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { storeContract, type StoreBed } from './contract.js';

describe('the Store on SQLite', () => {
  storeContract((): StoreBed => {
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-contract-'));
    const dbs: Db[] = [];
    return {
      open(now) {
        const db = openDatabase(join(dir, 'profile.db'));
        dbs.push(db);
        return openSqliteStore(db, now);
      },
      close() {
        for (const db of dbs) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describe.skipIf(!pgAvailable())('the Store on PostgreSQL', () => {
  let cluster: PgCluster;
  let url: string;
  let n = 0;
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('contract');
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  storeContract((): StoreBed => {
    const schema = `loc_${++n}`;
    const stores: PgStore[] = [];
    return {
      open(now) {
        const s = openPgStore({ connectionString: url, schema, now });
        stores.push(s);
        return s;
      },
      close() {
        for (const s of stores) s.close();
      },
    };
  });
});
