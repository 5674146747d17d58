/**
 * HighLevel appointments become notes (main/sync/README.md, "Appointments to notes"): an appointment of a linked
 * contact is written as one note on the linked AroFlo client (HighLevel ⇄ AroFlo) and on the linked Aimfox lead
 * (HighLevel → Aimfox) — title, start–end in the business's time zone, status — and that same note is edited when the
 * appointment is rescheduled or cancelled. It is an entity of its own, 'appointment', planned, guarded, sent through
 * the outbox and linked like any other: the link holds the appointment id (ghl_id) and the note id (other_id), so a
 * re-run, a crash between the write and its confirmation, or a second machine on the same profile never adds a second
 * note. One way only: the note's own edits are never read back (its footer says so).
 *
 * How appointments are read (main/sync/README.md, "Appointments to notes"): through the calendars API where the
 * sign-in holds its scopes (main/connectors/ghl/README.md, "Calendars") — a full run lists every calendar's events over
 * APPOINTMENT_WINDOW, every incremental run those from a day back, so a new appointment on an unchanged contact is
 * seen on the next run. Otherwise `GET /contacts/{id}/appointments`, which the contacts scope covers: a full run reads
 * the appointments of every linked contact; an incremental run those of the contacts this pair's contact read
 * reported changed, plus every contact with an appointment note whose appointment has not ended, or ended within a
 * day (so a reschedule, a cancel or a late status of a current appointment is seen on the next run).
 */
import { eventWindows, type GhlAppointment } from '../../connectors/ghl/index.js';
import type { PairId } from '../../domain/index.js';
import type { Store } from '../../store/repositories.js';
import type { RunContext } from '../context.js';
import { ConnectorError } from '../../connectors/shared/errors.js';
import { canonInstant } from '../fields/canonical.js';
import type { EntitySide, FetchResult, SideRecord, WriteResult } from '../engine/types.js';
import type { EntityConfig } from '../engine/planner.js';
import type { RunEnv } from '../sides/env.js';
import type { WiredEntity } from '../engine/run.js';
import { lazySet } from './lazy-set.js';

export const APPOINTMENT_ENTITY = 'appointment' as const;

/** One field, `body`: the note text, written from HighLevel only; a link is only ever unlinked, never deleted. */
export const APPOINTMENT_CONFIG: EntityConfig = {
  fields: [
    { key: 'body', direction: 'to_other', conflictDefault: 'prefer_ghl', kind: 'scalar', emptyNeverBlanks: true },
  ],
  deletePolicy: 'unlink',
  createTo: { other: true, ghl: false },
  updateTo: { other: true, ghl: false },
};

export const APPOINTMENT_LABELS: Record<string, string> = { body: 'Appointment note' };

const STATUS: Record<string, string> = {
  new: 'new',
  booked: 'booked',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  showed: 'showed',
  noshow: 'no-show',
  invalid: 'invalid',
};

export const NOTE_FOOTER =
  'Kept up to date by GHL Bridge from HighLevel: edit the appointment in HighLevel; edits made to this note are not copied back.';

