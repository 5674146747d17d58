/**
 * Scenario 4: what planning costs the engine itself, with no HTTP in the way. A fresh SQLite profile holds
 * 100,000 linked contacts (links, base snapshots and both sides' mirror rows, written through the store's repositories),
 * and two in-memory "remote systems" (MemorySide) hold the same people with 1 % of them changed (half in HighLevel,
 * half in AroFlo). planEntity then plans
 *   - an incremental cycle: each side reports only its changed records (the usual cycle), and
 *   - a full reconcile: each side lists all 100,000 (the periodic cycle that finds deletes).
 * Each is measured in a fresh child process: CPU time (process.cpuUsage) around planEntity, and peak memory — the
 * process's resident size sampled every few ms from a worker thread while planning runs, less what it was just
 * before (the remote systems' own data and the fetched records are inputs, not planner cost); the whole process's
 * peak (resourceUsage maxRSS) is reported too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../main/store/db.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import { mirrorScope, type MirrorInput } from '../../main/store/repositories.js';
import { defaultMapping, entityConfig, entityMapping } from '../../main/sync/engine/mapping.js';
import { FreshReads, planEntity } from '../../main/sync/engine/planner.js';
import type { EntitySide, Fields } from '../../main/sync/engine/types.js';
import { MemorySide } from '../support/memory-side.js';

export interface PlanFigures {
  mode: 'incremental' | 'full';
  links: number;
  changed: number;
  cpuMs: number;
  wallMs: number;
  /** Peak resident size while planning, above the size just before (MB). */
  peakDeltaMb: number;
  /** The whole process's peak resident size (MB): Node, SQLite, the remote systems' data, inputs, planning. */
  processPeakMb: number;
  ops: Record<string, number>;
  freshReads: number;
}

export interface PlannerReport {
  links: number;
  buildMs: number;
  dbMb: number;
  /** Each mode measured `repeat` times in fresh processes: the median run of each (the machine may be shared). */
  runs: PlanFigures[];
  all: PlanFigures[];
  repeat: number;
}

const PAIR = 'ghl-aroflo' as const;
const person = (i: number): Fields => ({
  firstName: `First${i}`,
  lastName: `Last${i}`,
  email: `person${i}@example.com`,
  phone: `+6141${String(i).padStart(7, '0')}`,
});
const label = (f: Fields) => `${f.firstName} ${f.lastName}`;

/** The profile: `n` linked contacts with their bases and both sides' mirror rows. */
export function buildState(path: string, n: number): void {
  const db = openDatabase(path);
  const store = openSqliteStore(db);
  const g: MirrorInput[] = [];
  const o: MirrorInput[] = [];
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      const f = person(i);
      const id = store.links.insert({
        pair: PAIR,
        entity: 'contact',
        ghl_id: `ghl-${i}`,
        other_id: `aroflo-${i}`,
        ghl_parent: null,
        other_parent: null,
        other_kind: 'client',
        label: label(f),
      });
      store.bases.set(id, { ghl: f, other: f }, 'bench-build');
      g.push({ id: `ghl-${i}`, label: label(f), fields: f, email: f.email, phone: f.phone });
      o.push({ id: `aroflo-${i}`, label: label(f), fields: f, email: f.email, phone: f.phone });
    }
  })(); // (better-sqlite3's transaction() returns the function to run: without the call nothing was written)
  store.mirror.put(mirrorScope(PAIR, 'contact', 'ghl'), g);
  store.mirror.put(mirrorScope(PAIR, 'contact', 'aroflo'), o);
  db.close();
}

