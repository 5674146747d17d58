/**
 * The printed table: one block per scenario, each target beside its figure and a verdict.
 */
import { GHL_INITIAL_BEFORE_TASK_SEARCH } from './read-terms.js';
import { APIS, type Api } from './admin.js';
import { ceilingPerSecond, LIMITS } from './ceilings.js';
import { throughput } from './throughput.js';
import type { Cycle, WorldReport } from './world-bench.js';
import type { PlanFigures, PlannerReport } from './planner-cost.js';
import type { UiReport } from './ui-conflicts.js';

const NAME: Record<Api, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const n = (x: number) => Math.round(x).toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const ratio = (used: number, min: number) => (min ? `${(used / min).toFixed(2)}×` : used ? '∞' : '—');
const pad = (cells: string[], widths: number[] = [34, 14, 14, 14]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i] ?? 14))).join('');
const head = () => pad(['', ...APIS.map((a) => NAME[a])]);

export const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? '  ✓ met' : '  ✗ not met');

export function limitsLine(scale: number): string {
  return `Rate limits: ${APIS.map((a) => `${NAME[a]} ${LIMITS[a].note}`).join('; ')} — every window divided by ${scale} (×${scale} time scale) for the sandboxes and our clients alike. Ceilings at this scale: ${APIS.map((a) => `${NAME[a]} ${ceilingPerSecond(a, scale).toFixed(0)}/s`).join(', ')}.`;
}

/**
 * The calls a cycle used against what the minimum counts: every request, but for AroFlo not its single-id reads,
 * which count against a secondary 20,000 a day, not the 2,000 (main/sync/README.md, "One read by id, shared"); the
 * minimum counts reads by id 100 to a request, so a cycle that reads a few records one at a time can use less.
 */
export const usedOf = (f: Cycle['figures'], a: Api): number =>
  f.calls[a].requests - (a === 'aroflo' ? (f.calls[a].secondary ?? 0) : 0);

export function callsRatio(c: Cycle): Record<Api, number | undefined> {
  return Object.fromEntries(
    APIS.map((a) => [a, c.minimum[a] ? usedOf(c.figures, a) / c.minimum[a] : undefined]),
  ) as Record<Api, number | undefined>;
}

export function cycleBlock(
  title: string,
  c: Cycle,
  scale: number,
  opts: { targetCalls?: number; throughput?: boolean } = {},
): string[] {
  const f = c.figures;
  const lines = [title, head()];
  lines.push(pad(['calls used', ...APIS.map((a) => n(usedOf(f, a)))]));
  if (f.calls.aroflo.secondary)
    lines.push(pad(['  + single-id reads (20,000 a day)', '—', n(f.calls.aroflo.secondary), '—']));
  lines.push(pad(['minimum the data allows', ...APIS.map((a) => n(c.minimum[a]))]));
  const r = callsRatio(c);
  lines.push(
    pad(['used / minimum', ...APIS.map((a) => ratio(usedOf(f, a), c.minimum[a]))]) +
      (opts.targetCalls
        ? `   target ≤ ${opts.targetCalls}×${verdict(APIS.every((a) => (r[a] ?? (usedOf(f, a) ? Infinity : 0)) <= opts.targetCalls!))}`
        : ''),
  );
  lines.push(
    pad(['429s received', ...APIS.map((a) => n(f.calls[a].rateLimited))]) +
      `   target 0${verdict(APIS.every((a) => f.calls[a].rateLimited === 0))}`,
  );
  if (opts.throughput) {
    const t = throughput(f, scale);
    lines.push(
      pad([
        'rate in the steps it bounds (/s)',
        ...APIS.map((a) => (t.perApi[a].busyMs ? t.perApi[a].perSecond.toFixed(1) : '—')),
      ]),
    );
    lines.push(
      pad([
        '  … of its ceiling',
        ...APIS.map((a) =>
          t.perApi[a].ofCeiling === undefined ? '—' : `${(t.perApi[a].ofCeiling * 100).toFixed(0)} %`,
        ),
      ]) + `   target ≥ 90 %${verdict(APIS.every((a) => (t.perApi[a].ofCeiling ?? 1) >= 0.9))}`,
    );
    lines.push(
      `  wall time ${s(f.ms)}; the rate limits alone force ${s(f.boundMs)} → ${(t.boundShare * 100).toFixed(0)} % of the time was spent at an API's ceiling; our CPU ${s(f.cpuMs)}`,
    );
  } else {
    lines.push(`  wall time ${s(f.ms)}; our CPU ${s(f.cpuMs)}`);
  }
  const sum = f.summary;
  if (sum)
    lines.push(
      `  outcome: ${sum.status}; created ${fmtCounts(sum.created)}; updated ${fmtCounts(sum.updated)}; conflicts/duplicates ${sum.conflicts}; errors ${sum.errors}`,
    );
  return lines;
}

const fmtCounts = (c: Record<string, number | undefined>) =>
  Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ') || 'none';