/** An appointment's time as an instant: HighLevel's zone-less "YYYY-MM-DD HH:mm:ss" is the location's wall clock. */
function instantOf(v: string | null, locationZone: string): number | undefined {
  const iso = canonInstant(v, locationZone);
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function fmt(ms: number, timeZone: string, parts: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat('en-AU', { timeZone, ...parts }).format(ms);
}

/**
 * The note text for one appointment: title, start–end in `timeZone` (the pair's business time zone), status, the
 * appointment's id (what a person can look it up by) and the one-way footer.
 */
export function appointmentNoteText(a: GhlAppointment, zones: { location: string; display: string }): string {
  const start = instantOf(a.startTime, zones.location);
  const end = instantOf(a.endTime, zones.location);
  const tz = zones.display;
  const dayAndTime: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  const timeOnly: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  let when: string;
  if (start === undefined) when = a.startTime ?? 'no time given';
  else if (end === undefined) when = fmt(start, tz, dayAndTime);
  else {
    const sameDay = fmt(start, tz, { dateStyle: 'short' }) === fmt(end, tz, { dateStyle: 'short' });
    when = `${fmt(start, tz, dayAndTime)} – ${fmt(end, tz, sameDay ? timeOnly : dayAndTime)}`;
  }
  const raw = (a.appointmentStatus ?? a.status ?? 'booked').trim().toLowerCase();
  const status = STATUS[raw] ?? raw;
  const lines = [
    `Appointment: ${a.title?.trim() || 'Untitled appointment'}`,
    `When: ${when} (${tz})`,
    `Status: ${status}`,
  ];
  if (a.address?.trim()) lines.push(`Where: ${a.address.trim()}`);
  lines.push('', `HighLevel appointment ${a.id}. ${NOTE_FOOTER}`);
  return lines.join('\n');
}

export function appointmentRecord(a: GhlAppointment, contactId: string, zones: { location: string; display: string }) {
  const body = appointmentNoteText(a, zones);
  return {
    id: a.id,
    parentId: a.contactId ?? contactId,
    fields: { body },
    label: `Appointment "${a.title?.trim() || 'Untitled appointment'}"`,
  } satisfies SideRecord;
}

/**
 * One read of a contact's appointments per run, shared by both pairs (each pair reads the same contact's list
 * otherwise: twice the calls for the same answer).
 */
const runReads = new WeakMap<object, Map<string, ReturnType<GhlClientLike['listAppointments']>>>();
type GhlClientLike = RunContext['ghl']['client'];
function appointmentsOf(run: RunContext['ghl'], contactId: string): ReturnType<GhlClientLike['listAppointments']> {
  let m = runReads.get(run);
  if (!m) runReads.set(run, (m = new Map()));
  let p = m.get(contactId);
  if (!p) {
    p = run.client.listAppointments(contactId);
    // A failed read is not kept: the next asker tries again.
    p.catch(() => m.delete(contactId));
    m.set(contactId, p);
  }
  return p;
}

/** How long after its end an appointment's contact is still re-read on every run (a late status: showed, no-show). */
const RECENT_MS = 86_400_000;
const endsFeed = (pair: PairId) => `${pair}:appointment-ends`;
function readEnds(store: Store, pair: PairId): Map<string, number> {
  try {
    const o = JSON.parse(store.feeds.cursor('ghl', endsFeed(pair)) ?? '{}') as Record<string, unknown>;
    return new Map(Object.entries(o).filter((e): e is [string, number] => Number.isFinite(e[1])));
  } catch {
    return new Map();
  }
}
function writeEnds(store: Store, pair: PairId, ends: ReadonlyMap<string, number>): void {
  store.feeds.setCursor('ghl', endsFeed(pair), JSON.stringify(Object.fromEntries(ends)));
}

const nothing = (cursor: string): FetchResult => ({ records: [], rejected: [], complete: false, cursor });

/**
 * The window the calendar read covers (main/sync/README.md, "Appointments to notes"): a full read lists every
 * calendar's events from `pastMs` back to `aheadMs` ahead (current and recent appointments, what an admin wants as
 * notes); every incremental run lists them from `recentMs` back (a late "showed" / "no-show") to `recentAheadMs` ahead
 * — one calendar-events window (GHL_CALENDAR_EVENTS) per calendar, so a sync costs 1 + calendars calls; an
 * appointment booked further ahead on a contact nothing else changed on is seen once it is within that reach.
 */
export const APPOINTMENT_WINDOW = {
  pastMs: 365 * RECENT_MS,
  aheadMs: 365 * RECENT_MS,
  recentMs: RECENT_MS,
  recentAheadMs: 88 * RECENT_MS,
} as const;

/** Clients whose token may not use the calendars API (answered scope / not found / 4xx): appointments per contact. */
const calendarRefused = new WeakMap<GhlClientLike, { kind: string; message: string }>();

/** Why this client reads appointments one contact at a time, if it does (main/service/connections.ts shows it). */
export const calendarReadRefused = (client: GhlClientLike): { kind: string; message: string } | undefined =>
  calendarRefused.get(client);

const cannotUseCalendars = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError && (e.kind === 'scope' || e.kind === 'not_found' || e.kind === 'rejected');

type ByContact = Map<string, Map<string, GhlAppointment>>;

/** Every calendar's events starting in [from, to], grouped by contact (both pairs of a run share one read). */
const calendarRunReads = new WeakMap<object, Map<string, Promise<ByContact>>>();
function calendarEvents(run: RunContext['ghl'], key: string, from: number, to: number): Promise<ByContact> {
  let m = calendarRunReads.get(run);
  if (!m) calendarRunReads.set(run, (m = new Map()));
  let p = m.get(key);
  if (!p) {
    p = (async () => {
      const out: ByContact = new Map();
      const calendars = await run.client.listCalendars();
      // Every calendar's windows at once: the client's pacer keeps them within HighLevel's rate limits.
      const pages = await Promise.all(
        calendars.items.flatMap((c) =>
          eventWindows(from, to).map((w) => run.client.listCalendarEvents({ calendarId: c.id, ...w })),
        ),
      );
      for (const page of pages)
        for (const a of page.items) {
          if (!a.contactId) continue;
          let l = out.get(a.contactId);
          if (!l) out.set(a.contactId, (l = new Map()));
          l.set(a.id, a);
        }
      return out;
    })();
    p.catch(() => m.delete(key));
    m.set(key, p);
  }
  return p;
}

/**
 * HighLevel's side: the appointments of the contacts in scope, each as a record whose one field is the note text.
 * Never complete: a contact not read this run says nothing of its appointments, and an appointment HighLevel deleted
 * (rather than cancelled) leaves its note as last written.
 *
 * Read through the calendars API where the token may (main/connectors/ghl/README.md, "Calendars"): a full read lists
 * every calendar's events over APPOINTMENT_WINDOW (1 + calendars × windows calls, whatever the number of contacts); an
 * incremental one lists them from a day back to the window's end (so a new appointment on a contact nothing else
 * changed on is seen on the next run), and reads per contact only the contacts the run's contact read reported and
 * those with an appointment note beyond the window's end. Refused (no `calendars/events.readonly`, or another 4xx):
 * per contact as before, for the client's lifetime, and the Connections screen says so.
 */
export function ghlAppointmentSide(
  ctx: Pick<RunContext, 'ghl' | 'location' | 'store' | 'now' | 'dryRun'> & { logger?: RunContext['logger'] },
  pair: PairId,
  contacts: () => string[],
  env: RunEnv,
  parentEntity: 'contact' | 'lead' = 'contact',
): EntitySide {
  const byId = new Map<string, SideRecord>();
  // When each linked appointment ends (ms), as last read: kept in the profile's feed state beside the pair's cursors.
  const ends = readEnds(ctx.store, pair);
  let endsChanged = false;
  const zones = async () => {
    const e = await env.ready();
    // Not caught: a location that cannot be read fails the run (every note written in the wrong zone would be
    // rewritten back on the next run); a token without the location scope is answered by LocationReads itself.
    const loc = await ctx.location.read();
    return { location: loc?.timezone ?? e.timeZone, display: e.timeZone };
  };
  const take = (a: GhlAppointment, contactId: string, z: { location: string; display: string }): SideRecord => {
    const end = instantOf(a.endTime, z.location) ?? instantOf(a.startTime, z.location);
    if (end !== undefined && ends.get(a.id) !== end) {
      ends.set(a.id, end);
      endsChanged = true;
    }
    const rec = appointmentRecord(a, contactId, z);
    byId.set(rec.id, rec);
    return rec;
  };
  const readContacts = async (ids: string[]): Promise<SideRecord[]> => {
    const z = await zones();
    const out: SideRecord[] = [];
    for (const id of [...new Set(ids)]) {
      let list: Awaited<ReturnType<typeof ctx.ghl.client.listAppointments>>;
      try {
        list = await appointmentsOf(ctx.ghl, id);
      } catch (e) {
        // A contact deleted since (its appointment notes are left as last written; contact sync handles the contact).
        if (e instanceof ConnectorError && e.kind === 'not_found') continue;
        throw e;
      }
      for (const a of list.items) out.push(take(a, id, z));
    }
    return out;
  };
  const saveEnds = (records: SideRecord[]) => {
    if (!endsChanged || ctx.dryRun) return;
    const linked = new Set(ctx.store.links.active(pair, APPOINTMENT_ENTITY).map((l) => l.ghl_id));
    for (const r of records) linked.add(r.id);
    writeEnds(ctx.store, pair, new Map([...ends].filter(([k]) => linked.has(k))));
    endsChanged = false;
  };
  // The contacts read (every one on a full run, the changed ones otherwise), and those with an appointment note whose
  // appointment has not ended (or ended within a day, or whose end is not known yet): those may still move or be
  // cancelled. An appointment long over is left to the full re-read (main/sync/README.md).
  const perContact = async () => {
    const ids = new Set(contacts());
    const since = ctx.now() - RECENT_MS;
    for (const l of ctx.store.links.active(pair, APPOINTMENT_ENTITY)) {
      const end = l.ghl_id ? ends.get(l.ghl_id) : undefined;
      if (l.ghl_parent && (end === undefined || end >= since)) ids.add(l.ghl_parent);
    }
    const records = await readContacts([...ids]);
    saveEnds(records);
    return { ...nothing('appointments'), records };
  };
  /** Through the calendars API; undefined when the token may not use it (then per contact, and said once). */
  const viaCalendars = async (full: boolean): Promise<FetchResult | undefined> => {
    const client = ctx.ghl.client;
    if (calendarRefused.has(client)) return undefined;
    const now = ctx.now();
    const from = now - (full ? APPOINTMENT_WINDOW.pastMs : APPOINTMENT_WINDOW.recentMs);
    const to = now + (full ? APPOINTMENT_WINDOW.aheadMs : APPOINTMENT_WINDOW.recentAheadMs);
    let events: ByContact;
    try {
      events = await calendarEvents(ctx.ghl, full ? 'full' : 'recent', from, to);
    } catch (e) {
      if (!cannotUseCalendars(e)) throw e;
      calendarRefused.set(client, { kind: e.kind, message: e.message });
      ctx.logger?.warn(
        e.kind === 'scope'
          ? `HighLevel appointments are read one contact at a time: the sign-in lacks 'calendars/events.readonly' (${e.message}). Sign in again to grant it.`
          : `HighLevel appointments are read one contact at a time: HighLevel refused its calendars API (${e.message}).`,
      );
      return undefined;
    }
    const z = await zones();
    // Kept to the contacts in scope: those the contact read returned, and (an incremental read returns only the
    // changed ones) those linked in this pair; an appointment of anyone else has no record to hold its note.
    const inScope = new Set(contacts());
    const linked = (cid: string) =>
      inScope.has(cid) || ctx.store.links.byGhl(pair, parentEntity, cid)?.state === 'active';
    const records: SideRecord[] = [];
    for (const [cid, list] of events) if (linked(cid)) for (const a of list.values()) records.push(take(a, cid, z));
    if (!full) {
      // Per contact still: the changed contacts (a newly linked person's older appointments, a change to one long
      // over) and the contacts with an appointment note beyond the full window's end (no calendar read reaches it).
      // One between the incremental reach and the window's end waits until it comes within reach (or its contact
      // changes): re-reading those per contact every sync would cost more than the calendar windows it saves.
      const seen = new Set(records.map((r) => r.id));
      const ids = new Set(inScope);
      const beyond = now + APPOINTMENT_WINDOW.aheadMs;
      for (const l of ctx.store.links.active(pair, APPOINTMENT_ENTITY)) {
        const end = l.ghl_id ? ends.get(l.ghl_id) : undefined;
        if (l.ghl_parent && end !== undefined && end > beyond) ids.add(l.ghl_parent);
      }
      for (const r of await readContacts([...ids])) if (!seen.has(r.id)) records.push(r);
    }
    saveEnds(records);
    return { ...nothing('appointments'), records };
  };
  return {
    system: 'ghl',
    entity: APPOINTMENT_ENTITY,
    canCreate: false,
    fetchChanged: async () => (await viaCalendars(false)) ?? perContact(),
    fetchAll: async () => (await viaCalendars(true)) ?? perContact(),
    async getMany(ids) {
      const out = new Map<string, SideRecord | null>();
      const parents = new Set<string>();
      for (const id of ids) {
        if (byId.has(id)) continue;
        const p = ctx.store.links.byGhl(pair, APPOINTMENT_ENTITY, id)?.ghl_parent;
        if (p) parents.add(p);
      }
      if (parents.size) await readContacts([...parents]);
      for (const id of ids) out.set(id, byId.get(id) ?? null);
      return out;
    },
    create: async (items) => items.map((): WriteResult => ({ ok: false, error: new Error('read only') })),
    update: async (items) => items.map((it): WriteResult => ({ ok: true, record: it.current })),
    remove: async (items) => items.map((): WriteResult => ({ ok: false, error: new Error('read only') })),
    findCreated: async () => undefined,
  };
}

/**
 * The other system's side: its note side, writing notes for appointments, listing nothing (the notes are written
 * from HighLevel only; a note is read back by id only, before it is edited).
 */
export function appointmentNoteSide(notes: EntitySide): EntitySide {
  return {
    ...notes,
    entity: APPOINTMENT_ENTITY,
    fetchAll: async () => nothing('appointments'),
    fetchChanged: async () => nothing('appointments'),
  };
}

/**
 * The notes appointments made in the other system: note sync leaves them out, so an appointment note never becomes
 * a HighLevel note (nor is it taken for a person's note).
 */
export function appointmentNoteIds(store: Store, pair: PairId): ReadonlySet<string> {
  return lazySet(
    () =>
      new Set(
        store.links
          .active(pair, APPOINTMENT_ENTITY)
          .map((l) => l.other_id)
          .filter((x): x is string => !!x),
      ),
  );
}

/** Two sets read as one (each filled when first asked). */
export function unionOf(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  return lazySet(() => new Set([...a, ...b]));
}

/**
 * An appointment note whose contact is now linked to another record than the one the note was written on (the
 * contact was relinked): its link is dropped, so the run writes the note again under the contact's counterpart now.
 * The old note stays where it is, as last written (note sync leaves it out by its footer).
 */
function dropMovedParents(store: Store, pair: PairId, parentEntity: 'contact' | 'lead'): void {
  for (const l of store.links.active(pair, APPOINTMENT_ENTITY)) {
    if (!l.ghl_parent || !l.other_parent) continue;
    const parent = store.links.byGhl(pair, parentEntity, l.ghl_parent);
    if (parent?.state === 'active' && parent.other_id && noteHolder(parent.other_id) !== noteHolder(l.other_parent))
      store.links.update(l.id, { state: 'unlinked' });
  }
}

/**
 * The record a note is written on: an AroFlo note sits on the client, whether the contact is the residential client
 * ("client:<clientid>") or one of a business's people ("contact:<clientid>:<userid>", main/sync/sides/aroflo.ts); an
 * Aimfox note on the lead itself.
 */
function noteHolder(otherId: string): string {
  return /^(?:client|contact):([^:]+)/.exec(otherId)?.[1] ?? otherId;
}

/** The appointment entity of one pair: HighLevel's appointments of linked contacts, written as notes by `notes`. */
export function appointmentEntity(
  ctx: RunContext,
  pair: PairId,
  parentEntity: 'contact' | 'lead',
  notes: EntitySide,
  env: RunEnv,
  contacts: () => string[],
): WiredEntity {
  if (!ctx.dryRun) dropMovedParents(ctx.store, pair, parentEntity);
  return {
    wiring: {
      pair,
      entity: APPOINTMENT_ENTITY,
      ghl: ghlAppointmentSide(ctx, pair, contacts, env, parentEntity),
      other: appointmentNoteSide(notes),
      matchable: false,
      parentEntity,
    },
    config: APPOINTMENT_CONFIG,
    fieldLabels: APPOINTMENT_LABELS,
    cursorName: `${pair}:appointment-notes`,
  };
}

/** Whether a record is a note the bridge wrote for an appointment (its text carries the one-way footer). */
export function isAppointmentNote(r: SideRecord): boolean {
  return Object.values(r.fields).some((v) => typeof v === 'string' && v.includes(NOTE_FOOTER));
}

/**
 * A note side that never lists an appointment note, linked or not: a note written just before a crash, its link
 * never made (and the setting switched off since, so no run recovers it), is still not a person's note for note sync
 * or the notes-to-tasks rule to carry into HighLevel.
 */
export function withoutAppointmentNotes(side: EntitySide): EntitySide {
  const drop = (r: FetchResult): FetchResult => ({ ...r, records: r.records.filter((x) => !isAppointmentNote(x)) });
  return {
    ...side,
    fetchAll: async () => drop(await side.fetchAll()),
    fetchChanged: async (cursor) => drop(await side.fetchChanged(cursor)),
  };
}
