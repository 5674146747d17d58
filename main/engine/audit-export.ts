/** The audit log as CSV (RFC 4180): one row per write, field by field. */
import type { SyncRepo } from '../store/sync-repo.js';

const COLUMNS = ['at', 'run', 'trigger', 'system', 'entity', 'record', 'action', 'field', 'before', 'after', 'undone_by'] as const;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // Spreadsheet formula injection: a cell starting with = + - @ is shown as text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(repo: SyncRepo): { csv: string; rows: number } {
  const lines = [COLUMNS.join(',')];
  let rows = 0;
  for (const r of repo.iterateAudit()) {
    rows++;
    lines.push(
      [new Date(r.at as number).toISOString(), r.run_id, r.trigger, r.system, r.entity, r.record_id, r.action, r.field, r.before, r.after, r.undone_by].map(csvCell).join(','),
    );
  }
  return { csv: lines.join('\r\n') + '\r\n', rows };
}
