/**
 * Aimfox as EntitySides: leads (linked to GHL contacts by LinkedIn profile, created by adding the profile to the
 * chosen campaign's audience, with the GHL contact id kept as a campaign custom variable), their labels (GHL tags),
 * and lead notes (GHL notes). Aimfox has no change feed and 60 requests a minute, so a side is only listed when the
 * mapping lets Aimfox changes flow back; otherwise it is read only where a write needs it.
 * Lead note ids are "<leadId>/<noteId>".
 */
import { ConnectorError } from '../../connectors/shared/errors.js';
import {
  normalizePublicIdentifier,
  type AimfoxClient,
  type AimfoxLead,
  type AimfoxNote,
} from '../../connectors/aimfox/index.js';
import { formatSet, parseSet } from '../engine/merge.js';
import type { EntitySide, FetchResult, Fields, SideRecord, WriteResult } from '../engine/types.js';
import type { RunEnv } from './env.js';
import type { MappedFields } from './mapped.js';
import { dateMs, email, fullName, noteText, text } from './normalize.js';
import { fail, ok, oneByOne, skipped } from './results.js';
import { identicalSince } from './made-since.js';

const isNotFound = (e: unknown) => e instanceof ConnectorError && e.kind === 'not_found';
/** A removal whose record is already gone is done. */
const goneIsDone = (e: unknown, it: { id: string; label: string }): WriteResult =>
  isNotFound(e) ? ok({ id: it.id, fields: {}, label: it.label }) : fail(e);
const EMPTY: FetchResult = { records: [], rejected: [], complete: false, cursor: 'none' };

export function aimfoxLeadRecord(l: AimfoxLead, view?: MappedFields): SideRecord {
  const mapped = view?.read(l);
  return {
    id: l.id,
    fields: mapped?.fields ?? { labels: formatSet(l.labels.map((x) => x.name)) },
    ...(mapped?.warnings ? { warnings: mapped.warnings } : {}),
    label: l.fullName ?? fullName(text(l.firstName ?? null), text(l.lastName ?? null), l.publicIdentifier),
    email: email(l.email ?? null),
    altKey: normalizePublicIdentifier(l.publicIdentifier),
  };
}

/** Labels by name, created on first use; one listing per run. */
class LabelCache {
  private byName?: Map<string, { id: string; name: string }>;
  constructor(private readonly client: AimfoxClient) {}
  /** The workspace label for a name (matched case-insensitively): its id and its name as Aimfox spells it. */
  async ref(name: string): Promise<{ id: string; name: string }> {
    if (!this.byName)
      this.byName = new Map(
        (await this.client.listLabels()).items.map((l) => [l.name.toLowerCase(), { id: l.id, name: l.name }]),
      );
    const hit = this.byName.get(name.toLowerCase());
    if (hit) return hit;
    const created = await this.client.findOrCreateLabel(name);
    const ref = { id: created.id, name: created.name };
    this.byName.set(name.toLowerCase(), ref);
    return ref;
  }
}

/**
 * Aimfox leads. With the pair's mapping (`view`; README.md in this folder, "Fields from the mapping") the lead's fields
 * are read through the field catalogue; the labels are the one lead field Aimfox lets the bridge write
 * (main/sync/fields/README.md, "Aimfox"), written under the key of the field pair that maps them.
 */
