/**
 * The audit log as CSV (RFC 4180) an office admin can open in a spreadsheet: one row per field change, with the
 * record's name, the system, the field's label, before and after as plain values, the time in the person's time zone
 * with its offset, and the run. A create (or an undo's delete) is spread into one row per field. Every cell is
 * quoted, a value a spreadsheet would run as a formula is shown as text (see guardFormula), and the file starts with a
 * UTF-8 byte-order mark so Excel reads non-ASCII names right.
 */
import type { EntityKind, PairId, SystemId } from '../../../preload/contract.js';
import type { AuditRepo } from '../../store/repositories.js';

export const AUDIT_COLUMNS = [
  'Time',
  'Run',
  'Started by',
  'System',
  'Record type',
  'Record',
  'Action',
  'Field',
  'Before',
  'After',
  'Note',
  'Undone by run',
  'Record ID',
] as const;

const SYSTEM: Record<string, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const TRIGGER: Record<string, string> = {
  timer: 'schedule',
  manual: 'Sync now',
  cli: 'command line',
  preview: 'preview',
  undo: 'undo',
  resolution: 'conflict decision',
  record: 'Sync this record now',
};
const ACTION: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  archive: 'archived',
  link: 'linked',
  unlink: 'stopped syncing',
};

/** Characters that make a spreadsheet read a cell as a formula, ASCII and full-width (＝＋－＠). */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/** A value that would run as a formula is shown as text: a leading apostrophe (OWASP "CSV injection"). */
export function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** One cell: always quoted (a spreadsheet then never re-reads separators or line breaks inside it), formulas defused. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '""';
  return `"${guardFormula(String(v)).replace(/"/g, '""')}"`;
}

/** A stored value as a person reads it: a list (tags, labels) as "a, b", JSON objects never as JSON. */
export function plainValue(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  const t = v.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed))
        return parsed
          .map((x) =>
            typeof x === 'object' && x !== null ? Object.values(x as Record<string, unknown>).join(' ') : String(x),
          )
          .join(', ');
      if (parsed && typeof parsed === 'object')
        return Object.entries(parsed as Record<string, unknown>)
          .filter(([, x]) => x !== null && x !== '')
          .map(([k, x]) => `${k}: ${String(x)}`)
          .join('; ');
    } catch {
      /* not JSON: the text itself */
    }
  }
  return v;
}

/** "2026-12-04 14:05:12 +11:00": local wall time with its UTC offset, which spreadsheets sort and people read. */
export function localTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${off < 0 ? '-' : '+'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

export type FieldLabeler = (pair: PairId | undefined, entity: EntityKind, field: string) => string | undefined;

function fieldsOf(json: string | null): Array<[string, string | null]> | undefined {
  if (!json) return undefined;
  try {
    const o: unknown = JSON.parse(json);
    return o && typeof o === 'object' && !Array.isArray(o)
      ? Object.entries(o as Record<string, string | null>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function auditCsv(audit: AuditRepo, fieldLabel: FieldLabeler = () => undefined): { csv: string; rows: number } {
  const lines = [AUDIT_COLUMNS.map(csvCell).join(',')];
  let rows = 0;
  const label = (pair: PairId | undefined, entity: EntityKind, f: string) => fieldLabel(pair, entity, f) ?? f;
  for (const r of audit.iterate()) {
    const pair = (r.pair as PairId | null) ?? undefined;
    const entity = r.entity as EntityKind;
    const action = r.action as string;
    const head = [
      localTimestamp(r.at as number),
      r.run_id,
      TRIGGER[r.trigger as string] ?? r.trigger,
      SYSTEM[r.system as SystemId] ?? r.system,
      entity,
      r.record_label ?? '',
    ];
    const tail = [r.undone_by, r.record_id];
    const push = (field: string, before: string | null, after: string | null, note = '') => {
      rows++;
      lines.push(
        [...head, ACTION[action] ?? action, field, plainValue(before), plainValue(after), note, ...tail]
          .map(csvCell)
          .join(','),
      );
    };
    const created = action === 'create' ? fieldsOf(r.after as string | null) : undefined;
    const removed = action === 'delete' || action === 'archive' ? fieldsOf(r.before as string | null) : undefined;
    if (created) for (const [f, v] of created) push(label(pair, entity, f), null, v);
    else if (removed) for (const [f, v] of removed) push(label(pair, entity, f), v, null);
    else if (action === 'link') push('', null, null, `linked to the matching ${SYSTEM.ghl} record`);
    else if (action === 'unlink') push('', null, null, plainValue(r.after as string | null));
    else
      push(r.field ? label(pair, entity, r.field as string) : '', r.before as string | null, r.after as string | null);
  }
  // A byte-order mark first: Excel otherwise reads UTF-8 as the local code page and garbles "Østergaard".
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows };
}
