/**
 * The reads each kind of cycle cannot avoid, from the data (see minimum.ts for the writes):
 *  - a full read lists everything once, at each API's largest page (GHL search 500, AroFlo 500, Aimfox lead
 *    search 20 — and since FACTS §2 says a live server returned fewer than asked, only an empty page ends an Aimfox
 *    listing), and, for HighLevel, lists each contact's tasks and notes: GHL has no bulk read and no change feed
 *    for tasks/notes (FACTS §2), so that is 2 calls per contact; before listing an AroFlo zone it notes where the
 *    zone's lastupdate feed stands (free), so the next cycle reads only what changed;
 *  - the cycle after writing reads back from AroFlo's feed what it wrote (the write answers carry no lastupdate
 *    time, so our own change cannot be told from a person's without reading it: 100 ids per call), and carries the
 *    notes one pair wrote in HighLevel on to the other pair (one note list per such contact);
 *  - an incremental cycle reads only what changed: one GHL search page per 500 changed contacts plus their tasks
 *    and notes, AroFlo's `lastupdate` feed (free of the daily budget) for clients and tasks, the changed records
 *    by id (100 ids per call), client notes by creation time (they have no lastupdate rows), and nothing from
 *    Aimfox (no change feed; nothing flows back from it in the default mapping);
 *  - before overwriting a record it did not just read, the engine reads it fresh (GUIDE §3 read-before-write):
 *    one call per GHL or Aimfox record (no bulk get), 100 ids per AroFlo call.
 */
import { eventWindows } from '../../main/connectors/ghl/calendars.js';
import { GHL_TASK_SEARCH } from '../../main/connectors/ghl/task-search.js';
import { APPOINTMENT_WINDOW } from '../../main/sync/rules/appointment-notes.js';
import { COMPLETED_TASK_PAGES } from '../../main/sync/budget/declared.js';
import type { DataCounts } from './world-data.js';
import type { EditCounts } from './edits.js';
import { pages, type AuditRow, type Term } from './minimum.js';

export const PAGE = {
  ghl: 500,
  ghlTasks: GHL_TASK_SEARCH.maxLimit,
  aroflo: 500,
  aimfoxLeads: 20,
  arofloIds: 100,
} as const;

/** HighLevel's initial sync at 10,000 people before the task search (README "Proof and performance", issue 14). */
export const GHL_INITIAL_BEFORE_TASK_SEARCH = 22_176;

const aimfoxLeadPages = (n: number) => Math.ceil(n / PAGE.aimfoxLeads) + 1;

/** GET /locations/{id}: the business's country and time zone, once per run (main/sync/sides/README.md). */
const LOCATION: Term = {
  api: 'ghl',
  what: 'the location (country, time zone)',
  calls: 1,
  formula: '1 per run (none when the mapping sets both)',
};

/** The windows one calendar's events are read in over a span (GHL_CALENDAR_EVENTS, main/connectors/ghl/README.md). */
const windowsOver = (spanMs: number): number => eventWindows(0, spanMs).length;

/**
 * Appointments (main/sync/README.md, "Appointments to notes"): with `calendars/events.readonly`, the calendar list
 * and each calendar's events over the declared window — a year back to a year ahead — a window at a time; when the
 * scope is refused, one list per contact in scope (the contacts the run reads).
 */
export function appointmentTerm(d: DataCounts, path: 'calendars' | 'per-contact' = 'calendars'): Term {
  if (path === 'per-contact')
    return {
      api: 'ghl',
      what: 'appointment list per contact (calendar scope refused)',
      calls: d.ghlContacts,
      formula: `${d.ghlContacts}`,
    };
  const w = windowsOver(APPOINTMENT_WINDOW.pastMs + APPOINTMENT_WINDOW.aheadMs);
  return {
    api: 'ghl',
    what: 'appointments: calendar list + events per calendar and window',
    calls: 1 + d.ghlCalendars * w,
    formula: `1 + ${d.ghlCalendars} calendars × ${w} windows (calendars/events.readonly)`,
  };
}

