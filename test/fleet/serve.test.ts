/**
 * `ghl-bridge serve --database`: every fleet location in the window (main/fleet/registry.ts). Real PostgreSQL
 * (test/support/pg-cluster.ts), a real `ghl-bridge worker` and `ghl-bridge serve` as child processes, sandboxes over
 * HTTP (test/fleet/README.md), serve's HTTP bridge API called by a signed-in Chromium. Checked: serve lists both fleet
 * locations; "Sync now" in serve queues a job a worker runs (a run ledger row by the worker, none by serve); a
 * conflict that run found is resolved and a mapping saved through serve, and both land in PostgreSQL, where the
 * worker reads them. A screenshot of the "All locations" overview goes to test-artifacts/screenshots.
 *
 * Needs the renderer build: `npm run build:renderer`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppStatus, FieldChoice, LocationsView, PairMapping } from '../../preload/contract.js';
import { FleetBed } from './harness.js';
import { pgAvailable } from '../support/pg-cluster.js';
import { BIN } from '../soak/harness/child.js';
import { openBrowser, settled, shot, staticDir, T, type Browser } from '../e2e/ui-support.js';

let bed: FleetBed | undefined;
let serve: ChildProcess | undefined;
let browser: Browser | undefined;
const serveLines: string[] = [];

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const w of bed?.workers ?? []) console.log(`worker ${w.name}:\n${w.lines.slice(-40).join('\n')}`);
    console.log(`serve:\n${serveLines.slice(-40).join('\n')}`);
  }
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const done = new Promise((r) => serve!.once('close', r));
    serve.kill('SIGTERM');
    await done;
  }
  await bed?.close();
  bed = undefined;
});

/** `ghl-bridge serve --database …` in a child process; resolves with its one-time launch link. */
async function startServe(b: FleetBed): Promise<string> {
  serve = spawn(process.execPath, [BIN, 'serve', '--database', b.url, '--data-dir', join(b.dir, 'serve-data')], {
    env: { ...process.env, GHL_BRIDGE_FLEET_KEY: b.fleetKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout!.setEncoding('utf8').on('data', (d: string) => serveLines.push(...d.split('\n').filter(Boolean)));
  serve.stderr!.setEncoding('utf8').on('data', (d: string) => serveLines.push(...d.split('\n').filter(Boolean)));
  await b.until('serve to print its link', () => serveLines.some((l) => l.startsWith('Open http')), 120_000);
  return serveLines
    .find((l) => l.startsWith('Open http'))!
    .slice('Open '.length)
    .trim();
}

describe.skipIf(!pgAvailable() || !existsSync(join(staticDir, 'index.html')))('ghl-bridge serve --database', () => {
  it('shows every fleet location; Sync now runs on a worker; edits made in serve land in PostgreSQL', async () => {
    // A long interval: after its first run a location runs again only when asked ("Sync now").
    bed = await FleetBed.start({ locations: 2, seed: 31, intervalSeconds: 3600 });
    const worker = bed.startWorker();
    for (const l of bed.locations)
      await bed.until(`the first run of ${l.id}`, async () => (await bed!.runs(l.id)).some((r) => r.endedAt), 300_000);

    const launch = await startServe(bed);
    browser = await openBrowser(join(bed.dir, 'chromium'));
    const page = browser.page;
    const origin = new URL(launch).origin;
    browser.watchOrigin(origin);
    await page.goto(launch);
    await settled(page);
    const call = async <R>(method: string, arg: unknown = {}): Promise<R> => {
      const res = await page.request.post(`${origin}/api/${method}`, { data: arg });
      const body = (await res.json()) as R & { error?: { message: string } };
      if (!res.ok()) throw new Error(`${method}: HTTP ${res.status()} ${body.error?.message ?? ''}`);
      return body;
    };

    // Both fleet locations, each with the run its worker did.
    const view = await call<LocationsView>('listLocations');
    expect(view.locations.map((l) => l.id)).toEqual(bed.locations.map((l) => l.id));
    for (const l of view.locations) expect(l.lastRun?.status).toBe('ok');

    // A conflict in the second location: the same field edited in HighLevel and AroFlo.
    const loc = bed.locations[1]!;
    await call('switchLocation', { id: loc.id });
    const store = bed.openStore(loc.id);
    const link = store.links.active('ghl-aroflo', 'contact').find((k) => k.other_kind === 'client')!;
    store.close();
    const clientId = link.other_id!.split(':')[1]!;
    loc.boxes.ghl.admin.updateContact(link.ghl_id!, { firstName: 'FromGHL' });
    loc.boxes.aroflo.admin.updateClient(clientId, { firstname: 'FromAroFlo' });

    // "Sync now" in serve while no worker runs: the window shows it queued, and nothing syncs in serve.
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    const before = (await bed.runs(loc.id)).length;
    const asked = await call<{ message?: string }>('syncNow', {});
    expect(asked.message).toMatch(/Queued/);
    const queued = await call<AppStatus>('getStatus');
    expect(queued).toMatchObject({ syncing: true, progress: { phase: 'queued' } });
    expect((await bed.runs(loc.id)).length).toBe(before);

    // A worker takes the job: a run ledger row by that worker.
    const second = bed.startWorker();
    await bed.until(
      'a worker to run the location serve queued',
      async () => (await bed!.runs(loc.id)).filter((r) => r.endedAt).length > before,
      300_000,
    );
    const runs = await bed.runs(loc.id);
    expect(runs.length).toBe(before + 1);
    expect(runs.at(-1)).toMatchObject({ worker: second.name, outcome: 'ok' });
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set([worker.name, second.name]));
    await bed.until(
      'the window to show the run done',
      async () => !(await call<AppStatus>('getStatus')).syncing,
      60_000,
    );
    expect((await call<AppStatus>('getStatus')).lastRun?.trigger).toBe('timer');

    // The conflict that run found, resolved through serve, is in the location's store in PostgreSQL.
    const conflicts = await call<{ items: Array<{ id: string }> }>('listConflicts', {});
    expect(conflicts.items.length).toBe(1);
    const id = conflicts.items[0]!.id;
    await call('resolveConflict', { id, choices: { firstName: { take: 'other' } satisfies FieldChoice } });
    const after = bed.openStore(loc.id);
    try {
      expect(after.conflicts.get(id)?.status).toBe('resolved');
    } finally {
      after.close();
    }
    // Applying it is a run too: a job the worker runs (not a run in serve beside the worker's).
    await bed.until(
      'the worker to apply the resolution',
      async () => (await bed!.runs(loc.id)).filter((r) => r.endedAt && r.worker === second.name).length >= 2,
      300_000,
    );
    expect((loc.boxes.ghl.admin.getContact(link.ghl_id!) as { firstName?: string }).firstName).toBe('FromAroFlo');
    const stored = await call<Array<{ trigger: string; dryRun: boolean }>>('listRuns', { limit: 50 });
    expect(stored.filter((r) => !r.dryRun).map((r) => r.trigger)).toEqual(
      stored.filter((r) => !r.dryRun).map(() => 'timer'),
    );
    // The first location has none (serve answers for the chosen location only).
    await call('switchLocation', { id: bed.locations[0]!.id });
    expect((await call<{ items: unknown[] }>('listConflicts', {})).items).toEqual([]);

    // A mapping saved through serve is the location's settings row in PostgreSQL, what the next worker run reads.
    // Meanwhile the row changed elsewhere (a worker, `fleet add-location`): serve's edit keeps that change.
    const first = bed.locations[0]!.id;
    const elsewhere = await bed.store.readConfig(first);
    elsewhere.settings.keyRotationDays = 77;
    await bed.store.writeConfig(first, elsewhere);
    const mappings = await call<PairMapping[]>('getMappings');
    const m = structuredClone(mappings.find((x) => x.pair === 'ghl-aroflo')!);
    m.noteToTask = { ...m.noteToTask!, match: 'fleet-serve-check' };
    await call('saveMapping', { mapping: m });
    const cfg = await bed.store.readConfig(bed.locations[0]!.id);
    expect(cfg.mappings.find((x) => x.pair === 'ghl-aroflo')?.noteToTask?.match).toBe('fleet-serve-check');
    expect(cfg.settings.keyRotationDays).toBe(77);
    expect(
      (await bed.store.readConfig(loc.id)).mappings.find((x) => x.pair === 'ghl-aroflo')?.noteToTask?.match,
    ).not.toBe('fleet-serve-check');

    // Paused in the window: the workers skip the location until it is resumed.
    await call('switchLocation', { id: loc.id });
    await call('pause');
    const n = (await bed.runs(loc.id)).length;
    await call('syncNow', {});
    await bed.until('the paused location to be skipped', async () => (await bed!.runs(loc.id)).length > n, 300_000);
    await bed.until('the skip to end', async () => (await bed!.runs(loc.id)).every((r) => r.endedAt), 60_000);
    expect((await bed.runs(loc.id)).at(-1)?.outcome).toBe('skipped: paused');
    await call('resume');
    await call('switchLocation', { id: first });

    // The window's overview: both fleet locations with their last run.
    await page.reload();
    await settled(page);
    await page.getByRole('link', { name: 'All locations' }).click({ timeout: T });
    await page.locator('h1', { hasText: 'All locations' }).waitFor({ timeout: T });
    await settled(page);
    const rows = page.locator('table.table-locations tbody tr');
    expect(await rows.count()).toBe(2);
    for (const [i, l] of bed.locations.entries()) expect(await rows.nth(i).textContent()).toContain(l.id);
    await shot(page, 'fleet-serve-overview');
    expect(browser.problems).toEqual([]);
    // serve never ran a sync itself: it has no worker name in the ledger and did not sync on its own.
    expect((await bed.runs()).every((r) => r.worker === worker.name || r.worker === second.name)).toBe(true);
  }, 900_000);
});
