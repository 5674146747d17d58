/**
 * How the HighLevel task side reads tasks: through the location task search (POST /locations/{id}/tasks/search,
 * main/connectors/ghl/README.md "Location task search") where the token may use it, else one call per contact
 * (README.md in this folder, "HighLevel tasks").
 *
 * - A full read pages through every task of the location (⌈tasks / 100⌉ calls instead of one per contact). A linked
 *   task the pages did not show is looked for once more among its contact's tasks before the engine may take it for
 *   deleted (the search has no documented order, so `skip` paging over a list that changes may skip an item).
 * - An incremental read takes the tasks of the contacts the feed reported (and the carried re-reads) in batches of
 *   many contact ids a call, and re-reads the open tasks of the location in pages, and its completed tasks up to
 *   COMPLETED_TASK_PAGES pages (main/sync/budget/declared.ts): HighLevel has no change feed for tasks, so a title,
 *   due date, body or completion edited with no contact change is seen in the next sync. A linked task the last read
 *   saw open and that is in neither listing was deleted (or skipped by the paging, or beyond the cap): its contact's
 *   tasks are read to tell. Nothing is taken for deleted on an incremental read (the engine's delete rules).
 * - A token without `locations/tasks.readonly` (the search answers 401/403 scope, or 404/4xx): tasks are read per
 *   contact as before, for the client's lifetime; the Connections screen says so (main/service/connections.ts).
 */
import { ConnectorError } from '../../connectors/shared/errors.js';
import { GHL_TASK_SEARCH, type GhlClient, type GhlTask } from '../../connectors/ghl/index.js';
import type { EntitySide, FetchResult, Fields, Rejected, SideRecord } from '../engine/types.js';
import { COMPLETED_TASK_PAGES } from '../budget/declared.js';
import type { RunEnv } from './env.js';
import type { GhlRun } from './ghl.js';

/** What the pair knows of its tasks from earlier runs (the profile's links and mirror). */
export interface TaskKnowledge {
  /** The HighLevel ids ("<contactId>/<taskId>") of the pair's linked tasks. */
  linkedTasks(): string[];
  /** The fields these tasks had when last read or written (missing: never read). */
  lastRead(ids: string[]): Map<string, Fields>;
  /** HighLevel contacts linked in this pair: open tasks of other contacts wait for a full read. */
  linkedContacts(): ReadonlySet<string>;
  /** A line for the app log. */
  warn?(message: string): void;
}

type Reads = Pick<EntitySide, 'fetchAll' | 'fetchChanged' | 'recheck' | 'readChildren'>;

/** Clients whose token may not use the task search (answered scope / not found): tasks are read per contact. */
const refused = new WeakMap<GhlClient, { kind: string; message: string }>();

/** Why this client reads tasks per contact, if it does: `scope` (the sign-in lacks the permission) or another refusal. */
export const taskSearchRefused = (client: GhlClient): { kind: string; message: string } | undefined =>
  refused.get(client);

const cannotSearch = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError && (e.kind === 'scope' || e.kind === 'not_found' || e.kind === 'rejected');

interface Scanned {
  /** Tasks by contact (every contact asked for has an entry, empty when it has none). */
  byContact: Map<string, GhlTask[]>;
  /** Unreadable items, keyed "<contactId>/<id>" where the item said its contact. */
  rejected: Rejected[];
  /** An unreadable item that named no contact: it could be any task, so nothing may be taken for deleted. */
  unkeyed: boolean;
  calls: number;
}

