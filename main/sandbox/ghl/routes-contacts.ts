/**
 * /contacts endpoints on the contact itself (README "Facts: contacts endpoints"): get, update, delete, create, upsert, the
 * deprecated list, search, duplicate lookup, business list.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type IndexDoc } from './contact-index.js';
import { type GhlContext, READ, WRITE, assertLocation, contactFor, q, send } from './context.js';
import { MSG, badRequest, unprocessable } from './errors.js';
import type { DuplicateIdentifier } from './options.js';
import type { ContactPatch, ContactRec } from './records.js';
import { SUCCESS, contactView, createdView } from './render.js';
import { traceId } from './ids.js';
import { parseSearchBody, queryPredicate, runSearch, searchBody } from './search.js';
import { parseContactWrite } from './write-dto.js';

const DEPRECATED_LIST_MAX = 100;
const BUSINESS_LIST_MAX = 100;

function duplicateOf(
  ctx: GhlContext,
  locationId: string,
  order: DuplicateIdentifier[],
  email: unknown,
  phone: unknown,
  exceptId?: string,
) {
  for (const field of order) {
    const rec =
      field === 'email' && typeof email === 'string' && email
        ? ctx.store.findByEmail(locationId, email, exceptId)
        : field === 'phone' && typeof phone === 'string' && phone
          ? ctx.store.findByPhone(locationId, phone, exceptId)
          : undefined;
    if (rec) return { rec, field };
  }
  return undefined;
}

/** The undocumented "duplicate refused" answer (our choice, see README): 400 + meta.contactId of the match. */
function duplicateError(match: { rec: ContactRec; field: DuplicateIdentifier }) {
  const name = [match.rec.firstName, match.rec.lastName].filter(Boolean).join(' ');
  return badRequest(MSG.duplicate, {
    meta: { contactName: name, contactId: match.rec.id, matchingField: match.field },
  });
}

function requiredLocation(request: FastifyRequest): string {
  const locationId = q(request, 'locationId');
  if (!locationId) throw unprocessable(['locationId must be a string', 'locationId should not be empty']);
  assertLocation(request, locationId);
  return locationId;
}

function intParam(request: FastifyRequest, name: string, dflt: number, min: number, max: number): number {
  const raw = q(request, name);
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw unprocessable([`${name} must be a number conforming to the specified constraints`]);
  if (n < min) throw unprocessable([`${name} must not be less than ${min}`]);
  if (n > max) throw unprocessable([`${name} must not be greater than ${max}`]);
  return n;
}