export function aimfoxLeadSide(
  client: AimfoxClient,
  opts: { campaignId?: string; listChanges: boolean },
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const labels = new LabelCache(client);
  const leadRecord = (l: AimfoxLead) => aimfoxLeadRecord(l, view);
  /** The key of the field pair that maps the labels (resolved once the run's env is read). */
  const labelsKey = () => (view ? view.keyOf('labels') : 'labels');
  /** The label names a canonical change asks for (through the catalogue when there is a mapping). */
  const wanted = (f: Fields): string[] =>
    view ? (view.write<{ labels?: string[] }>(f, undefined, 'update').labels ?? []) : parseSet(f.labels ?? null);
  const listAll = async (): Promise<FetchResult> => {
    await env?.ready();
    const r = await client.collectLeads();
    return {
      records: r.items.map(leadRecord),
      rejected: r.rejected.map((x) => ({ id: x.id, reason: x.reason, raw: x.raw })),
      complete: true,
      cursor: 'full',
    };
  };
  /** Attach and detach; returns the lead's label names afterwards (as Aimfox spells them). */
  const setLabels = async (leadId: string, want: string[], have: string[]): Promise<string[]> => {
    const w = new Set(want);
    const h = new Set(have);
    const now = new Set(have);
    for (const name of w) {
      if (h.has(name)) continue;
      const ref = await labels.ref(name);
      await client.attachLabel(leadId, ref.id);
      now.add(ref.name);
    }
    for (const name of h) {
      if (w.has(name)) continue;
      await client.detachLabel(leadId, (await labels.ref(name)).id);
      now.delete(name);
    }
    return [...now];
  };
  return {
    system: 'aimfox',
    entity: 'lead',
    canCreate: !!opts.campaignId,
    // The labels are attached one by one after the lead joins the campaign (`create` below).
    async afterCreate() {
      await env?.ready();
      const key = labelsKey();
      return key ? [key] : [];
    },
    fetchAll: listAll,
    async fetchChanged() {
      return opts.listChanges ? { ...(await listAll()), complete: false } : EMPTY;
    },
    async getMany(ids) {
      await env?.ready();
      const out = new Map<string, SideRecord | null>();
      for (const id of ids) {
        try {
          out.set(id, leadRecord(await client.getLead(id)));
        } catch (e) {
          if (isNotFound(e)) out.set(id, null);
          else throw e;
        }
      }
      return out;
    },
    async create(items) {
      if (!opts.campaignId)
        return items.map(() => fail(new Error('Choose the Aimfox campaign new leads are added to (Mappings).')));
      const profiles = items.map((it) => ({
        profileUrl: it.source.context?.profileUrl ?? '',
        customVariables: { ghl_contact_id: it.source.id },
      }));
      let outcomes;
      try {
        outcomes = (await client.addManyToAudience(opts.campaignId, profiles)).outcomes;
      } catch (e) {
        return items.map(() => fail(e));
      }
      const results: WriteResult[] = [];
      for (let i = 0; i < items.length; i++) {
        const it = items[i]!;
        const o = outcomes[i];
        if (!o || o.outcome !== 'added') {
          results.push(
            fail(new Error(o && 'message' in o ? String(o.message) : `Aimfox did not add ${profiles[i]!.profileUrl}`)),
          );
          continue;
        }
        try {
          const leadId = o.entry?.leadId ?? (await findLeadId(client, opts.campaignId, o.publicIdentifier));
          if (!leadId)
            throw new Error(
              `Aimfox added ${o.profileUrl} but did not say which lead it is yet; it will be linked on the next run`,
            );
          await env?.ready();
          const key = labelsKey();
          const names =
            key && key in it.fields ? await setLabels(leadId, wanted({ [key]: it.fields[key] ?? null }), []) : [];
          // No read-back (Aimfox allows 60 calls a minute): the new lead holds what was just attached.
          results.push(
            ok({
              id: leadId,
              fields: key ? { [key]: formatSet(names) } : {},
              label: o.entry?.fullName ?? it.label,
              email: null,
              altKey: normalizePublicIdentifier(o.publicIdentifier),
            }),
          );
        } catch (e) {
          results.push(fail(e));
        }
      }
      return results;
    },
    update: (items) =>
      oneByOne(items, async (it) => {
        // `current` was read fresh just before (read-before-write): the lead now holds it with these labels changed.
        await env?.ready();
        const key = labelsKey();
        if (!key || !(key in it.changes)) return ok(it.current);
        const names = await setLabels(
          it.id,
          wanted({ [key]: it.changes[key] ?? null }),
          parseSet(it.current.fields[key] ?? null),
        );
        return ok({ ...it.current, fields: { ...it.current.fields, [key]: formatSet(names) } });
      }),
    remove: (items) =>
      oneByOne(
        items,
        async (it) => {
          if (!opts.campaignId)
            return skipped(
              { id: it.id, fields: {}, label: it.label },
              'no Aimfox campaign is chosen, so the lead was left where it is and is no longer synced',
            );
          const lead = await client.getLead(it.id);
          await client.removeFromAudience(opts.campaignId, lead.publicIdentifier);
          return ok({ id: it.id, fields: {}, label: it.label });
        },
        goneIsDone,
      ),
    async findCreated(item) {
      if (!opts.campaignId || !item.source.altKey) return undefined;
      const id = await findLeadId(client, opts.campaignId, item.source.altKey);
      await env?.ready();
      return id ? leadRecord(await client.getLead(id)) : undefined;
    },
  };
}

async function findLeadId(
  client: AimfoxClient,
  campaignId: string,
  publicIdentifier: string,
): Promise<string | undefined> {
  const key = normalizePublicIdentifier(publicIdentifier);
  const audience = await client.getAudience(campaignId);
  return audience.items.find((e) => normalizePublicIdentifier(e.publicIdentifier) === key)?.leadId;
}

