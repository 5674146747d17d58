/**
 * What the three systems hold, counted through the sandboxes' admin (not through our clients), and the audit rows
 * a cycle wrote in our profile: the inputs of the minimum-calls formulas.
 */
import type { Db } from '../../main/store/db.js';
import type { Admin } from './admin.js';
import type { AuditRow } from './minimum.js';

export interface DataCounts {
  ghlContacts: number;
  /** GHL contacts with a LinkedIn URL in the mapped custom field (the Aimfox pair's scope). */
  ghlWithLinkedin: number;
  /** Contacts holding the same email as another (true duplicates the world seeds, or twins we made). */
  ghlDuplicateEmails: number;
  /** Every task of the location's contacts, and the open ones (what the task search pages through). */
  ghlTasks: number;
  ghlOpenTasks: number;
  /** The location's calendars (appointments are read a calendar and a window at a time). */
  ghlCalendars: number;
  arofloClients: number;
  arofloContacts: number;
  arofloTasks: number;
  arofloClientNotes: number;
  arofloDuplicateEmails: number;
  aimfoxLeads: number;
  aimfoxLabels: string[];
  /** AroFlo's own count of calls against its daily budget (lastupdate excluded). */
  arofloDailyUsed: number;
  arofloDailyLimit: number;
}

const dupes = (emails: Array<unknown>): number => {
  const seen = new Map<string, number>();
  for (const e of emails)
    if (typeof e === 'string' && e.trim())
      seen.set(e.trim().toLowerCase(), (seen.get(e.trim().toLowerCase()) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).length;
};

export async function countData(admin: Admin, linkedinFieldId: string): Promise<DataCounts> {
  const [g, gTasks, clients, contacts, tasks, notes, leads, labels, usage, calendars] = await Promise.all([
    admin.call<{ contacts: Array<Record<string, unknown>> }>('ghl', 'GET', '/contacts'),
    admin.call<{ tasks: Array<{ completed: boolean }> }>('ghl', 'GET', '/tasks'),
    admin.call<Array<{ email: string; archived?: boolean }>>('aroflo', 'GET', '/clients?includeArchived=false'),
    admin.call<Array<{ email: string; archived: boolean }>>('aroflo', 'GET', '/contacts'),
    admin.call<Array<{ status: string; clientid: string }>>('aroflo', 'GET', '/tasks'),
    admin.call<unknown[]>('aroflo', 'GET', '/clientnotes'),
    admin.call<{ leads: unknown[] }>('aimfox', 'GET', '/leads'),
    admin.call<{ labels: Array<{ name: string }> }>('aimfox', 'GET', '/labels'),
    admin.call<{ dailyUsed: number; dailyLimit: number }>('aroflo', 'GET', '/usage'),
    admin.call<{ calendars: unknown[] }>('ghl', 'GET', '/calendars'),
  ]);
  const liveContacts = contacts.filter((c) => !c.archived);
  return {
    ghlContacts: g.contacts.length,
    ghlWithLinkedin: g.contacts.filter((c) =>
      (c.customFields as Array<{ id: string; value: unknown }> | undefined)?.some(
        (f) => f.id === linkedinFieldId && !!f.value,
      ),
    ).length,
    ghlDuplicateEmails: dupes(g.contacts.map((c) => c.email)),
    ghlTasks: gTasks.tasks.length,
    ghlOpenTasks: gTasks.tasks.filter((t) => !t.completed).length,
    ghlCalendars: calendars.calendars.length,
    arofloClients: clients.length,
    arofloContacts: liveContacts.length,
    arofloTasks: tasks.length,
    arofloClientNotes: notes.length,
    arofloDuplicateEmails: dupes([...clients.map((c) => c.email), ...liveContacts.map((c) => c.email)]),
    aimfoxLeads: leads.leads.length,
    aimfoxLabels: labels.labels.map((l) => l.name.toLowerCase()),
    arofloDailyUsed: usage.dailyUsed,
    arofloDailyLimit: usage.dailyLimit,
  };
}

export function auditRows(db: Db, runId: string): AuditRow[] {
  return db
    .prepare(`select system, entity, action, record_id, field, before, after from audit where run_id = ?`)
    .all(runId) as AuditRow[];
}
