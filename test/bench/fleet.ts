/**
 * Scenario 7 (`npm run bench -- --only=fleet`): locations fully synced per hour by 1, 2 and 4 `ghl-bridge worker`
 * processes on this machine, next to the bound the per-location API limits set (test/bench/ceilings.ts, from the
 * connectors' own limits). Real PostgreSQL, real worker processes, one set of sandboxes per location
 * (test/fleet/harness.ts). Every run is a full re-read (fullRereadEvery = 1): "fully synced".
 *
 * The sandboxes' rate windows run `scale` times faster than real, so the measurement shows the fleet's own ceiling
 * (CPU, PostgreSQL, the engine); the API bound is computed at real scale from the requests each run made.
 */
import { readFileSync } from 'node:fs';
import { FleetBed } from '../fleet/harness.js';
import { leastTimeMs, LIMITS } from './ceilings.js';
import type { Api } from './admin.js';

export interface FleetBenchRow {
  workers: number;
  runs: number;
  seconds: number;
  perHour: number;
  meanRunMs: number;
  cpuMsPerRun: number;
}

export interface FleetBenchReport {
  locations: number;
  contacts: number;
  scale: number;
  cores: number;
  rows: FleetBenchRow[];
  /** Mean requests of one full run, per system. */
  requestsPerRun: Record<string, number>;
  /** The least time the real limits allow one full run of one location (the slowest system's share). */
  apiBoundRunSeconds: number;
  /** Full syncs per hour per location the real limits allow (runs of one location are serial). */
  apiBoundPerLocationPerHour: number;
  /** Full syncs per day per location the daily budgets allow (AroFlo's 2,000 a day per organisation binds first). */
  dailyBoundPerLocation: number;
  /** CPU seconds per run × cores: what this machine can do at most. */
  cpuBoundPerHour: number;
}

/** CPU time (ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

export async function runFleetBench(
  opts: {
    locations?: number;
    contacts?: number;
    seconds?: number;
    workers?: number[];
    seed?: number;
    log?: (l: string) => void;
  } = {},
): Promise<FleetBenchReport> {
  const log = opts.log ?? (() => undefined);
  const locations = opts.locations ?? 8;
  const contacts = opts.contacts ?? 60;
  const seconds = opts.seconds ?? 60;
  const scale = 200;
  const bed = await FleetBed.start({
    locations,
    contacts,
    seed: opts.seed ?? 7,
    intervalSeconds: 1,
    rateScale: scale,
    timing: { expireSeconds: 600, maintenanceSeconds: 30, retryDelaySeconds: 5, pollSeconds: 1 },
  });
  try {
    for (const l of bed.locations) {
      const c = await bed.store.readConfig(l.id);
      c.settings.fullRereadEvery = 1;
      await bed.store.writeConfig(l.id, c);
    }
    const rows: FleetBenchRow[] = [];
    const requests: Record<string, number[]> = {};
    for (const w of opts.workers ?? [1, 2, 4]) {
      const procs = Array.from({ length: w }, () => bed.startWorker());
      // Warm-up: every location's first (initial) run is done before the window opens.
      const warm = await bed.runs();
      const firstId = warm.length ? Math.max(...warm.map((r) => r.id)) : 0;
      await bed.until(
        'every location to run once',
        async () => {
          const rs = (await bed.runs()).filter((r) => r.id > firstId && r.endedAt !== undefined);
          return bed.locations.every((l) => rs.some((r) => r.locationId === l.id));
        },
        600_000,
      );
      const cpu0 = procs.map((p) => cpuMs(p.pid));
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const t1 = Date.now();
      const cpu1 = procs.map((p) => cpuMs(p.pid));
      const done = (await bed.runs()).filter(
        (r) => r.endedAt !== undefined && r.startedAt >= t0 && r.endedAt <= t1 && r.outcome === 'ok',
      );
      for (const r of done) for (const [k, v] of Object.entries(r.requests ?? {})) (requests[k] ??= []).push(v);
      const cpu = cpu1.reduce((a, c, i) => a + c - cpu0[i]!, 0);
      const row: FleetBenchRow = {
        workers: w,
        runs: done.length,
        seconds: (t1 - t0) / 1000,
        perHour: Math.round((done.length * 3600_000) / (t1 - t0)),
        meanRunMs: done.length ? Math.round(done.reduce((a, r) => a + (r.endedAt! - r.startedAt), 0) / done.length) : 0,
        cpuMsPerRun: done.length ? Math.round(cpu / done.length) : 0,
      };
      rows.push(row);
      log(fleetRowLine(row));
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
    }
    const requestsPerRun = Object.fromEntries(
      Object.entries(requests).map(([k, v]) => [k, Math.round(v.reduce((a, x) => a + x, 0) / v.length)]),
    );
    const apiMs = Math.max(
      0,
      ...Object.entries(requestsPerRun)
        .filter(([k]) => k in LIMITS)
        .map(([k, n]) => leastTimeMs(k as Api, n, 1)),
    );
    const cores = Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 1);
    const cpuPerRun = Math.min(...rows.filter((r) => r.cpuMsPerRun > 0).map((r) => r.cpuMsPerRun));
    const daily = Math.min(
      ...Object.entries(requestsPerRun)
        .filter(([k, n]) => k in LIMITS && n > 0)
        .map(([k, n]) => Math.floor(LIMITS[k as Api].daily / n)),
    );
    return {
      dailyBoundPerLocation: daily,
      locations,
      contacts,
      scale,
      cores,
      rows,
      requestsPerRun,
      apiBoundRunSeconds: apiMs / 1000,
      apiBoundPerLocationPerHour: apiMs > 0 ? Math.floor(3600_000 / apiMs) : Infinity,
      cpuBoundPerHour: Number.isFinite(cpuPerRun) ? Math.round((cores * 3600_000) / cpuPerRun) : 0,
    };
  } finally {
    await bed.close();
  }
}

export function fleetRowLine(r: FleetBenchRow): string {
  return `  ${r.workers} worker(s): ${r.runs} full syncs in ${r.seconds.toFixed(0)} s = ${r.perHour.toLocaleString('en')} per hour; a run ${r.meanRunMs} ms, ${r.cpuMsPerRun} ms CPU in the worker`;
}

export function fleetBlock(f: FleetBenchReport): string[] {
  const req = Object.entries(f.requestsPerRun)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `Scenario 7 — a fleet of workers: ${f.locations} locations of ${f.contacts} people, every run a full re-read, sandboxes' rate windows ×${f.scale}, ${f.cores} cores`,
    ...f.rows.map(fleetRowLine),
    `  One full run makes ${req} requests. At the real limits (${Object.values(LIMITS)
      .map((l) => l.note)
      .join(
        '; ',
      )}) it needs at least ${f.apiBoundRunSeconds.toFixed(1)} s of API time: ≤ ${f.apiBoundPerLocationPerHour.toLocaleString('en')} full syncs per hour per location, × ${f.locations} locations = ${(f.apiBoundPerLocationPerHour * f.locations).toLocaleString('en')} per hour for this fleet (the limits are per location, so they add up).`,
    `  The daily budgets allow ${f.dailyBoundPerLocation.toLocaleString('en')} full syncs per location per day (one every ${((24 * 60) / f.dailyBoundPerLocation).toFixed(1)} min) — the real bound for a steady schedule; incremental runs (change feeds) cost far fewer requests.`,
    `  This machine's bound: ${f.cores} cores ÷ the CPU of a run ≈ ${f.cpuBoundPerHour.toLocaleString('en')} per hour (workers' CPU only; the sandboxes and PostgreSQL share the same cores).`,
  ];
}