async function scan(
  run: GhlRun,
  o: Parameters<GhlClient['scanTasks']>[0],
  maxPages = Infinity,
): Promise<Scanned & { cut: boolean }> {
  const out: Scanned & { cut: boolean } = { byContact: new Map(), rejected: [], unkeyed: false, calls: 0, cut: false };
  for (const id of o?.contactIds ?? []) out.byContact.set(id, []);
  if (maxPages <= 0) return { ...out, cut: true };
  for await (const page of run.client.scanTasks(o)) {
    out.calls++;
    for (const t of page.items) {
      const l = out.byContact.get(t.contactId);
      if (l) l.push(t);
      else out.byContact.set(t.contactId, [t]);
    }
    for (const x of page.rejected) {
      const raw = x.raw as { contactId?: unknown } | undefined;
      const cid = raw && typeof raw.contactId === 'string' && raw.contactId ? raw.contactId : undefined;
      if (!cid || !x.id) out.unkeyed = true;
      out.rejected.push({ id: cid && x.id ? `${cid}/${x.id}` : undefined, reason: x.reason, raw: x.raw });
    }
    // The page cap: what was read is used; the rest of the listing is not asked for.
    if (out.calls >= maxPages && page.nextSkip !== undefined) {
      out.cut = true;
      break;
    }
  }
  return out;
}

/**
 * Contacts one search call re-checks, for the budget planner: a batch of 100 contact ids costs one page per 100 of
 * their tasks, so with the linked tasks per linked contact as the average, 100 / that average (at most 100).
 */
function contactsPerCall(known: TaskKnowledge | undefined): number {
  const contacts = known?.linkedContacts().size ?? 0;
  const perContact = contacts ? (known?.linkedTasks().length ?? 0) / contacts : 0;
  return Math.max(
    1,
    Math.floor(Math.min(GHL_TASK_SEARCH.maxContactIds, GHL_TASK_SEARCH.maxLimit / Math.max(perContact, 1))),
  );
}

/** Clients already told that the completed tasks did not fit (said once per client, like the search's refusal). */
const cutWarned = new WeakSet<GhlClient>();

const splitKey = (key: string): string => key.slice(0, Math.max(0, key.indexOf('/')));

/**
 * The task side's reads through the search, falling back to `perContact` (the per-contact reads) when the token
 * may not use it. `ids` are the contacts whose tasks this run reads; `completedKey` the mapping key of HighLevel's
 * `completed` field and `doneValue` its value for a completed task (no key: completion is not synced).
 */