/** Every incremental cycle lists each calendar's events from a day back to `recentAheadMs` ahead (new appointments). */
const recentAppointmentTerm = (calendars: number): Term => {
  const w = windowsOver(APPOINTMENT_WINDOW.recentMs + APPOINTMENT_WINDOW.recentAheadMs);
  return {
    api: 'ghl',
    what: 'appointments from a day back: calendar list + events per calendar and window',
    calls: 1 + calendars * w,
    formula: `1 + ${calendars} calendars × ${w} windows`,
  };
};

function ghlFull(d: DataCounts): Term[] {
  return [
    LOCATION,
    {
      api: 'ghl',
      what: 'contact search pages',
      calls: pages(d.ghlContacts, PAGE.ghl),
      formula: `⌈(${d.ghlContacts} contacts + 1) / ${PAGE.ghl}⌉`,
    },
    {
      api: 'ghl',
      what: 'task search pages (the whole location)',
      calls: pages(d.ghlTasks, PAGE.ghlTasks),
      formula: `⌈(${d.ghlTasks} tasks + 1) / ${PAGE.ghlTasks}⌉ (locations/tasks.readonly)`,
    },
    {
      api: 'ghl',
      what: 'note list per contact',
      calls: d.ghlContacts,
      formula: `${d.ghlContacts} (no bulk read of notes in any granted scope, no feed)`,
    },
    appointmentTerm(d),
  ];
}

/** Each incremental cycle re-reads the location's open tasks (main/sync/sides/README.md, "HighLevel tasks"). */
const openTaskTerm = (open: number): Term => ({
  api: 'ghl',
  what: 'open task search pages (edits without a contact change)',
  calls: pages(open, PAGE.ghlTasks),
  formula: `⌈(${open} open tasks + 1) / ${PAGE.ghlTasks}⌉`,
});

/** … and its completed tasks, at most COMPLETED_TASK_PAGES pages (an edit to a completed task has no feed either). */
const completedTaskTerm = (completed: number): Term => ({
  api: 'ghl',
  what: 'completed task search pages (edits without a contact change)',
  calls: Math.min(COMPLETED_TASK_PAGES, pages(completed, PAGE.ghlTasks)),
  formula: `min(${COMPLETED_TASK_PAGES}, ⌈(${completed} completed tasks + 1) / ${PAGE.ghlTasks}⌉)`,
});

/** The task listings every incremental cycle makes, when the backlog counted the tasks. */
const taskListingTerms = (f: FeedBacklog): Term[] => [
  ...(f.ghlOpenTasks !== undefined ? [openTaskTerm(f.ghlOpenTasks)] : []),
  ...(f.ghlCompletedTasks !== undefined ? [completedTaskTerm(f.ghlCompletedTasks)] : []),
];

function arofloFull(d: DataCounts): Term[] {
  return [
    { api: 'aroflo', what: 'lastupdate feed position per zone (free)', calls: 2, formula: 'clients, tasks' },
    {
      api: 'aroflo',
      what: 'client pages (with contacts)',
      calls: pages(d.arofloClients, PAGE.aroflo),
      formula: `⌈(${d.arofloClients} + 1) / ${PAGE.aroflo}⌉`,
    },
    {
      api: 'aroflo',
      what: 'task pages (with notes)',
      calls: pages(d.arofloTasks, PAGE.aroflo),
      formula: `⌈(${d.arofloTasks} + 1) / ${PAGE.aroflo}⌉`,
    },
    {
      api: 'aroflo',
      what: 'client note pages',
      calls: pages(d.arofloClientNotes, PAGE.aroflo),
      formula: `⌈(${d.arofloClientNotes} + 1) / ${PAGE.aroflo}⌉`,
    },
  ];
}

const aimfoxFull = (d: DataCounts): Term => ({
  api: 'aimfox',
  what: 'lead search pages (first-link matching)',
  calls: aimfoxLeadPages(d.aimfoxLeads),
  formula: `⌈${d.aimfoxLeads} / ${PAGE.aimfoxLeads}⌉ + 1 empty page`,
});

/** One full read serving both pairs (a real run). */
export function fullReadTerms(d: DataCounts): Term[] {
  return [...ghlFull(d), ...arofloFull(d), aimfoxFull(d)];
}

