/**
 * GhlClient: typed, validated access to a GHL location's contacts (and through `tasks` / `notes`, their tasks and
 * notes). See README.md in this folder for the rules each method keeps.
 */
import { ConnectorError } from '../shared/errors.js';
import { contactBody, type GhlContactCreate, type GhlContactUpdate, type GhlContactUpsert } from './contact-input.js';
import type { GhlAppointment, GhlContact, GhlCustomFieldDef, GhlList, GhlLocation } from './records.js';
import {
  envelopes,
  normalizeAppointment,
  normalizeContact,
  normalizeCustomFieldDef,
  rawAppointmentSchema,
  rawContactSchema,
  rawCustomFieldDefSchema,
  splitItems,
} from './schemas.js';
import {
  advance,
  itemCursor,
  searchBody,
  startCursor,
  type GhlContactFilter,
  type GhlScanCheckpoint,
  type GhlSearchCursor,
  type GhlSearchParams,
} from './search.js';
import { GHL_REQUIRED_SCOPES } from './auth.js';
import { GhlNotes } from './notes.js';
import { GhlTasks } from './tasks.js';
import {
  scanTasks,
  searchTasks,
  type GhlTaskScanOptions,
  type GhlTaskSearchPage,
  type GhlTaskSearchParams,
} from './task-search.js';
import { listCalendarEvents, listCalendars, type GhlCalendar } from './calendars.js';
import { GhlTransport, seg, type GhlBudget, type GhlTransportOptions } from './transport.js';

export interface GhlClientOptions extends GhlTransportOptions {
  /** The sub-account (location) id every call works in. */
  locationId: string;
}

export interface GhlContactPage extends GhlList<GhlContact> {
  /** GHL's total count for the query, when it says. */
  total?: number;
}

export interface GhlDeprecatedPage extends GhlContactPage {
  /** Pass back as `startAfter`/`startAfterId` for the next (older) page; absent on the last page. */
  next?: { startAfter: number; startAfterId: string };
}

export interface GhlSearchPage extends GhlContactPage {
  /** Cursor of the last item on this page (valid or not); pass as `searchAfter` for the next page. */
  nextCursor?: GhlSearchCursor;
  /** How many items GHL returned (items + rejected). */
  received: number;
}

export interface GhlScanOptions {
  /** Resume point from an earlier scan; without it the scan reads every contact. */
  checkpoint?: GhlScanCheckpoint;
  /** Re-read this much before the checkpoint because the search index lags writes. Default 5000 ms. */
  overlapMs?: number;
  /** Items per page, 1..500. Default 100. */
  pageLimit?: number;
  filter?: GhlContactFilter;
  /** Stop after this many pages (a safety bound; the next scan resumes from the checkpoint). */
  maxPages?: number;
}

export interface GhlScanPage extends GhlList<GhlContact> {
  /** Resume point after this page: persist it once the page's items are safely handled. */
  checkpoint?: GhlScanCheckpoint;
}

export interface GhlConnectionInfo {
  /** True when every required permission is there. */
  ok: boolean;
  locationId: string;
  authKind: 'private-integration' | 'oauth';
  /** Scopes granted (OAuth only) and the required ones missing from them. */
  grantedScopes?: string[];
  missingScopes: string[];
  /** Optional scopes the token lacks, found by probing (README "Location task search"): the app works without them. */
  missingOptionalScopes: string[];
  /** Whether the location task search may be used (`locations/tasks.readonly`); without it, tasks are read per contact. */
  taskSearch: boolean;
  /** Number of contacts GHL reports for the location. */
  contactCount?: number;
  customFieldCount?: number;
  budget: GhlBudget;
}

export class GhlClient {
  readonly locationId: string;
  readonly tasks: GhlTasks;
  readonly notes: GhlNotes;
  private readonly t: GhlTransport;