export function searchTaskReads(o: {
  run: GhlRun;
  ids: () => string[];
  record: (t: GhlTask) => SideRecord;
  env?: RunEnv;
  perContact: Reads;
  known?: TaskKnowledge;
  completed?: () => { key: string; doneValue: string | null } | undefined;
}): Reads {
  const { run, record } = o;
  /** Run `read` through the search; on a refusal, remember it and read per contact instead. */
  const viaSearch = async (read: () => Promise<FetchResult>, fallback: () => Promise<FetchResult>) => {
    if (refused.has(run.client)) return fallback();
    try {
      return await read();
    } catch (e) {
      if (!cannotSearch(e)) throw e;
      refused.set(run.client, { kind: e.kind, message: e.message });
      o.known?.warn?.(
        e.kind === 'scope'
          ? `HighLevel tasks are read one contact at a time: the sign-in lacks 'locations/tasks.readonly' (${e.message}). Sign in again to grant it.`
          : `HighLevel tasks are read one contact at a time: HighLevel refused the task search (${e.message}).`,
      );
      return fallback();
    }
  };

  const collect = (contacts: Iterable<string>, s: Scanned, complete: boolean, extra: GhlTask[] = []): FetchResult => {
    const records = new Map<string, SideRecord>();
    for (const id of contacts)
      for (const t of s.byContact.get(id) ?? []) records.set(`${t.contactId}/${t.id}`, record(t));
    for (const t of extra) if (!records.has(`${t.contactId}/${t.id}`)) records.set(`${t.contactId}/${t.id}`, record(t));
    return {
      records: [...records.values()],
      rejected: s.rejected,
      complete: complete && !s.unkeyed,
      cursor: 'contacts',
    };
  };

  return {
    // The rolling re-read (main/sync/README.md, "Daily budget and the rolling re-read") reads every task of a slice of
    // contacts: through the search, 100 contact ids a call (a page per 100 of their tasks); per contact once the
    // search was refused.
    recheck: refused.has(run.client) ? o.perContact.recheck : { by: 'parent', perCall: contactsPerCall(o.known) },
    async readChildren(contactIds) {
      const read = async (): Promise<FetchResult> => {
        await o.env?.ready();
        const s = await scan(run, { contactIds });
        const r = collect(contactIds, s, false);
        // A contact with a task that could not be read is not covered: nothing of it is taken for deleted.
        const unread = new Set(s.rejected.map((x) => x.id?.split('/')[0]));
        return {
          ...r,
          cursor: undefined,
          covers: { parents: s.unkeyed ? [] : contactIds.filter((id) => !unread.has(id)) },
        };
      };
      return viaSearch(read, () => o.perContact.readChildren!(contactIds));
    },
    async fetchAll() {
      return viaSearch(
        async () => {
          await o.env?.ready();
          const all = await run.readAll();
          const ids = o.ids();
          const s = await scan(run, {});
          // A linked task the pages did not show: read its contact's tasks once more before it may count as deleted.
          const inScope = new Set(ids);
          const missing = new Set<string>();
          for (const key of o.known?.linkedTasks() ?? []) {
            const cid = splitKey(key);
            if (!inScope.has(cid)) continue;
            if (!(s.byContact.get(cid) ?? []).some((t) => `${t.contactId}/${t.id}` === key)) missing.add(cid);
          }
          if (missing.size) {
            const again = await scan(run, { contactIds: [...missing] });
            for (const [cid, list] of again.byContact) s.byContact.set(cid, list);
            s.rejected.push(...again.rejected);
            s.unkeyed ||= again.unkeyed;
          }
          // Tasks of a contact that could not be read are not listed: then nothing here may be taken for deleted.
          return collect(ids, s, !all.rejected.length);
        },
        () => o.perContact.fetchAll(),
      );
    },
    async fetchChanged(cursor) {
      return viaSearch(
        async () => {
          await o.env?.ready();
          const ids = o.ids();
          // Every open task, and the completed ones while they fit in COMPLETED_TASK_PAGES (an edit to a completed
          // task has no feed either; beyond that many pages it waits for the rolling re-read of its contact).
          const open = await scan(run, { completed: false });
          const closed = await scan(run, { completed: true }, COMPLETED_TASK_PAGES);
          if (closed.cut && !cutWarned.has(run.client)) {
            cutWarned.add(run.client);
            o.known?.warn?.(
              `HighLevel has more completed tasks than ${COMPLETED_TASK_PAGES * GHL_TASK_SEARCH.maxLimit} (${COMPLETED_TASK_PAGES} pages a sync): an edit to a completed task beyond those is seen when the rolling re-read reaches its contact.`,
            );
          }
          const listed = new Set<string>();
          for (const s of [open, closed])
            for (const list of s.byContact.values()) for (const t of list) listed.add(`${t.contactId}/${t.id}`);
          // Linked tasks the last read saw open that are in neither listing: deleted (or skipped by the paging).
          const done = o.completed?.();
          const left = new Set<string>();
          if (done && o.known) {
            const linked = o.known.linkedTasks().filter((k) => !listed.has(k));
            const last = o.known.lastRead(linked);
            for (const k of linked) {
              const f = last.get(k);
              if (!f || (f[done.key] ?? null) !== done.doneValue) left.add(splitKey(k));
            }
          }
          const contacts = [...new Set([...ids, ...left])];
          const s: Scanned = contacts.length
            ? await scan(run, { contactIds: contacts })
            : { byContact: new Map(), rejected: [], unkeyed: false, calls: 0 };
          s.rejected.push(...open.rejected, ...closed.rejected);
          const linkedContacts = o.known?.linkedContacts() ?? new Set<string>();
          const listedOfLinked = [...open.byContact.entries(), ...closed.byContact.entries()]
            .filter(([cid]) => linkedContacts.has(cid))
            .flatMap(([, list]) => list);
          return collect(contacts, s, false, listedOfLinked);
        },
        () => o.perContact.fetchChanged(cursor),
      );
    },
  };
}