/** The two previews are two dry runs, one per pair: the Aimfox one reads GHL contacts again, and the notes of those with a LinkedIn URL. */
export function previewReadTerms(d: DataCounts): Term[] {
  return [
    ...fullReadTerms(d),
    {
      api: 'ghl',
      what: 'Aimfox preview: contact search pages again',
      calls: pages(d.ghlContacts, PAGE.ghl),
      formula: `⌈(${d.ghlContacts} + 1) / ${PAGE.ghl}⌉`,
    },
    {
      api: 'ghl',
      what: 'Aimfox preview: note list per contact with a LinkedIn URL',
      calls: d.ghlWithLinkedin,
      formula: `${d.ghlWithLinkedin}`,
    },
  ];
}

/** The cycle after the initial sync: its own writes come back through AroFlo's feed; notes cross to the other pair. */
export function settleReadTerms(o: {
  crossPairNoteContacts: number;
  arofloClientsWritten: number;
  arofloTasksWritten: number;
  feed?: FeedBacklog;
}): Term[] {
  const out: Term[] = [...idleReadTerms(o.feed)];
  if (o.crossPairNoteContacts)
    out.push({
      api: 'ghl',
      what: 'note lists of lead contacts that got notes from AroFlo (cross-pair)',
      calls: o.crossPairNoteContacts,
      formula: `${o.crossPairNoteContacts}`,
    });
  if (o.arofloClientsWritten)
    out.push({
      api: 'aroflo',
      what: 'clients we wrote (or added notes to), back from the feed',
      calls: Math.ceil(o.arofloClientsWritten / PAGE.arofloIds),
      formula: `⌈${o.arofloClientsWritten} / ${PAGE.arofloIds}⌉`,
    });
  if (o.arofloTasksWritten)
    out.push({
      api: 'aroflo',
      what: 'jobs we wrote, back from the feed',
      calls: Math.ceil(o.arofloTasksWritten / PAGE.arofloIds),
      formula: `⌈${o.arofloTasksWritten} / ${PAGE.arofloIds}⌉`,
    });
  return out;
}

/**
 * What AroFlo's feeds hold for a cycle, counted through the sandbox's admin before it runs: change rows after the
 * bridge's cursors, and client notes AroFlo returns for "created after the day before the cursor" (it filters them
 * by creation date — FACTS §7.5 — so a day of notes is listed again each cycle of that day).
 */
export interface FeedBacklog {
  /** HighLevel's open tasks when the cycle starts (every incremental cycle pages through them). */
  ghlOpenTasks?: number;
  /** … and its completed tasks (every incremental cycle pages through up to COMPLETED_TASK_PAGES of them). */
  ghlCompletedTasks?: number;
  /** HighLevel's calendars (every incremental cycle lists their events from a day back), when appointments sync. */
  ghlCalendars?: number;
  clientRows: number;
  taskRows: number;
  clientNotes: number;
}

export const QUIET_FEED: FeedBacklog = { clientRows: 0, taskRows: 0, clientNotes: 0 };

function feedTerms(f: FeedBacklog): Term[] {
  const lu = pages(f.clientRows, PAGE.aroflo) + pages(f.taskRows, PAGE.aroflo);
  return [
    {
      api: 'aroflo',
      what: 'lastupdate feed pages: clients, tasks (free)',
      calls: lu,
      formula: `⌈(${f.clientRows} + 1) / ${PAGE.aroflo}⌉ + ⌈(${f.taskRows} + 1) / ${PAGE.aroflo}⌉`,
    },
    {
      api: 'aroflo',
      what: 'client notes created since the day before the cursor',
      calls: pages(f.clientNotes, PAGE.aroflo),
      formula: `⌈(${f.clientNotes} + 1) / ${PAGE.aroflo}⌉`,
    },
  ];
}

export function idleReadTerms(f: FeedBacklog = QUIET_FEED): Term[] {
  return [
    LOCATION,
    { api: 'ghl', what: 'contact search (changed since the cursor)', calls: 1, formula: '1' },
    ...taskListingTerms(f),
    ...(f.ghlCalendars !== undefined ? [recentAppointmentTerm(f.ghlCalendars)] : []),
    ...feedTerms(f),
  ];
}

