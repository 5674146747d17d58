/**
 * The reads each kind of cycle cannot avoid, from the data (see minimum.ts for the writes):
 *  - a full read lists everything once, at each API's largest page (GHL search 500, AroFlo 500, Aimfox lead
 *    search 20 — FACTS: a live probe got even fewer), and, for HighLevel, lists each contact's tasks and notes:
 *    GHL has no bulk read and no change feed for tasks/notes (FACTS §2), so that is 2 calls per contact;
 *  - an incremental cycle reads only what changed: one GHL search page per 500 changed contacts plus their tasks
 *    and notes, AroFlo's `lastupdate` feed (free of the daily budget) for clients and tasks, the changed records
 *    by id (100 ids per call), client notes by creation time (they have no lastupdate rows), and nothing from
 *    Aimfox (no change feed; nothing flows back from it in the default mapping);
 *  - before overwriting a record it did not just read, the engine reads it fresh (GUIDE §3 read-before-write):
 *    one call per GHL or Aimfox record (no bulk get), 100 ids per AroFlo call.
 */
import type { DataCounts } from './world-data.js';
import type { EditCounts } from './edits.js';
import { pages, type AuditRow, type Term } from './minimum.js';

export const PAGE = { ghl: 500, aroflo: 500, aimfoxLeads: 20, arofloIds: 100 } as const;

export function fullReadTerms(d: DataCounts): Term[] {
  return [
    { api: 'ghl', what: 'contact search pages', calls: pages(d.ghlContacts, PAGE.ghl), formula: `⌈(${d.ghlContacts} contacts + 1) / ${PAGE.ghl}⌉` },
    { api: 'ghl', what: 'task + note list per contact', calls: 2 * d.ghlContacts, formula: `2 × ${d.ghlContacts} (no bulk read, no feed for tasks/notes)` },
    { api: 'aroflo', what: 'client pages (with contacts)', calls: pages(d.arofloClients, PAGE.aroflo), formula: `⌈(${d.arofloClients} + 1) / ${PAGE.aroflo}⌉` },
    { api: 'aroflo', what: 'task pages (with notes)', calls: pages(d.arofloTasks, PAGE.aroflo), formula: `⌈(${d.arofloTasks} + 1) / ${PAGE.aroflo}⌉` },
    { api: 'aroflo', what: 'client note pages', calls: pages(d.arofloClientNotes, PAGE.aroflo), formula: `⌈(${d.arofloClientNotes} + 1) / ${PAGE.aroflo}⌉` },
    { api: 'aimfox', what: 'lead search pages (first-link matching)', calls: pages(d.aimfoxLeads, PAGE.aimfoxLeads), formula: `⌈(${d.aimfoxLeads} + 1) / ${PAGE.aimfoxLeads}⌉` },
  ];
}

export function idleReadTerms(): Term[] {
  return [
    { api: 'ghl', what: 'contact search (changed since the cursor)', calls: 1, formula: '1' },
    { api: 'aroflo', what: 'lastupdate feed: clients, tasks (free)', calls: 2, formula: '2' },
    { api: 'aroflo', what: 'client notes created since the cursor', calls: 1, formula: '1' },
  ];
}

/** Fresh reads before overwriting records the cycle did not read (from what it wrote). */
export function freshReadTerms(rows: AuditRow[], seen: { ghlContacts: Set<string>; arofloClients: Set<string> }): Term[] {
  const upd = rows.filter((r) => r.action === 'update' || r.action === 'archive' || r.action === 'delete');
  const ids = (sys: string, entity: string) => new Set(upd.filter((r) => r.system === sys && r.entity === entity).map((r) => r.record_id ?? ''));
  const ghlRecords = [...ids('ghl', 'contact'), ...ids('ghl', 'task'), ...ids('ghl', 'note')].filter((id) => !seen.ghlContacts.has(id.split('/')[0]!));
  const clients = new Set([...ids('aroflo', 'contact')].map((id) => id.split(':')[1]!).filter((c) => !seen.arofloClients.has(c)));
  const tasks = ids('aroflo', 'task');
  const leads = ids('aimfox', 'lead');
  const out: Term[] = [];
  if (ghlRecords.length) out.push({ api: 'ghl', what: 'fresh read before overwrite', calls: ghlRecords.length, formula: `${ghlRecords.length} × 1` });
  if (clients.size) out.push({ api: 'aroflo', what: 'fresh read of clients before overwrite', calls: Math.ceil(clients.size / PAGE.arofloIds), formula: `⌈${clients.size} / ${PAGE.arofloIds}⌉` });
  if (tasks.size) out.push({ api: 'aroflo', what: 'fresh read of tasks before overwrite', calls: Math.ceil(tasks.size / PAGE.arofloIds), formula: `⌈${tasks.size} / ${PAGE.arofloIds}⌉` });
  if (leads.size) out.push({ api: 'aimfox', what: 'fresh read of leads before overwrite', calls: leads.size, formula: `${leads.size} × 1` });
  return out;
}

export function incrementalReadTerms(e: EditCounts): Term[] {
  const g = e.ghlContactsTouched.length;
  const c = e.arofloClientsTouched.length;
  const out: Term[] = [
    { api: 'ghl', what: 'contact search pages (changed)', calls: pages(g, PAGE.ghl), formula: `⌈(${g} + 1) / ${PAGE.ghl}⌉` },
    { api: 'ghl', what: 'task + note list per changed contact', calls: 2 * g, formula: `2 × ${g}` },
    { api: 'aroflo', what: 'lastupdate feed: clients, tasks (free)', calls: 2, formula: '2' },
    { api: 'aroflo', what: 'client notes created since the cursor', calls: 1, formula: '1' },
  ];
  if (c) out.push({ api: 'aroflo', what: 'changed clients by id', calls: Math.ceil(c / PAGE.arofloIds), formula: `⌈${c} / ${PAGE.arofloIds}⌉` });
  if (e.arofloTasks) out.push({ api: 'aroflo', what: 'changed tasks by id', calls: Math.ceil(e.arofloTasks / PAGE.arofloIds), formula: `⌈${e.arofloTasks} / ${PAGE.arofloIds}⌉` });
  return out;
}
