/**
 * One real sync on the PostgreSQL store: the engine (main/sync) against the three sandboxes over real HTTP, through
 * the service, with every link, base, outbox entry and audit row in a location's schema on a throwaway cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, PgBridge, type PgStore } from '../../main/store/pg/index.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';

describe.skipIf(!pgAvailable())('a sync on the PostgreSQL store', () => {
  let cluster: PgCluster;
  let url: string;
  let bed: Bed | undefined;
  let store: PgStore | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await cluster.createDatabase('fleet');
  });
  afterAll(async () => {
    await bed?.close();
    store?.close();
    await cluster?.stop();
  });

  it('links everyone without twins, writes nothing the second time, and survives a PostgreSQL restart', async () => {
    bed = await startBed({
      contacts: 30,
      store: (now) => (store = openPgStore({ connectionString: url, schema: 'loc_bed', now })),
    });
    const r1 = await bed.run({ full: true });
    expect(r1.summary.status).toBe('ok');
    expect(r1.summary.errors).toBe(0);
    expect(writesOf(r1.summary)).toBeGreaterThan(0);

    // What the run wrote is in PostgreSQL, in the location's schema (read over another connection).
    const probe = new PgBridge({ connectionString: url, schema: 'loc_bed' });
    const count = (table: string) => Number(probe.queryPg(`select count(*) as n from ${table}`).rows[0]!.n);
    const links = count('links');
    expect(links).toBeGreaterThan(20);
    expect(count('base_snapshots')).toBe(
      Number(probe.queryPg(`select count(*) as n from links where state = 'active'`).rows[0]!.n),
    );
    expect(count('audit')).toBeGreaterThan(0);
    expect(Number(probe.queryPg(`select count(*) as n from outbox where state = 'pending'`).rows[0]!.n)).toBe(0);
    // Every GHL contact with an email exists once in AroFlo's ID map: no record linked twice.
    const twins = probe.queryPg(
      `select ghl_id from links where entity = 'contact' and state = 'active' and ghl_id is not null group by pair, ghl_id having count(*) > 1`,
    ).rows;
    expect(twins).toEqual([]);
    // The profile's SQLite file holds none of it.
    expect(bed.svc.db.prepare('select count(*) as n from links').get()).toEqual({ n: 0 });

    const r2 = await bed.run();
    expect(writesOf(r2.summary)).toBe(0);

    // The server restarts between two runs: the bridge reconnects and the next runs still write nothing.
    await cluster.restart('fast');
    const r3 = await bed.run({ full: true });
    expect(r3.summary.status).toBe('ok');
    expect(writesOf(r3.summary)).toBe(0);

    // An edit in HighLevel reaches AroFlo through the PostgreSQL store.
    const linked = probe.queryPg(
      `select ghl_id from links where pair = 'ghl-aroflo' and entity = 'contact' and state = 'active' and ghl_id is not null order by id limit 1`,
    ).rows[0]!.ghl_id as string;
    bed.boxes.ghl.admin.updateContact(linked, { firstName: 'Zoë-On-Postgres' });
    const r4 = await bed.run();
    expect(r4.summary.updated.contact).toBe(1);
    expect(count('links')).toBe(links);
    probe.close();
  });
});