/** Fresh reads before overwriting records the cycle did not read (from what it wrote). */
export function freshReadTerms(
  rows: AuditRow[],
  seen: { ghlContacts: Set<string>; arofloClients: Set<string> },
): Term[] {
  const upd = rows.filter((r) => r.action === 'update' || r.action === 'archive' || r.action === 'delete');
  const ids = (sys: string, entity: string) =>
    new Set(upd.filter((r) => r.system === sys && r.entity === entity).map((r) => r.record_id ?? ''));
  const ghlRecords = [...ids('ghl', 'contact'), ...ids('ghl', 'task'), ...ids('ghl', 'note')].filter(
    (id) => !seen.ghlContacts.has(id.split('/')[0]!),
  );
  const clients = new Set(
    [...ids('aroflo', 'contact')].map((id) => id.split(':')[1]!).filter((c) => !seen.arofloClients.has(c)),
  );
  const tasks = ids('aroflo', 'task');
  const leads = ids('aimfox', 'lead');
  const out: Term[] = [];
  if (ghlRecords.length)
    out.push({
      api: 'ghl',
      what: 'fresh read before overwrite',
      calls: ghlRecords.length,
      formula: `${ghlRecords.length} × 1`,
    });
  if (clients.size)
    out.push({
      api: 'aroflo',
      what: 'fresh read of clients before overwrite',
      calls: Math.ceil(clients.size / PAGE.arofloIds),
      formula: `⌈${clients.size} / ${PAGE.arofloIds}⌉`,
    });
  if (tasks.size)
    out.push({
      api: 'aroflo',
      what: 'fresh read of tasks before overwrite',
      calls: Math.ceil(tasks.size / PAGE.arofloIds),
      formula: `⌈${tasks.size} / ${PAGE.arofloIds}⌉`,
    });
  if (leads.size)
    out.push({
      api: 'aimfox',
      what: 'fresh read of leads before overwrite',
      calls: leads.size,
      formula: `${leads.size} × 1`,
    });
  return out;
}

export function incrementalReadTerms(e: EditCounts, f: FeedBacklog = QUIET_FEED): Term[] {
  const g = e.ghlContactsTouched.length;
  const c = e.arofloClientsTouched.length;
  const out: Term[] = [
    LOCATION,
    {
      api: 'ghl',
      what: 'contact search pages (changed)',
      calls: pages(g, PAGE.ghl),
      formula: `⌈(${g} + 1) / ${PAGE.ghl}⌉`,
    },
    ...(g
      ? [
          {
            api: 'ghl' as const,
            what: 'task search of the changed contacts, 100 ids a call',
            calls: Math.ceil(g / GHL_TASK_SEARCH.maxContactIds),
            formula: `⌈${g} / ${GHL_TASK_SEARCH.maxContactIds}⌉`,
          },
        ]
      : []),
    ...taskListingTerms(f),
    ...(e.ghlTasks
      ? [
          {
            api: 'ghl' as const,
            what: 'tasks completed since the last read: their contacts, 100 ids a call',
            calls: Math.ceil(e.ghlTasks / GHL_TASK_SEARCH.maxContactIds),
            formula: `⌈${e.ghlTasks} / ${GHL_TASK_SEARCH.maxContactIds}⌉ (at most)`,
          },
        ]
      : []),
    { api: 'ghl', what: 'note list per changed contact', calls: g, formula: `${g}` },
    ...(f.ghlCalendars !== undefined
      ? [
          recentAppointmentTerm(f.ghlCalendars),
          { api: 'ghl' as const, what: 'appointment list per changed contact', calls: g, formula: `${g}` },
        ]
      : []),
    ...feedTerms(f),
  ];
  if (c)
    out.push({
      api: 'aroflo',
      what: 'changed clients by id',
      calls: Math.ceil(c / PAGE.arofloIds),
      formula: `⌈${c} / ${PAGE.arofloIds}⌉`,
    });
  if (e.arofloTasks)
    out.push({
      api: 'aroflo',
      what: 'changed tasks by id',
      calls: Math.ceil(e.arofloTasks / PAGE.arofloIds),
      formula: `⌈${e.arofloTasks} / ${PAGE.arofloIds}⌉`,
    });
  return out;
}
