/**
 * `ghl-bridge worker` on a real PostgreSQL cluster, real worker processes and real sandboxes over HTTP (test/fleet/README.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { boundOf, FleetBed, type WorkerProc } from './harness.js';
import { pgAvailable } from '../support/pg-cluster.js';
import { collectSecrets } from '../soak/harness/runner.js';
import { BIN } from '../soak/harness/child.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { locationSchema } from '../../main/store/fleet/index.js';

const run = promisify(execFile);

let bed: FleetBed | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    for (const w of bed?.workers ?? []) console.log(`worker ${w.name}:\n${w.lines.slice(-40).join('\n')}`);
  await bed?.close();
  bed = undefined;
});

const ended = async (b: FleetBed, loc: string) => (await b.runs(loc)).filter((r) => r.endedAt !== undefined);
const linked = (b: FleetBed, loc: string) => {
  const store = b.openStore(loc);
  try {
    return store.links.active('ghl-aroflo', 'contact').length;
  } finally {
    store.close();
  }
};

describe.skipIf(!pgAvailable())('ghl-bridge worker', () => {
  it("syncs each location as a job on its interval, with the location's secrets encrypted in PostgreSQL", async () => {
    bed = await FleetBed.start({ locations: 2, seed: 11 });
    const secrets = bed.locations.flatMap((l) => collectSecrets(l.boxes));
    const rows = (await Promise.all(bed.locations.map((l) => bed!.store.secretRows(l.id)))).flat();
    expect(rows.length).toBeGreaterThan(bed.locations.length);
    for (const row of rows) for (const s of secrets) expect(row.data.includes(Buffer.from(s))).toBe(false);

    bed.startWorker();
    for (const l of bed.locations)
      await bed.until(`a first run of ${l.id}`, async () => (await ended(bed!, l.id)).length >= 1, 300_000);
    for (const l of bed.locations) {
      expect((await ended(bed, l.id))[0]!.outcome).toBe('ok');
      expect(linked(bed, l.id)).toBeGreaterThan(0);
    }
    // What an operator sees: `ghl-bridge fleet status`.
    const status = JSON.parse(
      (await run(process.execPath, [BIN, 'fleet', 'status', '--json', '--database', bed.url])).stdout,
    ) as Array<{ id: string; lastOutcome?: string; runs: number }>;
    expect(status.map((r) => r.id)).toEqual(bed.locations.map((l) => l.id));
    for (const r of status) expect(r).toMatchObject({ lastOutcome: 'ok' });
    // People keep working; the next scheduled runs carry their edits, with no one asking.
    for (const l of bed.locations) l.people.act(6);
    const before = await Promise.all(bed.locations.map(async (l) => (await ended(bed!, l.id)).length));
    for (const [i, l] of bed.locations.entries())
      await bed.until(
        `two more runs of ${l.id}`,
        async () => (await ended(bed!, l.id)).length >= before[i]! + 2,
        300_000,
      );
    expect(bed.check()).toEqual([]);
  }, 900_000);

  it("a worker started with another key than the fleet's is refused; a location whose secrets cannot be opened fails its run with the reason", async () => {
    bed = await FleetBed.start({ locations: 2, seed: 16 });
    const wrong = bed.startWorker([], { GHL_BRIDGE_FLEET_KEY: randomBytes(32).toString('base64') });
    const exit = await wrong.exited;
    expect(exit.code).not.toBe(0);
    expect(wrong.lines.join('\n')).toMatch(/wrong key/);
    expect(await bed.runs()).toEqual([]);
    // The right key, but one location's key-check row is damaged: its runs fail, naming the secret store; the other syncs.
    const [ok, damaged] = [...bed.locations].sort((x, y) => x.id.localeCompare(y.id));
    await bed.store.pool.query(
      `UPDATE ${locationSchema(damaged!.id)}.secrets SET data = decode('00', 'hex') WHERE name = ''`,
    );
    bed.startWorker();
    await bed.until(`a run of ${damaged!.id}`, async () => (await ended(bed!, damaged!.id)).length >= 1, 300_000);
    await bed.until(`a run of ${ok!.id}`, async () => (await ended(bed!, ok!.id)).length >= 1, 300_000);
    const run = (await ended(bed, damaged!.id))[0]!;
    expect(run.outcome).toBe('failed');
    expect(run.detail).toMatch(/secret store could not be opened/);
    expect((await ended(bed, ok!.id))[0]!.outcome).toBe('ok');
  }, 900_000);

  it('skips a location whose run lock is held elsewhere (the second guard), then runs it once the lock is free', async () => {
    bed = await FleetBed.start({ locations: 1, seed: 12 });
    const id = bed.locations[0]!.id;
    const lock = await bed.store.tryLocationLock(id);
    expect(lock).toBeDefined();
    const w = bed.startWorker();
    await bed.until(
      'the worker to skip the held location',
      () => w.lines.some((l) => l.includes(`${id}: skipped: already running`)),
      300_000,
    );
    expect(await bed.runs(id)).toEqual([]);
    await lock!.release();
    await bed.until(`a run of ${id} after the lock is free`, async () => (await ended(bed!, id)).length >= 1, 300_000);
    expect((await ended(bed, id))[0]!.outcome).toBe('ok');
  }, 900_000);

  it('never runs one location on two workers at once', async () => {
    bed = await FleetBed.start({ locations: 3, seed: 13, intervalSeconds: 1 });
    for (let i = 0; i < 3; i++) bed.startWorker();
    for (let round = 0; round < 3; round++) {
      for (const l of bed.locations) l.people.act(3);
      // A run that began before the edits may not carry them: wait for one that began after.
      const edited = Date.now();
      for (const l of bed.locations)
        await bed.until(
          `a run of ${l.id} after the edits`,
          async () => (await ended(bed!, l.id)).some((r) => r.startedAt > edited),
          300_000,
        );
    }
    const runs = await bed.runs();
    // The workers did compete for the locations…
    expect(new Set(runs.map((r) => r.worker)).size).toBeGreaterThan(1);
    // …and no two runs of one location overlapped.
    expect(await bed.overlaps()).toEqual([]);
    expect(bed.check()).toEqual([]);
  }, 900_000);

  it('a location whose worker is SIGKILLed mid-run is finished by another within the stated time, with no duplicates', async () => {
    bed = await FleetBed.start({ locations: 1, seed: 14, contacts: 40 });
    const loc = bed.locations[0]!;
    bed.startWorker();
    // The first attempt kills the location's first run (the job `fleet add-location` queued), later ones a run the
    // workers queued: each must come back within the bound the workers state.
    const bWorker = bed.startWorker();
    await bed.until(
      'the second worker to start',
      () => bWorker.lines.some((l) => l.includes('picked up by another within')),
      300_000,
    );
    const stated = Number(/within (\d+) s/.exec(bWorker.lines.find((l) => l.includes('within'))!)![1]);
    expect(stated).toBe(boundOf(bed.timing));
    let victim: WorkerProc | undefined;
    let killedRun: number | undefined;
    for (let attempt = 0; attempt < 6 && !victim; attempt++) {
      loc.people.act(25);
      const seen = (await bed.runs(loc.id)).length;
      await bed.until('the next run to start', async () => (await bed!.runs(loc.id)).length > seen, 300_000);
      const open = (await bed.runs(loc.id)).find((r) => r.endedAt === undefined);
      const holder = bed.workers.find((w) => w.name === open?.worker);
      if (!open || !holder) continue;
      holder.kill('SIGKILL');
      await holder.exited;
      if (!(await bed.runs(loc.id)).find((r) => r.id === open.id)!.endedAt) {
        victim = holder;
        killedRun = open.id;
      } else bed.startWorker(); // the run finished first: replace the worker and try again
    }
    expect(victim, 'a run was killed before it finished').toBeDefined();
    // Picked up: another worker's run of the location starts within the bound the workers state (a few seconds' slack
    // for the poll of this check and a loaded machine), then finishes.
    const waited = await bed.until(
      'another worker to start the location',
      async () => (await bed!.runs(loc.id)).some((r) => r.id > killedRun! && r.worker !== victim!.name),
      (stated + 10) * 1000,
    );
    console.log(`picked up ${Math.round(waited / 1000)} s after the SIGKILL (stated bound ${stated} s)`);
    await bed.until(
      'that run to finish',
      async () => (await bed!.runs(loc.id)).some((r) => r.id > killedRun! && r.outcome === 'ok'),
      300_000,
    );
    // The run the killed worker left open stays open (it is not mistaken for a finished one), and nothing overlapped.
    expect((await bed.runs(loc.id)).find((r) => r.id === killedRun)!.endedAt).toBeUndefined();
    expect(await bed.overlaps()).toEqual([]);
    // Another run after it, so everything the killed run left pending (the outbox) is settled, then the checks.
    const n = (await ended(bed, loc.id)).length;
    await bed.until('one more run', async () => (await ended(bed!, loc.id)).length > n, 300_000);
    expect(bed.check()).toEqual([]);
  }, 900_000);

  it('SIGTERM drains: the running sync finishes, no new one starts, the worker exits 0', async () => {
    bed = await FleetBed.start({ locations: 1, seed: 15, contacts: 40 });
    const loc = bed.locations[0]!;
    const w = bed.startWorker();
    await bed.until('the first run', async () => (await ended(bed!, loc.id)).length >= 1, 300_000);
    let drained: number | undefined;
    for (let attempt = 0; attempt < 6 && drained === undefined; attempt++) {
      loc.people.act(25);
      const seen = (await bed.runs(loc.id)).length;
      await bed.until('the next run to start', async () => (await bed!.runs(loc.id)).length > seen, 300_000);
      const open = (await bed.runs(loc.id)).find((r) => r.endedAt === undefined);
      if (!open) continue;
      w.kill('SIGTERM');
      drained = open.id;
    }
    expect(drained).toBeDefined();
    const sent = Date.now();
    const exit = await w.exited;
    expect(exit.code).toBe(0);
    const runs = await bed.runs(loc.id);
    expect(runs.find((r) => r.id === drained)!.outcome).toBe('ok');
    expect(runs.filter((r) => r.startedAt > sent && r.worker === w.name)).toEqual([]);
    expect(w.lines.some((l) => l.includes('draining'))).toBe(true);
    // Its next run is still queued: a new worker takes it.
    const n = (await ended(bed, loc.id)).length;
    bed.startWorker();
    await bed.until('the next worker to run the location', async () => (await ended(bed!, loc.id)).length > n, 300_000);
    expect(bed.check()).toEqual([]);
  }, 900_000);
});
