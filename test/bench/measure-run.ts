/**
 * One sync cycle, measured: wall time, our process's CPU, calls per API and endpoint (sandbox stats, the ground
 * truth), 429s, and a step-by-step split (one step per progress phase of the engine: reading an entity, planning,
 * writing an entity, the activity feed after the run) so the time can be set against what each API's rate limit
 * allows in that step.
 */
import { performance } from 'node:perf_hooks';
import type { RunSummary } from '../../preload/contract.js';
import type { Service } from '../../main/service/index.js';
import type { RunRequest } from '../../main/service/sync.js';
import { APIS, statsDiff, type Admin, type Api, type StatsSnap } from './admin.js';
import { steadyTimeMs } from './ceilings.js';

export interface StepFigures {
  name: string;
  ms: number;
  calls: Record<Api, number>;
  /** The least time the busiest API's limit allows for this step's calls (steady ceiling). */
  boundMs: number;
  boundBy?: Api;
}

export interface RunFigures {
  label: string;
  ms: number;
  cpuMs: number;
  calls: Record<Api, StatsSnap>;
  steps: StepFigures[];
  summary?: RunSummary;
  /** Σ over steps of the time the rate limits force; compare with ms. */
  boundMs: number;
}

interface Mark {
  name: string;
  t: number;
  snap: Promise<Record<Api, StatsSnap>>;
}

/** A real sync cycle (the same call "Sync now" makes). */
export function measureRun(
  svc: Service,
  admin: Admin,
  scale: number,
  label: string,
  req: Partial<RunRequest>,
): Promise<RunFigures> {
  return measure(
    svc,
    admin,
    scale,
    label,
    async () => (await svc.sync.execute({ trigger: 'cli', dryRun: false, ...req })).summary,
  );
}

export async function measure(
  svc: Service,
  admin: Admin,
  scale: number,
  label: string,
  action: () => Promise<RunSummary | undefined>,
): Promise<RunFigures> {
  const marks: Mark[] = [];
  const mark = (name: string) => {
    const prev = marks[marks.length - 1];
    if (prev?.name === name) return;
    marks.push({ name, t: performance.now(), snap: admin.stats() });
  };
  mark('start');
  const off = svc.subscribe((e) => {
    if (e.type !== 'progress') return;
    const p = e.progress;
    if (p.phase === 'done') mark('after the run (activity feed, bookkeeping)');
    else mark(p.phase === 'planning' ? 'planning' : `${p.phase}: ${p.message ?? ''}`.trim());
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let summary: RunSummary | undefined;
  try {
    summary = await action();
  } finally {
    off();
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const end = { name: 'end', t: performance.now(), snap: admin.stats() };
  const all = [...marks, end];
  const snaps = await Promise.all(all.map((m) => m.snap));
  const steps: StepFigures[] = [];
  for (let i = 0; i < all.length - 1; i++) {
    const d = statsDiff(snaps[i]!, snaps[i + 1]!);
    const calls = { ghl: d.ghl.requests, aroflo: d.aroflo.requests, aimfox: d.aimfox.requests };
    let boundMs = 0;
    let boundBy: Api | undefined;
    for (const api of APIS) {
      const b = steadyTimeMs(api, calls[api], scale);
      if (b > boundMs) [boundMs, boundBy] = [b, api];
    }
    steps.push({
      name: all[i]!.name === 'start' ? 'before reading (outbox, wiring)' : all[i]!.name,
      ms: all[i + 1]!.t - all[i]!.t,
      calls,
      boundMs,
      boundBy,
    });
  }
  return {
    label,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    calls: statsDiff(snaps[0]!, snaps[snaps.length - 1]!),
    steps,
    summary,
    boundMs: steps.reduce((a, s) => a + s.boundMs, 0),
  };
}