  constructor(opts: GhlClientOptions) {
    if (!opts.locationId) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'config',
        detail: 'no location (sub-account) id',
        message: 'HighLevel is not set up: no sub-account id — sign in again or enter it on the Connections screen.',
      });
    }
    this.locationId = opts.locationId;
    this.t = new GhlTransport(opts);
    this.tasks = new GhlTasks(this.t);
    this.notes = new GhlNotes(this.t);
  }

  /** Remaining budget: pacer windows plus what GHL's headers said. */
  budget(): GhlBudget {
    return this.t.budget();
  }

  get transport(): GhlTransport {
    return this.t;
  }

  /* ------------------------------------------------------------------ contacts */

  async getContact(contactId: string): Promise<GhlContact> {
    const op = 'GET /contacts/{id}';
    const r = await this.t.request(
      { method: 'GET', path: `/contacts/${seg(contactId)}`, operation: op },
      envelopes.contact,
    );
    return normalizeContact(r.contact);
  }

  /**
   * POST /contacts/. Never retried after a server error or timeout (GHL has answered 422/5xx yet created the
   * contact, I#64): the error is raised and the caller's outbox looks the contact up before trying again.
   */
  async createContact(input: GhlContactCreate): Promise<GhlContact> {
    const op = 'POST /contacts/';
    const json = contactBody('create', input, this.locationId);
    const r = await this.t.request(
      { method: 'POST', path: '/contacts/', operation: op, json, idempotent: false },
      envelopes.contact,
    );
    return normalizeContact(r.contact);
  }

  /** PUT /contacts/{id} with whitelisted fields only. Tags are not accepted here (use addTags/removeTags). */
  async updateContact(contactId: string, patch: GhlContactUpdate): Promise<GhlContact> {
    const op = 'PUT /contacts/{id}';
    const json = contactBody('update', patch);
    const r = await this.t.request(
      { method: 'PUT', path: `/contacts/${seg(contactId)}`, operation: op, json },
      envelopes.updated,
    );
    return normalizeContact(r.contact);
  }

  async deleteContact(contactId: string): Promise<void> {
    await this.t.request(
      { method: 'DELETE', path: `/contacts/${seg(contactId)}`, operation: 'DELETE /contacts/{id}' },
      envelopes.deleted,
    );
  }

  /**
   * POST /contacts/upsert, guarded against its silent data loss (README "Facts: upsert"):
   * - `tags` and `gender` are refused (they would replace all tags / be dropped);
   * - when the input has both email and phone, GHL may match the email to contact A and the phone to contact B,
   *   update A and drop the phone without a word (I#37), and an email that equals another contact's additional
   *   email loses data too (I#337). So unless the caller says it has already checked (`verifiedUnique`), the client
   *   looks both up (two GET /contacts/search/duplicate calls) and refuses with `rejected` when they point at
   *   different contacts, or when the email belongs to a contact only as an additional email.
   * Like create, not retried after a server error or timeout.
   */
  async upsertContact(
    input: GhlContactUpsert,
    opts: { verifiedUnique?: boolean } = {},
  ): Promise<{ contact: GhlContact; created: boolean }> {
    const op = 'POST /contacts/upsert';
    const json = contactBody('upsert', input, this.locationId);
    if (input.email && input.phone && !opts.verifiedUnique) {
      const byEmail = await this.findDuplicate({ email: input.email });
      const byPhone = await this.findDuplicate({ phone: input.phone });
      const refuse = (why: string): never => {
        throw new ConnectorError({
          system: 'ghl',
          kind: 'rejected',
          operation: op,
          detail: why,
          message: `HighLevel upsert not sent: ${why} — review it as a possible duplicate instead of merging automatically.`,
        });
      };
      if (byEmail && byPhone && byEmail.id !== byPhone.id)
        refuse(`the email belongs to contact ${byEmail.id} and the phone to contact ${byPhone.id}`);
      if (byEmail && (byEmail.email ?? '').toLowerCase() !== input.email.toLowerCase()) {
        refuse(`the email is an additional email of contact ${byEmail.id}`);
      }
    }
    const r = await this.t.request(
      { method: 'POST', path: '/contacts/upsert', operation: op, json, idempotent: false },
      envelopes.upserted,
    );
    return { contact: normalizeContact(r.contact), created: r.new === true };
  }

  /** GET /contacts/ (deprecated): newest first, limit ≤ 100, paged by startAfter + startAfterId. */
  async listContactsDeprecated(
    p: { limit?: number; startAfter?: number; startAfterId?: string; query?: string } = {},
  ): Promise<GhlDeprecatedPage> {
    const limit = p.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'config',
        operation: 'GET /contacts/',
        detail: `limit must be 1..100, got ${limit}`,
        message: `HighLevel contact list not sent: limit must be 1..100, got ${limit}.`,
      });
    }
    const r = await this.t.request(
      {
        method: 'GET',
        path: '/contacts/',
        operation: 'GET /contacts/',
        searchParams: {
          locationId: this.locationId,
          limit,
          startAfter: p.startAfter,
          startAfterId: p.startAfterId,
          query: p.query,
        },
      },
      envelopes.contactList,
    );
    const page = splitItems(r.contacts, rawContactSchema, normalizeContact);
    const meta = r.meta ?? undefined;
    const startAfter =
      meta?.startAfter !== undefined && meta?.startAfter !== null ? Number(meta.startAfter) : undefined;
    // GHL says whether a next page exists (nextPage / nextPageUrl); without that hint a full page means "maybe".
    const hinted = meta !== undefined && (meta.nextPage !== undefined || meta.nextPageUrl !== undefined);
    const more = hinted
      ? (meta.nextPage !== null && meta.nextPage !== '' && meta.nextPage !== undefined) || !!meta.nextPageUrl
      : r.contacts.length >= limit;
    const next =
      more && meta?.startAfterId && startAfter !== undefined && Number.isFinite(startAfter)
        ? { startAfter, startAfterId: meta.startAfterId }
        : undefined;
    return { ...page, total: r.count ?? meta?.total ?? undefined, ...(next ? { next } : {}) };
  }

  /** One page of POST /contacts/search. */
  async searchContacts(p: GhlSearchParams = {}): Promise<GhlSearchPage> {
    const json = searchBody(this.locationId, p);
    const r = await this.t.request(
      { method: 'POST', path: '/contacts/search', operation: 'POST /contacts/search', json, idempotent: true },
      envelopes.search,
    );
    const page = splitItems(r.contacts, rawContactSchema, normalizeContact);
    const last = r.contacts[r.contacts.length - 1];
    const nextCursor = last === undefined ? undefined : itemCursor(last);
    return { ...page, total: r.total ?? undefined, received: r.contacts.length, ...(nextCursor ? { nextCursor } : {}) };
  }

  /**
   * The change feed: every contact updated since `checkpoint` (minus `overlapMs`), oldest change first, a page at a
   * time. Each page carries the checkpoint to persist once its items are handled; the scan ends on a short page.
   */
  async *scanContacts(o: GhlScanOptions = {}): AsyncGenerator<GhlScanPage, GhlScanCheckpoint | undefined> {
    const pageLimit = o.pageLimit ?? 100;
    let cursor = startCursor(o.checkpoint, o.overlapMs ?? 5_000);
    let checkpoint = o.checkpoint;
    for (let pages = 0; o.maxPages === undefined || pages < o.maxPages; pages++) {
      const page = await this.searchContacts({
        filter: o.filter,
        pageLimit,
        sort: [{ field: 'dateUpdated', direction: 'asc' }],
        ...(cursor ? { searchAfter: cursor } : {}),
      });
      if (page.received === 0) break;
      if (!page.nextCursor) {
        throw new ConnectorError({
          system: 'ghl',
          kind: 'malformed',
          operation: 'POST /contacts/search',
          detail: 'a search page without a usable searchAfter cursor',
        });
      }
      checkpoint = advance(checkpoint, page.nextCursor);
      yield { items: page.items, rejected: page.rejected, ...(checkpoint ? { checkpoint } : {}) };
      if (page.received < pageLimit) break;
      cursor = page.nextCursor;
    }
    return checkpoint;
  }

  /**
   * GET /contacts/search/duplicate: the contact GHL would treat as the same person (the location's duplicate
   * rules: email first, then phone). Undefined when none.
   */
  async findDuplicate(p: { email?: string; phone?: string }): Promise<GhlContact | undefined> {
    const op = 'GET /contacts/search/duplicate';
    if (!p.email && !p.phone) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'config',
        operation: op,
        detail: 'neither email nor phone given',
        message: 'HighLevel duplicate check not sent: it needs an email or a phone.',
      });
    }
    const r = await this.t.request(
      {
        method: 'GET',
        path: '/contacts/search/duplicate',
        operation: op,
        searchParams: { locationId: this.locationId, email: p.email, number: p.phone },
      },
      envelopes.duplicate,
    );
    return r.contact ? normalizeContact(r.contact) : undefined;
  }

  /** GET /contacts/business/{businessId}: the contacts of one business, `limit`/`skip` paging. */
  async getBusinessContacts(
    businessId: string,
    p: { limit?: number; skip?: number; query?: string } = {},
  ): Promise<GhlContactPage & { nextSkip?: number }> {
    const limit = p.limit ?? 25;
    const skip = p.skip ?? 0;
    const r = await this.t.request(
      {
        method: 'GET',
        path: `/contacts/business/${seg(businessId)}`,
        operation: 'GET /contacts/business/{id}',
        searchParams: { locationId: this.locationId, limit, skip, query: p.query },
      },
      envelopes.contactList,
    );
    const page = splitItems(r.contacts, rawContactSchema, normalizeContact);
    const total = r.count ?? undefined;
    const more = r.contacts.length >= limit && (total === undefined || skip + r.contacts.length < total);
    return { ...page, total, ...(more ? { nextSkip: skip + r.contacts.length } : {}) };
  }

  /* ------------------------------------------------------------------ location task search */

  /**
   * One page of POST /locations/{id}/tasks/search (scope `locations/tasks.readonly`; a token without it gets a
   * `scope` ConnectorError). Items that do not fit the schema are in `rejected`, like the other list methods.
   */
  async searchTasks(p: GhlTaskSearchParams): Promise<GhlTaskSearchPage> {
    return searchTasks(this.t, this.locationId, p);
  }

  /** Every page of a task search: the whole location, or the given contacts in batches of many ids a call. */
  scanTasks(o: GhlTaskScanOptions = {}): AsyncGenerator<GhlTaskSearchPage> {
    return scanTasks(this.t, this.locationId, o);
  }

  /* ------------------------------------------------------------------ tags, appointments, custom fields */

  /** POST /contacts/{id}/tags: adds tags, keeps the others. Returns the contact's tags after the change. */
  async addTags(contactId: string, tags: string[]): Promise<string[]> {
    const r = await this.t.request(
      // Adding a tag twice leaves the same result, so a resend is safe.
      {
        method: 'POST',
        path: `/contacts/${seg(contactId)}/tags`,
        operation: 'POST /contacts/{id}/tags',
        json: { tags },
        idempotent: true,
      },
      envelopes.tags,
    );
    return r.tags;
  }

  /** DELETE /contacts/{id}/tags (with a body): removes these tags, keeps the others. */
  async removeTags(contactId: string, tags: string[]): Promise<string[]> {
    const r = await this.t.request(
      {
        method: 'DELETE',
        path: `/contacts/${seg(contactId)}/tags`,
        operation: 'DELETE /contacts/{id}/tags',
        json: { tags },
      },
      envelopes.tags,
    );
    return r.tags;
  }

  /** GET /calendars/?locationId= (scope `calendars.readonly`; README "Calendars"). */
  async listCalendars(): Promise<GhlList<GhlCalendar>> {
    return listCalendars(this.t, this.locationId);
  }

  /**
   * GET /calendars/events (scope `calendars/events.readonly`; README "Calendars"): one calendar's events starting in
   * [startMs, endMs]. A window longer than GHL_CALENDAR_EVENTS.windowMs is the caller's risk (`eventWindows`).
   */
  async listCalendarEvents(p: {
    calendarId: string;
    startMs: number;
    endMs: number;
  }): Promise<GhlList<GhlAppointment>> {
    return listCalendarEvents(this.t, this.locationId, p);
  }

  /** GET /contacts/{id}/appointments. */
  async listAppointments(contactId: string): Promise<GhlList<GhlAppointment>> {
    const r = await this.t.request(
      { method: 'GET', path: `/contacts/${seg(contactId)}/appointments`, operation: 'GET /contacts/{id}/appointments' },
      envelopes.events,
    );
    return splitItems(r.events, rawAppointmentSchema, normalizeAppointment);
  }

  /** GET /locations/{locationId}/customFields (scope locations/customFields.readonly). */
  async listCustomFields(): Promise<GhlList<GhlCustomFieldDef>> {
    const r = await this.t.request(
      {
        method: 'GET',
        path: `/locations/${seg(this.locationId)}/customFields`,
        operation: 'GET /locations/{id}/customFields',
      },
      envelopes.customFields,
    );
    return splitItems(r.customFields, rawCustomFieldDefSchema, normalizeCustomFieldDef);
  }

  /**
   * GET /locations/{locationId} (scope `locations.readonly`, optional): the location's country and time zone. A token
   * without that scope is refused (a `scope` ConnectorError); callers fall back (README "The location").
   */
  async getLocation(): Promise<GhlLocation> {
    const r = await this.t.request(
      { method: 'GET', path: `/locations/${seg(this.locationId)}`, operation: 'GET /locations/{id}' },
      envelopes.location,
    );
    const l = r.location;
    const text = (v: string | null | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    return {
      id: l.id,
      name: text(l.name),
      country: text(l.country)?.toUpperCase() ?? null,
      timezone: text(l.timezone),
    };
  }

  /** The custom field with this name (or field key), case- and space-insensitive. */
  async findCustomField(nameOrKey: string): Promise<GhlCustomFieldDef | undefined> {
    return findCustomFieldByName((await this.listCustomFields()).items, nameOrKey);
  }

  /* ------------------------------------------------------------------ connection */

  /**
   * Prove the credentials work and report what the UI shows. Probes one search result (contacts.readonly), the
   * custom-field list (locations/customFields.readonly) and one task-search item (locations/tasks.readonly, optional,
   * reported in `missingOptionalScopes` / `taskSearch`); a probe refused for lack of permission is reported in
   * `missingScopes` rather than thrown, and OAuth's granted scopes are checked too (contacts.write cannot be probed
   * without writing). Sign-in, network and server failures are thrown as typed errors.
   */
  async testConnection(): Promise<GhlConnectionInfo> {
    const missing = new Set<string>();
    const probe = async <T>(scope: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (e) {
        if (e instanceof ConnectorError && e.kind === 'scope') {
          missing.add(scope);
          return undefined;
        }
        throw e;
      }
    };
    const search = await probe('contacts.readonly', () => this.searchContacts({ pageLimit: 1 }));
    const fields = await probe('locations/customFields.readonly', () => this.listCustomFields());
    // Optional: without it the app reads tasks per contact, so it is reported apart and does not make `ok` false.
    // An answer other than a scope refusal that says "not here" (404, 4xx) also means: read tasks per contact.
    const missingOptional: string[] = [];
    const taskSearch = await this.searchTasks({ limit: 1, skip: 0 }).then(
      () => true,
      (e: unknown) => {
        if (!(e instanceof ConnectorError) || !['scope', 'not_found', 'rejected'].includes(e.kind)) throw e;
        if (e.kind === 'scope') missingOptional.push('locations/tasks.readonly');
        return false;
      },
    );
    const granted = this.t.auth.grantedScopes();
    if (granted) for (const s of GHL_REQUIRED_SCOPES) if (!granted.includes(s)) missing.add(s);
    return {
      ok: missing.size === 0,
      locationId: this.locationId,
      authKind: this.t.auth.kind,
      ...(granted ? { grantedScopes: granted } : {}),
      missingScopes: [...missing],
      missingOptionalScopes: missingOptional,
      taskSearch,
      ...(search?.total !== undefined ? { contactCount: search.total } : {}),
      ...(fields ? { customFieldCount: fields.items.length } : {}),
      budget: this.budget(),
    };
  }
}

/** Pick a custom field by its name or key; names compare without case, spaces, dashes or underscores. */
export function findCustomFieldByName(
  fields: readonly GhlCustomFieldDef[],
  nameOrKey: string,
): GhlCustomFieldDef | undefined {
  const norm = (s: string): string =>
    s
      .toLowerCase()
      .replace(/^contact\./, '')
      .replace(/[\s_-]+/g, '');
  const want = norm(nameOrKey);
  return (
    fields.find((f) => f.id === nameOrKey) ??
    fields.find((f) => f.fieldKey === nameOrKey || f.name === nameOrKey) ??
    fields.find((f) => norm(f.name) === want || (f.fieldKey !== null && norm(f.fieldKey) === want))
  );
}