export function contactRoutes(app: FastifyInstance, ctx: GhlContext): void {
  const { store } = ctx;

  app.get('/contacts/:contactId', { config: { guard: READ } }, async (request, reply) => {
    const { contactId } = request.params as { contactId: string };
    return send(reply, 200, { contact: contactView(contactFor(ctx, request, contactId)) });
  });

  app.put('/contacts/:contactId', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId } = request.params as { contactId: string };
    const { patch } = parseContactWrite(request.body, 'update');
    const rec = contactFor(ctx, request, contactId);
    if (!ctx.opts.allowDuplicates) {
      const dup = duplicateOf(ctx, rec.locationId, ctx.opts.uniqueIdentifiers, patch.email, patch.phone, rec.id);
      if (dup) throw duplicateError(dup);
    }
    store.updateContact(rec, patch);
    return send(reply, 200, { ...SUCCESS, contact: contactView(rec) });
  });

  app.delete('/contacts/:contactId', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId } = request.params as { contactId: string };
    const rec = contactFor(ctx, request, contactId);
    store.deleteContact(rec.id);
    return send(reply, 200, { ...SUCCESS });
  });

  app.post('/contacts/', { config: { guard: WRITE } }, async (request, reply) => {
    const { patch, locationId } = parseContactWrite(request.body, 'create');
    assertLocation(request, locationId!);
    if (!ctx.opts.allowDuplicates) {
      const dup = duplicateOf(ctx, locationId!, ctx.opts.uniqueIdentifiers, patch.email, patch.phone);
      if (dup) throw duplicateError(dup);
    }
    const rec = store.createContact(locationId!, patch);
    // [I#64]: a 422 has been seen although the contact was created (opt-in).
    if (ctx.opts.quirk422CreateRate > 0 && ctx.random() < ctx.opts.quirk422CreateRate) {
      throw unprocessable(['Unable to process the contact right now. Please try again.']);
    }
    // 200, not the spec's 201: the recorded live answer [NG create-contact] (README "Answers checked against live recordings").
    return send(reply, 200, { contact: createdView(rec) });
  });

  app.post('/contacts/upsert', { config: { guard: WRITE } }, async (request, reply) => {
    const w = parseContactWrite(request.body, 'upsert');
    const locationId = w.locationId!;
    assertLocation(request, locationId);
    const patch: ContactPatch = w.patch;
    if (ctx.opts.allowDuplicates && w.createNewIfDuplicateAllowed) {
      return send(reply, 200, { new: true, ...SUCCESS, contact: contactView(store.createContact(locationId, patch)) });
    }
    const order: DuplicateIdentifier[] = ctx.opts.allowDuplicates ? ['email', 'phone'] : ctx.opts.uniqueIdentifiers;
    const match = duplicateOf(ctx, locationId, order, patch.email, patch.phone);
    if (!match)
      return send(reply, 200, { new: true, ...SUCCESS, contact: contactView(store.createContact(locationId, patch)) });

    const rec = match.rec;
    delete patch.gender; // silently discarded on an existing contact [I#313]
    // An identifier of lower priority that belongs to another contact is dropped without a word [I#37].
    for (const field of order) {
      if (field === match.field) continue;
      const value = patch[field];
      if (typeof value !== 'string' || !value) continue;
      const other =
        field === 'email' ? store.findByEmail(locationId, value, rec.id) : store.findByPhone(locationId, value, rec.id);
      if (other) delete patch[field];
    }
    // Email equal to one of the additional emails: it becomes the primary and the old primary is lost [I#337].
    if (typeof patch.email === 'string') {
      const lower = patch.email.trim().toLowerCase();
      if (rec.additionalEmails.some((e) => e.toLowerCase() === lower)) {
        patch.additionalEmails = rec.additionalEmails.filter((e) => e.toLowerCase() !== lower);
      }
    }
    store.updateContact(rec, patch);
    return send(reply, 200, { new: false, ...SUCCESS, contact: contactView(rec) });
  });

  // Deprecated list: newest first (dateAdded desc), cursor = startAfter (ms) + startAfterId.
  app.get('/contacts/', { config: { guard: READ } }, async (request, reply) => {
    const locationId = requiredLocation(request);
    const limit = intParam(request, 'limit', 20, 1, DEPRECATED_LIST_MAX);
    const startAfterRaw = q(request, 'startAfter');
    const startAfter = startAfterRaw === undefined || startAfterRaw === '' ? undefined : Number(startAfterRaw);
    if (startAfter !== undefined && !Number.isFinite(startAfter))
      throw unprocessable(['startAfter must be a number conforming to the specified constraints']);
    const startAfterId = q(request, 'startAfterId');
    const query = q(request, 'query');
    const pred = query ? queryPredicate(query) : () => true;

    const idx = store.liveIndex(locationId);
    const arr = idx.sortedBy('dateAdded');
    const start =
      startAfter === undefined ? arr.length - 1 : idx.lowerBound('dateAdded', startAfter, startAfterId ?? '') - 1;
    let before = 0;
    let total = 0;
    if (query) {
      for (let i = 0; i < arr.length; i++) {
        if (!pred(arr[i] as IndexDoc)) continue;
        total++;
        if (i > start) before++;
      }
    } else {
      total = arr.length;
      before = arr.length - 1 - start;
    }
    const page: IndexDoc[] = [];
    let i = start;
    for (; i >= 0 && page.length < limit; i--) if (pred(arr[i] as IndexDoc)) page.push(arr[i] as IndexDoc);
    let more = false;
    for (; i >= 0 && !more; i--) more = pred(arr[i] as IndexDoc);
    const currentPage = Math.floor(before / limit) + 1;
    const last = page.at(-1);
    const meta: Record<string, unknown> = { total, currentPage, prevPage: currentPage > 1 ? currentPage - 1 : null };
    if (last) Object.assign(meta, { startAfter: last.added, startAfterId: last.id });
    if (last && more) {
      const next = new URLSearchParams({
        locationId,
        startAfter: String(last.added),
        startAfterId: last.id,
        limit: String(limit),
        ...(query ? { query } : {}),
      });
      Object.assign(meta, { nextPage: currentPage + 1, nextPageUrl: `${ctx.baseUrl()}/contacts/?${next}` });
    }
    return send(reply, 200, { contacts: page.map((d) => d.item), count: total, meta });
  });

  app.post('/contacts/search', { config: { guard: READ } }, async (request, reply) => {
    const req = parseSearchBody(request.body);
    assertLocation(request, req.locationId);
    const country = store.location(req.locationId)?.country ?? 'US';
    const result = runSearch(req, store.searchIndex(req.locationId), country);
    return reply.code(200).type('application/json; charset=utf-8').send(searchBody(result, traceId()));
  });

  app.get('/contacts/search/duplicate', { config: { guard: READ } }, async (request, reply) => {
    const locationId = requiredLocation(request);
    // A "+" sent unencoded arrives as a space; such a value matches nothing (encode as %2B).
    const email = q(request, 'email');
    const number = q(request, 'number');
    const order: DuplicateIdentifier[] = ctx.opts.allowDuplicates ? ['email', 'phone'] : ctx.opts.uniqueIdentifiers;
    const match = duplicateOf(
      ctx,
      locationId,
      order,
      email && !/\s/.test(email) ? email : undefined,
      number && !/\s/.test(number) ? number : undefined,
    );
    // Live names the match's id field, whatever identifier matched [NG check-duplicate-contact].
    return send(
      reply,
      200,
      match ? { contact: contactView(match.rec), matchingField: 'contactId' } : { contact: null },
    );
  });

  app.get('/contacts/business/:businessId', { config: { guard: READ } }, async (request, reply) => {
    const { businessId } = request.params as { businessId: string };
    const locationId = requiredLocation(request);
    const limit = intParam(request, 'limit', 25, 1, BUSINESS_LIST_MAX);
    const skip = intParam(request, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
    const query = q(request, 'query');
    const pred = query ? queryPredicate(query) : () => true;
    const docs = store
      .liveIndex(locationId)
      .lookup('businessId', businessId)
      .filter(pred)
      .sort((a, b) => b.added - a.added || (a.id < b.id ? 1 : -1));
    return send(reply, 200, { contacts: docs.slice(skip, skip + limit).map((d) => d.item), count: docs.length });
  });
}