/** Peak RSS sampled from another thread (the main thread is busy planning). */
function rssSampler(): { stop(): Promise<number> } {
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let max = 0, on = true;
     const tick = () => { const r = process.memoryUsage.rss(); if (r > max) max = r; if (on) setTimeout(tick, 2); };
     tick();
     parentPort.on('message', () => { on = false; tick(); parentPort.postMessage(max); });`,
    { eval: true },
  );
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        w.once('message', (max: number) => {
          void w.terminate();
          resolve(max);
        });
        w.postMessage('stop');
      }),
  };
}

async function child(path: string, mode: 'incremental' | 'full', n: number, changedPct: number): Promise<PlanFigures> {
  const db = openDatabase(path);
  const store = openSqliteStore(db);
  const ghl = new MemorySide('ghl', 'contact', 'ghl');
  const other = new MemorySide('aroflo', 'contact', 'aroflo');
  for (let i = 1; i <= n; i++) {
    ghl.add(person(i));
    other.add(person(i));
  }
  // 1 % changed: half edited in HighLevel, half in AroFlo (different people).
  const changed = Math.round((n * changedPct) / 100);
  const step = Math.floor(n / changed);
  for (let k = 0; k < changed; k++) {
    const i = 1 + k * step;
    if (k % 2 === 0) ghl.edit(`ghl-${i}`, { firstName: `Edited${i}` });
    else other.edit(`aroflo-${i}`, { lastName: `Edited${i}` });
  }
  const since = String(n);
  const fetched =
    mode === 'full'
      ? { ghl: await ghl.fetchAll(), other: await other.fetchAll() }
      : { ghl: await ghl.fetchChanged(since), other: await other.fetchChanged(since) };
  const mapping = entityMapping(defaultMapping(PAIR), 'contact')!;
  const wiring = {
    pair: PAIR,
    entity: 'contact' as const,
    ghl: ghl as EntitySide,
    other: other as EntitySide,
    matchable: true,
  };
  const reads = new FreshReads((s) => `${s.system}:${s.entity}`);
  (globalThis as { gc?: () => void }).gc?.();
  const rss0 = process.memoryUsage.rss();
  const sampler = rssSampler();
  await new Promise((r) => setTimeout(r, 20));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const plan = await planEntity({
    wiring,
    config: entityConfig(mapping),
    store,
    fetched,
    reads,
    full: mode === 'full',
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peak = await sampler.stop();
  const ops: Record<string, number> = {};
  for (const op of plan.ops) ops[op.op] = (ops[op.op] ?? 0) + 1;
  db.close();
  return {
    mode,
    links: n,
    changed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    peakDeltaMb: Math.max(0, peak - rss0) / 2 ** 20,
    processPeakMb: process.resourceUsage().maxRSS / 1024,
    ops,
    freshReads: ghl.calls.getMany + other.calls.getMany,
  };
}

function runChild(path: string, mode: 'incremental' | 'full', n: number, changedPct: number): Promise<PlanFigures> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        '--expose-gc',
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--plan-child',
        path,
        mode,
        String(n),
        String(changedPct),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as PlanFigures)
        : reject(new Error(`the planner benchmark process ended with code ${code}`)),
    );
  });
}

const median = (xs: PlanFigures[]): PlanFigures =>
  [...xs].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(xs.length / 2)]!;

export async function runPlannerBench(opts: {
  links: number;
  changedPct?: number;
  repeat?: number;
  log: (s: string) => void;
}): Promise<PlannerReport> {
  const repeat = opts.repeat ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-plan-'));
  const path = join(dir, 'ghl-bridge.db');
  try {
    const t0 = performance.now();
    buildState(path, opts.links);
    const buildMs = performance.now() - t0;
    const { statSync } = await import('node:fs');
    const dbMb = statSync(path).size / 2 ** 20;
    opts.log(
      `  state of ${opts.links.toLocaleString('en')} linked contacts written in ${(buildMs / 1000).toFixed(1)} s (${dbMb.toFixed(0)} MB of SQLite)`,
    );
    const runs: PlanFigures[] = [];
    const all: PlanFigures[] = [];
    for (const mode of ['incremental', 'full'] as const) {
      const rs: PlanFigures[] = [];
      for (let k = 0; k < repeat; k++) rs.push(await runChild(path, mode, opts.links, opts.changedPct ?? 1));
      const r = median(rs);
      opts.log(
        `  ${mode}: CPU ${rs.map((x) => (x.cpuMs / 1000).toFixed(2)).join(' / ')} s (median ${(r.cpuMs / 1000).toFixed(2)}), peak +${r.peakDeltaMb.toFixed(0)} MB (process peak ${r.processPeakMb.toFixed(0)} MB), ops ${JSON.stringify(r.ops)}`,
      );
      runs.push(r);
      all.push(...rs);
    }
    return { links: opts.links, buildMs, dbMb, runs, all, repeat };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--plan-child')) {
  const i = process.argv.indexOf('--plan-child');
  const [path, mode, n, pct] = process.argv.slice(i + 1);
  child(path!, mode as 'incremental' | 'full', Number(n), Number(pct))
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