export function termsBlock(c: Cycle): string[] {
  const out: string[] = ['  minimum, term by term:'];
  for (const api of APIS) {
    const ts = c.terms.filter((t) => t.api === api);
    if (!ts.length) continue;
    out.push(`    ${NAME[api]}: ${ts.map((t) => `${t.what} ${n(t.calls)} [${t.formula}]`).join('; ')}`);
  }
  out.push(
    '  where the time went (step: wall time, calls GHL/AroFlo/Aimfox, least time the busiest API’s limit allows):',
  );
  for (const st of c.figures.steps) {
    if (st.ms < 50 && !APIS.some((a) => st.calls[a])) continue;
    out.push(
      `    ${st.name.padEnd(44)} ${s(st.ms).padStart(8)}  ${APIS.map((a) => n(st.calls[a]))
        .join('/')
        .padStart(14)}  ${st.boundBy ? `${s(st.boundMs)} (${NAME[st.boundBy]})` : ''}`,
    );
  }
  out.push('  used, by endpoint:');
  for (const api of APIS) {
    const e = Object.entries(c.figures.calls[api].byEndpoint);
    if (e.length) out.push(`    ${NAME[api]}: ${e.map(([k, v]) => `${k} ${n(v)}`).join('; ')}`);
  }
  return out;
}

export function worldBlocks(w: WorldReport, verbose: boolean): string[] {
  const L: string[] = [];
  const people = `${n(w.contacts)} people (GHL ${n(w.before.ghlContacts)} contacts; AroFlo ${n(w.before.arofloClients)} clients, ${n(w.before.arofloContacts)} contacts, ${n(w.before.arofloTasks)} tasks, ${n(w.before.arofloClientNotes)} client notes; Aimfox ${n(w.before.aimfoxLeads)} leads)`;
  L.push(`== World of ${people}`);
  L.push(
    ...cycleBlock(
      '1a. Preview (the dry run a new user reviews before the first sync; reads everything)',
      w.preview,
      w.scale,
      { targetCalls: 1.05, throughput: true },
    ),
  );
  L.push(
    ...cycleBlock('1b. Initial sync from a fresh profile (GHL ⇄ AroFlo, GHL → Aimfox)', w.initial, w.scale, {
      targetCalls: 1.05,
      throughput: true,
    }),
  );
  if (verbose) L.push(...termsBlock(w.initial));
  {
    // The minimum over every endpoint the granted scopes allow (tasks through the location task search); at 10,000
    // people, against the 22,176 calls of the per-contact task reads before it (target ≥ 30 % fewer).
    const g = w.initial.figures.calls.ghl.requests;
    const min = w.initial.minimum.ghl;
    const before =
      w.contacts === 10_000
        ? `; before the task search ${n(GHL_INITIAL_BEFORE_TASK_SEARCH)} (${Math.round(100 * (1 - g / GHL_INITIAL_BEFORE_TASK_SEARCH))} % fewer; target ≥ 30 %)`
        : '';
    // Contact updates in an initial sync are the data's own (a created contact is never written again: its source is
    // the plain "GHL Bridge" from the start, main/sync/sides/README.md, "Finding an interrupted create").
    const puts = w.initial.figures.calls.ghl.byEndpoint['PUT /contacts/:contactId'] ?? 0;
    L.push(
      `  HighLevel, initial sync: ${n(g)} calls (${n(puts)} contact updates); minimum over every granted endpoint ${n(min)} (${(g / min).toFixed(2)}×; target ≤ 1.05×)${before}`,
    );
  }
  const used = w.initial.figures.calls.aroflo.requests;
  L.push(
    `  AroFlo daily budget: the initial sync used ${n(used)} of ${n(w.arofloDailyLimit)} (${((100 * used) / w.arofloDailyLimit).toFixed(1)} %); AroFlo's own counter after all cycles (lastupdate free): ${n(w.arofloDailyUsed)}`,
  );
  L.push(
    `  twins: GHL emails held twice ${w.before.ghlDuplicateEmails} → ${w.afterInitial.ghlDuplicateEmails} (the world seeds true duplicates); AroFlo ${w.before.arofloDuplicateEmails} → ${w.afterInitial.arofloDuplicateEmails}`,
  );
  L.push(...cycleBlock('1c. Settling cycle (what the initial sync carries across pairs)', w.settle, w.scale));
  if (verbose) L.push(...termsBlock(w.settle));
  L.push(...cycleBlock('2. Idle cycle (nothing changed)', w.idle, w.scale));
  const idleOk = APIS.every((a) => idleCalls(w, a) <= w.entities[a]);
  L.push(pad(['  calls that count (AroFlo: not lastupdate)', ...APIS.map((a) => n(idleCalls(w, a)))]));
  L.push(
    pad(['  entities synced', ...APIS.map((a) => n(w.entities[a]))]) +
      `   target: at most one call per entity per system${verdict(idleOk)}`,
  );
  if (verbose) L.push(...termsBlock(w.idle));
  const e = w.edits;
  L.push(
    ...cycleBlock(
      `3. Incremental cycle, 1 % changed on each side (HighLevel: ${e.ghlContacts} names, ${e.ghlTags} tags, ${e.ghlTasks} task completions; AroFlo: ${e.arofloPeople} people, ${e.arofloTasks} task statuses)`,
      w.incremental,
      w.scale,
      { targetCalls: 1.05 },
    ),
  );
  if (verbose) L.push(...termsBlock(w.incremental));
  if (w.problems.length)
    L.push('  what the service logged as warnings/errors (first few):', ...w.problems.map((p) => `    ${p}`));
  return L;
}