// ---------------------------------------------------------------- lead notes

const noteRecord = (leadId: string, n: AimfoxNote, view?: MappedFields): SideRecord => {
  const body = noteText(n.text);
  const mapped = view?.read(n);
  return {
    id: `${leadId}/${n.id}`,
    parentId: leadId,
    fields: mapped?.fields ?? { body },
    label: (body ?? '(empty note)').slice(0, 60),
    madeAt: dateMs(n.createdAt),
  };
};

/** A lead's notes; with the pair's mapping (`view`) the text is read and written through the field catalogue. */
export function aimfoxNoteSide(
  client: AimfoxClient,
  opts: { leadIds: () => string[]; listChanges: boolean },
  env?: RunEnv,
  view?: MappedFields,
): EntitySide {
  const noteRec = (leadId: string, n: AimfoxNote) => noteRecord(leadId, n, view);
  const textOf = async (f: Fields, mode: 'create' | 'update'): Promise<string> => {
    if (!view) return f.body ?? '';
    await env?.ready();
    return view.write<{ text?: string }>(f, undefined, mode).text ?? '';
  };
  const listFor = async (leadIds: string[], complete: boolean): Promise<FetchResult> => {
    await env?.ready();
    const records: SideRecord[] = [];
    const rejected: FetchResult['rejected'] = [];
    for (const leadId of leadIds) {
      const r = await client.listNotes(leadId);
      for (const n of r.items) records.push(noteRec(leadId, n));
      // A note that cannot be read is quarantined, and with it in the listing nothing is taken for deleted.
      for (const x of r.rejected)
        rejected.push({ id: x.id ? `${leadId}/${x.id}` : undefined, reason: x.reason, raw: x.raw });
    }
    return { records, rejected, complete, cursor: 'full' };
  };
  const split = (id: string): [string, string] => {
    const i = id.indexOf('/');
    return [id.slice(0, i), id.slice(i + 1)];
  };
  return {
    system: 'aimfox',
    entity: 'note',
    canCreate: true,
    async fetchAll() {
      return opts.listChanges ? listFor(opts.leadIds(), true) : EMPTY;
    },
    async fetchChanged() {
      return opts.listChanges ? listFor(opts.leadIds(), false) : EMPTY;
    },
    async getMany(ids) {
      await env?.ready();
      const out = new Map<string, SideRecord | null>(ids.map((id) => [id, null]));
      const byLead = new Map<string, string[]>();
      for (const id of ids) {
        const [leadId] = split(id);
        byLead.set(leadId, [...(byLead.get(leadId) ?? []), id]);
      }
      for (const [leadId, wanted] of byLead) {
        try {
          const r = await client.listNotes(leadId);
          const notes = r.items.map((n) => noteRec(leadId, n));
          for (const w of wanted) out.set(w, notes.find((n) => n.id === w) ?? null);
          // One that could not be read is left out (not read), not gone; every one not returned, when such a note
          // carries no id to tell.
          const unread = new Set(r.rejected.map((x) => (x.id ? `${leadId}/${x.id}` : undefined)));
          for (const w of wanted)
            if (unread.has(w) || (unread.has(undefined) && !notes.some((n) => n.id === w))) out.delete(w);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      return out;
    },
    create: (items) =>
      oneByOne(items, async (it) =>
        ok(noteRec(it.parentId!, await client.createNote(it.parentId!, await textOf(it.fields, 'create')))),
      ),
    update: (items) =>
      oneByOne(items, async (it) => {
        const [leadId, noteId] = split(it.id);
        return ok(noteRec(leadId, await client.updateNote(leadId, noteId, await textOf(it.changes, 'update'))));
      }),
    remove: (items) =>
      oneByOne(
        items,
        async (it) => {
          const [leadId, noteId] = split(it.id);
          await client.deleteNote(leadId, noteId);
          return ok({ id: it.id, fields: {}, label: it.label });
        },
        goneIsDone,
      ),
    async findCreated(item) {
      // The lead's notes holding exactly the text sent, made since the create went out (README.md in this folder,
      // "Finding an interrupted create"): an older note with the same text is never taken for it.
      if (!item.parentId) return undefined;
      await env?.ready();
      const notes = (await client.listNotes(item.parentId)).items.map((n) => noteRec(item.parentId!, n));
      return identicalSince(notes, item);
    },
  };
}
