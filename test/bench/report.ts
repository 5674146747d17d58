/**
 * The printed table: one block per scenario, each target beside its figure and a verdict.
 */
import { APIS, type Api } from './admin.js';
import { ceilingPerSecond, LIMITS } from './ceilings.js';
import { throughput } from './throughput.js';
import type { Cycle, WorldReport } from './world-bench.js';

const NAME: Record<Api, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const n = (x: number) => Math.round(x).toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const ratio = (used: number, min: number) => (min ? `${(used / min).toFixed(2)}×` : used ? '∞' : '—');
const pad = (cells: string[], widths = [34, 14, 14, 14]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i] ?? 14))).join('');
const head = () => pad(['', ...APIS.map((a) => NAME[a])]);

export const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? '  ✓ met' : '  ✗ not met');

export function limitsLine(scale: number): string {
  return `Rate limits: ${APIS.map((a) => `${NAME[a]} ${LIMITS[a].note}`).join('; ')} — every window divided by ${scale} (×${scale} time scale) for the sandboxes and our clients alike. Ceilings at this scale: ${APIS.map((a) => `${NAME[a]} ${ceilingPerSecond(a, scale).toFixed(0)}/s`).join(', ')}.`;
}

export function callsRatio(c: Cycle): Record<Api, number | undefined> {
  return Object.fromEntries(APIS.map((a) => [a, c.minimum[a] ? c.figures.calls[a].requests / c.minimum[a] : undefined])) as Record<Api, number | undefined>;
}

export function cycleBlock(title: string, c: Cycle, scale: number, opts: { targetCalls?: number; throughput?: boolean } = {}): string[] {
  const f = c.figures;
  const lines = [title, head()];
  lines.push(pad(['calls used', ...APIS.map((a) => n(f.calls[a].requests))]));
  lines.push(pad(['minimum the data allows', ...APIS.map((a) => n(c.minimum[a]))]));
  const r = callsRatio(c);
  lines.push(pad(['used / minimum', ...APIS.map((a) => ratio(f.calls[a].requests, c.minimum[a]))]) + (opts.targetCalls ? `   target ≤ ${opts.targetCalls}×${verdict(APIS.every((a) => (r[a] ?? (f.calls[a].requests ? Infinity : 0)) <= opts.targetCalls!))}` : ''));
  lines.push(pad(['429s received', ...APIS.map((a) => n(f.calls[a].rateLimited))]) + `   target 0${verdict(APIS.every((a) => f.calls[a].rateLimited === 0))}`);
  if (opts.throughput) {
    const t = throughput(f, scale);
    lines.push(pad(['rate in the steps it bounds (/s)', ...APIS.map((a) => (t.perApi[a].busyMs ? t.perApi[a].perSecond.toFixed(1) : '—'))]));
    lines.push(pad(['  … of its ceiling', ...APIS.map((a) => (t.perApi[a].ofCeiling === undefined ? '—' : `${(t.perApi[a].ofCeiling * 100).toFixed(0)} %`))]) + `   target ≥ 90 %${verdict(APIS.every((a) => (t.perApi[a].ofCeiling ?? 1) >= 0.9))}`);
    lines.push(`  wall time ${s(f.ms)}; the rate limits alone force ${s(f.boundMs)} → ${(t.boundShare * 100).toFixed(0)} % of the time was spent at an API's ceiling; our CPU ${s(f.cpuMs)}`);
  } else {
    lines.push(`  wall time ${s(f.ms)}; our CPU ${s(f.cpuMs)}`);
  }
  const sum = f.summary;
  if (sum) lines.push(`  outcome: ${sum.status}; created ${fmtCounts(sum.created)}; updated ${fmtCounts(sum.updated)}; conflicts/duplicates ${sum.conflicts}; errors ${sum.errors}`);
  return lines;
}

const fmtCounts = (c: Record<string, number | undefined>) => Object.entries(c).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';

export function termsBlock(c: Cycle): string[] {
  const out: string[] = ['  minimum, term by term:'];
  for (const api of APIS) {
    const ts = c.terms.filter((t) => t.api === api);
    if (!ts.length) continue;
    out.push(`    ${NAME[api]}: ${ts.map((t) => `${t.what} ${n(t.calls)} [${t.formula}]`).join('; ')}`);
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
  L.push(...cycleBlock('1a. Preview (the dry run a new user reviews before the first sync; reads everything)', w.preview, w.scale, { targetCalls: 1.05, throughput: true }));
  L.push(...cycleBlock('1b. Initial sync from a fresh profile (GHL ⇄ AroFlo, GHL → Aimfox)', w.initial, w.scale, { targetCalls: 1.05, throughput: true }));
  if (verbose) L.push(...termsBlock(w.initial));
  const used = w.initial.figures.calls.aroflo.requests;
  L.push(`  AroFlo daily budget: the initial sync used ${n(used)} of ${n(w.arofloDailyLimit)} (${((100 * used) / w.arofloDailyLimit).toFixed(1)} %); AroFlo's own counter after all cycles (lastupdate free): ${n(w.arofloDailyUsed)}`);
  L.push(`  twins: GHL emails held twice ${w.before.ghlDuplicateEmails} → ${w.afterInitial.ghlDuplicateEmails} (the world seeds true duplicates); AroFlo ${w.before.arofloDuplicateEmails} → ${w.afterInitial.arofloDuplicateEmails}`);
  L.push(...cycleBlock('1c. Settling cycle (what the initial sync carries across pairs)', w.settle, w.scale));
  if (verbose) L.push(...termsBlock(w.settle));
  L.push(...cycleBlock('2. Idle cycle (nothing changed)', w.idle, w.scale));
  const idleOk = APIS.every((a) => idleCalls(w, a) <= w.entities[a]);
  L.push(pad(['  calls that count (AroFlo: not lastupdate)', ...APIS.map((a) => n(idleCalls(w, a)))]));
  L.push(pad(['  entities synced', ...APIS.map((a) => n(w.entities[a]))]) + `   target: at most one call per entity per system${verdict(idleOk)}`);
  if (verbose) L.push(...termsBlock(w.idle));
  const e = w.edits;
  L.push(...cycleBlock(`3. Incremental cycle, 1 % changed on each side (HighLevel: ${e.ghlContacts} names, ${e.ghlTags} tags, ${e.ghlTasks} task completions; AroFlo: ${e.arofloPeople} people, ${e.arofloTasks} task statuses)`, w.incremental, w.scale, { targetCalls: 1.05 }));
  if (verbose) L.push(...termsBlock(w.incremental));
  if (w.problems.length) L.push('  what the service logged as warnings/errors (first few):', ...w.problems.map((p) => `    ${p}`));
  return L;
}

/** Idle calls that count against the target: AroFlo's lastupdate feed is free. */
export function idleCalls(w: WorldReport, api: Api): number {
  const c = w.idle.figures.calls[api];
  return api === 'aroflo' ? c.requests - (c.byEndpoint['GET lastupdate'] ?? 0) : c.requests;
}