/** Idle calls that count against the target: AroFlo's lastupdate feed is free. */
export function idleCalls(w: WorldReport, api: Api): number {
  const c = w.idle.figures.calls[api];
  return api === 'aroflo' ? c.requests - (c.byEndpoint['GET lastupdate'] ?? 0) : c.requests;
}

export function plannerBlock(p: PlannerReport): string[] {
  const [inc, full] = [p.runs.find((r) => r.mode === 'incremental'), p.runs.find((r) => r.mode === 'full')];
  const L = [
    `4. Planner cost: ${n(p.links)} linked contacts in SQLite (${p.dbMb.toFixed(0)} MB), ${n(inc?.changed ?? 0)} changed (half in each system), in-memory sides; median of ${p.repeat} fresh processes`,
  ];
  const row = (label: string, f: (r: PlanFigures) => string, target = '') =>
    L.push(pad([label, inc ? f(inc) : '—', full ? f(full) : '—'], [34, 18, 18]) + target);
  L.push(pad(['', 'incremental', 'full reconcile'], [34, 18, 18]));
  row(
    'CPU time to plan',
    (r) => s(r.cpuMs),
    `   target ≤ 2 s${verdict(!!inc && !!full && inc.cpuMs <= 2000 && full.cpuMs <= 2000)}`,
  );
  row(
    'peak memory while planning',
    (r) => `+${r.peakDeltaMb.toFixed(0)} MB`,
    `   target ≤ 300 MB${verdict(!!inc && !!full && inc.peakDeltaMb <= 300 && full.peakDeltaMb <= 300)}`,
  );
  row(
    'whole process at its peak',
    (r) => `${r.processPeakMb.toFixed(0)} MB`,
    '   (Node, SQLite, both systems’ 200,000 records)',
  );
  row(
    'operations planned',
    (r) =>
      Object.entries(r.ops)
        .map(([k, v]) => `${n(v)} ${k}`)
        .join(', ') || 'none',
  );
  row('fresh reads before writing', (r) => n(r.freshReads));
  L.push(`  every run (CPU): ${p.all.map((r) => `${r.mode} ${s(r.cpuMs)}`).join(', ')}`);
  return L;
}

export function uiBlock(u: UiReport): string[] {
  const L = [`5. UI: the Conflicts screen with ${n(u.conflicts)} open conflicts, Chromium over serve mode`];
  if (u.missing) return [...L, `  not measured: ${u.missing}`];
  const t = u.firstLoad;
  L.push(
    `  first render, fresh browser straight on the screen: ${ms(u.firstRenderMs)}   target < 1 s${verdict(u.firstRenderMs < 1000)}`,
  );
  if (t) {
    const js = t.resources.find((r) => r.name.endsWith('.js'));
    const list = t.resources.find((r) => r.name.split('?')[0] === '/api/listConflicts');
    L.push(
      `    of which: page (after the token→cookie redirect) by ${ms(t.documentAt)}; script ${js ? `${js.kb} KB by ${ms(js.end)}` : '?'}; script run by ${ms(t.domContentLoaded)}; first 200 conflicts asked at ${list ? ms(list.start) : '?'}, back at ${list ? ms(list.end) : '?'}; rows on screen at ${ms(u.firstRenderMs)}`,
    );
  }
  L.push(
    `  reload (browser cache warm, median of 3): ${ms(u.reloadRenderMs)}   target < 1 s${verdict(u.reloadRenderMs < 1000)}`,
  );
  L.push(`  opening Conflicts from inside the window: ${ms(u.inAppMs)}   target < 1 s${verdict(u.inAppMs < 1000)}`);
  L.push(
    `  the same screen with ${u.control.conflicts} conflicts: first render ${ms(u.control.firstRenderMs)}, reload ${ms(u.control.reloadRenderMs)} (what the 10,000 add is the difference)`,
  );
  for (const [label, f] of [
    ['steady scroll (1 row a frame)', u.steady],
    ['fling (10 rows a frame)', u.fling],
  ] as const) {
    L.push(
      `  ${label}: ${f.fps.toFixed(0)} fps over ${f.frames} frames; frame p50 ${ms(f.p50Ms)}, p95 ${ms(f.p95Ms)}, worst ${ms(f.maxMs)}; frames over 50 ms: ${f.longFrames}; frames with rows still loading: ${f.placeholderFrames}; rows in the page at most ${f.maxRowsInPage}; pages fetched ${f.listRequests}`,
    );
  }
  return L;
}

const ms = (x: number) => `${Math.round(x)} ms`;
