/**
 * `ghl-bridge record <email|id> [--json] [--sync]`: one record as the record page shows it (its links side by side,
 * current values read live, the values last synced, its history, the bridge's writes, conflicts and check findings);
 * `--sync` first runs "Sync this record now" (a run scoped to it, under the same run lock as any sync).
 */
import type { CommandSpec } from '../cli.js';
import type { RecordView } from '../../preload/contract.js';
import { openService, print, printJson } from './common.js';
import { jsonSummary, printSummary } from './sync.js';
import { localTime } from './words.js';

const SYSTEM: Record<string, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const PAIR: Record<string, string> = { 'ghl-aroflo': 'HighLevel ⇄ AroFlo', 'ghl-aimfox': 'HighLevel → Aimfox' };
const show = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

function printRecord(r: RecordView): void {
  print(`${r.label} (${r.entity}, record ${r.key})`);
  print(r.readAt ? `Current values read live at ${localTime(r.readAt)}.` : (r.offline ?? ''));
  for (const f of r.findings) print(`! ${f.message}`);
  for (const l of r.links) {
    const other = SYSTEM[l.other.system] ?? l.other.system;
    const asOf = (s: RecordView['links'][number]['ghl']) =>
      s.source === 'live'
        ? 'live'
        : s.source === 'mirror'
          ? `as of ${localTime(s.readAt)}`
          : s.source === 'gone'
            ? 'no longer there'
            : 'not read';
    print('');
    print(`${l.entity} · ${PAIR[l.pair] ?? l.pair}: ${l.label}`);
    print(
      `  HighLevel ${show(l.ghl.id)} (${asOf(l.ghl)}) · ${other} ${show(l.other.id)} (${asOf(l.other)}) · last synced ${localTime(l.syncedAt)}`,
    );
    for (const f of l.fields) {
      const mark = (c: boolean) => (c ? ' *' : '');
      print(
        `  ${f.label}: HighLevel ${show(f.ghl.current)}${mark(f.changed.ghl)} (synced ${show(f.ghl.base)}) · ${other} ${show(f.other.current)}${mark(f.changed.other)} (synced ${show(f.other.base)})`,
      );
    }
  }
  const open = r.conflicts.filter((c) => c.status === 'open');
  print('');
  print(open.length ? 'Open conflicts:' : 'No open conflicts.');
  for (const c of open) print(`  ${c.kind} ${c.id}: ${c.fields.join(', ')}`);
  print(r.writes.length ? 'Writes by the bridge (newest first):' : 'The bridge has not written this record.');
  for (const w of r.writes.slice(0, 20))
    print(
      `  ${localTime(w.at)} ${SYSTEM[w.system] ?? w.system} ${w.action} ${w.entity} — ${w.outcome}${w.fields.length ? `: ${w.fields.map((f) => `${f.field} ${show(f.before)} → ${show(f.after)}`).join('; ')}` : ''}${w.error ? ` (${w.error})` : ''}`,
    );
  if (r.history.length)
    print(
      `Field history: ${r.history.length} change(s); the newest: ${r.history[0]!.field} ${show(r.history[0]!.before)} → ${show(r.history[0]!.after)}`,
    );
  print('* = changed since the last sync');
}

export const record: CommandSpec = {
  summary: 'show one record in every system (by email, name, phone or any ID); --sync syncs just that record',
  usage: 'ghl-bridge record <email|name|phone|id> [--sync] [--json] [--profile DIR]',
  options: { json: { type: 'boolean' }, sync: { type: 'boolean' } },
  async run({ values, positionals }) {
    const q = positionals.join(' ').trim();
    if (!q) {
      process.stderr.write('Say which record: ghl-bridge record <email|name|phone|id>\n');
      return 2;
    }
    const svc = await openService(values, {}, values.sync ? 'change' : 'read');
    try {
      let found = await svc.api.getRecord({ q });
      if (!found.record) {
        if (values.json) printJson(found);
        else if (!found.matches.length) print(`No linked record matches "${q}".`);
        else {
          print(`${found.matches.length} records match "${q}"; name one by its record number:`);
          for (const m of found.matches)
            print(`  ${m.key}  ${m.label} (${m.entity}, ${PAIR[m.pair] ?? m.pair}) ${m.ids.join(', ')}`);
        }
        return 1;
      }
      let run;
      if (values.sync) {
        run = await svc.api.syncRecord({ key: found.record.key });
        found = await svc.api.getRecord({ q: found.record.key });
      }
      if (values.json) printJson({ ...(run ? { run: jsonSummary(run) } : {}), record: found.record });
      else {
        if (run) printSummary(run);
        printRecord(found.record!);
      }
      return run?.status === 'failed' ? 1 : 0;
    } finally {
      await svc.close();
    }
  },
};
