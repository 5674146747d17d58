/**
 * The per-run context: everything the pairs of one run share, typed and built once when the run starts (no cache map
 * filled in whatever order the entities happen to read). Both pairs read HighLevel through one GhlRun, so one read of
 * the contacts serves everything; each pair's child entities (tasks, notes) read the children of the contacts that
 * pair's own contact read returned; and what an earlier pair wrote into HighLevel is handed to the later pairs that
 * read it (main/sync/README.md, "Hops").
 */
import type { AimfoxClient } from '../connectors/aimfox/index.js';
import type { ArofloClient } from '../connectors/aroflo/index.js';
import type { GhlClient, GhlContact } from '../connectors/ghl/index.js';
import type { PairId, SystemId } from '../domain/index.js';
import type { Store } from '../store/repositories.js';
import type { EntitySide, FetchResult, SideRecord } from './engine/types.js';
import { GhlRun, type Touched } from './sides/ghl.js';
import { LocationReads } from './sides/env.js';

/** The connectors a run uses (the service's Connections provides them). */
export interface SyncClients {
  ghlClient(): GhlClient;
  arofloClient(): ArofloClient;
  aimfoxClient(): AimfoxClient;
}

export interface SyncLogger {
  info(m: string, c?: Record<string, unknown>): void;
  warn(m: string, c?: Record<string, unknown>): void;
  error(m: string, c?: Record<string, unknown>): void;
}

/**
 * What each pair wrote into HighLevel in this run, as HighLevel answered the writes: the later pairs that read those
 * records take them from here instead of reading them again (or, as before, only on the next run).
 */
export class Handoff {
  private readonly notes = new Map<PairId, Map<string, SideRecord>>();
  private readonly contacts = new Map<PairId, Set<string>>();

  /** A HighLevel note a pair created or changed (its record as the write's answer gave it). */
  note(by: PairId, rec: SideRecord): void {
    const m = this.notes.get(by) ?? new Map<string, SideRecord>();
    m.set(rec.id, rec);
    this.notes.set(by, m);
  }

  /** A HighLevel contact a pair created or changed. */
  contact(by: PairId, id: string): void {
    const s = this.contacts.get(by) ?? new Set<string>();
    s.add(id);
    this.contacts.set(by, s);
  }

  notesBy(pair: PairId): SideRecord[] {
    return [...(this.notes.get(pair)?.values() ?? [])];
  }

  contactsBy(pair: PairId): string[] {
    return [...(this.contacts.get(pair) ?? [])];
  }
}

/** The contact ids each pair's own contact (or lead) read returned: the scope of that pair's task and note reads. */
export class ContactReads {
  private readonly byPair = new Map<PairId, Set<string>>();

  /** Wrap a HighLevel side whose records are contacts so its reads are remembered for `pair`. */
  track(pair: PairId, side: EntitySide): EntitySide {
    const keep = (r: FetchResult): FetchResult => {
      const s = this.byPair.get(pair) ?? new Set<string>();
      for (const rec of r.records) s.add(rec.id);
      this.byPair.set(pair, s);
      return r;
    };
    return {
      ...side,
      fetchAll: async () => keep(await side.fetchAll()),
      fetchChanged: async (c) => keep(await side.fetchChanged(c)),
    };
  }

  /** The contacts `pair` read this run; undefined when it wired no contact read. */
  of(pair: PairId): string[] | undefined {
    const s = this.byPair.get(pair);
    return s ? [...s] : undefined;
  }
}

export interface RunContext {
  clients: SyncClients;
  store: Store;
  now: () => number;
  logger: SyncLogger;
  runId: string;
  /** HighLevel, read once for every pair of the run. */
  ghl: GhlRun;
  contactReads: ContactReads;
  handoff: Handoff;
  /** The HighLevel location (country, time zone) and its custom field definitions, each read at most once per run. */
  location: LocationReads;
  /** A preview: nothing of the run is kept in the profile (the notes-to-tasks rule's baseline stays in memory). */
  dryRun?: boolean;
  /**
   * APIs whose daily share the budget planner found too small for this sync's re-reads at full size (running low or
   * paused: main/sync/README.md, "Daily budget and the rolling re-read"), set before the run reads anything. A side
   * spends less on what it polls for them (AroFlo: its client notes every other sync).
   */
  tight: Set<SystemId>;
}

export function createRunContext(deps: {
  clients: SyncClients;
  store: Store;
  now: () => number;
  logger: SyncLogger;
  runId: string;
  dryRun?: boolean;
}): RunContext {
  const { store } = deps;
  const known = store.links
    .active('ghl-aroflo', 'business')
    .filter((l) => l.ghl_id?.startsWith('biz:'))
    .map((l) => ({ key: l.ghl_id!, name: l.label }));
  const ghl = new RecordingGhlRun(deps.clients.ghlClient(), known, store, deps.runId);
  ghl.carried = store.feeds.rereads('ghl').map((r) => ({ id: r.parentId, pair: r.pair, kind: r.kind }));
  ghl.echoes = store.feeds.echoes('ghl');
  return {
    ...deps,
    ghl,
    contactReads: new ContactReads(),
    handoff: new Handoff(),
    tight: new Set(),
    location: new LocationReads(deps.clients.ghlClient(), deps.logger),
  };
}

/**
 * A GhlRun that records, in the profile, each contact whose tasks/notes a pair is about to write (insert-or-ignore),
 * before the write goes out: a crash or a failed run then still leaves the re-read for the next run, so the child goes
 * on to the other pair (main/sync/README.md, "Hops"). What a hop carried on is removed at once.
 */
class RecordingGhlRun extends GhlRun {
  constructor(
    client: GhlClient,
    known: Array<{ key: string; name: string }>,
    private readonly store: Store,
    private readonly runId: string,
  ) {
    super(client, 5_000, known);
  }

  override touch(contactId: string, by?: { pair: string; kind: 'task' | 'note' }): void {
    super.touch(contactId, by);
    this.store.feeds.addRereads('ghl', [{ parentId: contactId, ...by }], this.runId);
  }

  override forget(pair: string, kind: 'task' | 'note'): void {
    const gone = [...this.touched.values()]
      .filter((t) => t.pair === pair && t.kind === kind)
      .map((t) => ({ parentId: t.id, pair: t.pair, kind: t.kind }));
    super.forget(pair, kind);
    this.store.feeds.removeRereads('ghl', gone);
  }
}

/** "`into` of `pair` reads the `entity` (task, note) that `after` wrote into HighLevel" (the pairs' `readsAfter`). */
export interface ChildReader {
  pair: string;
  after: string;
  entity: string;
  into: string;
}

/**
 * After a run that wrote: a re-read carried in is removed once every pair that reads it was wired this run with that
 * entity (one that did not run — sync off, mapping waiting for a preview, a system signed out — keeps it until it
 * runs); the contacts whose children this run wrote are added (already recorded as each write went out). And the
 * contacts it wrote, with the dateUpdated GHL gave them, for the next run's echo check. A failed run consumed nothing
 * for certain: it only adds, and merges its echoes into the previous run's.
 */
export function saveFeedState(
  ctx: RunContext,
  opts: { wired: ReadonlyArray<{ pair: string; kind: string }>; readers: readonly ChildReader[]; failed: boolean },
): void {
  const { store } = ctx;
  if (!opts.failed) {
    const wired = (pair: string, kind: string) => opts.wired.some((w) => w.pair === pair && w.kind === kind);
    // Entries of older versions name no pair: any run takes them.
    const consumed = (c: Touched) =>
      !c.pair ||
      opts.readers.filter((r) => r.after === c.pair && r.entity === c.kind).every((r) => wired(r.pair, r.into));
    const still = new Set([...ctx.ghl.touched.values()].map(rereadKey));
    store.feeds.removeRereads(
      'ghl',
      ctx.ghl.carried
        .filter((c) => consumed(c) && !still.has(rereadKey(c)))
        .map((c) => ({ parentId: c.id, pair: c.pair, kind: c.kind })),
    );
  }
  store.feeds.addRereads(
    'ghl',
    [...ctx.ghl.touched.values()].slice(0, 5000).map((t) => ({ parentId: t.id, pair: t.pair, kind: t.kind })),
    ctx.runId,
  );
  const written = new Map([...ctx.ghl.written].slice(0, 50_000));
  if (opts.failed) store.feeds.addEchoes('ghl', written, ctx.runId);
  else store.feeds.setEchoes('ghl', written, ctx.runId);
}

const rereadKey = (t: Touched) => `${t.pair ?? ''}|${t.kind ?? ''}|${t.id}`;

/** HighLevel contacts as this run's writes left them (for a later pair's hop). */
export function writtenContacts(ctx: RunContext, ids: string[]): GhlContact[] {
  return ids.map((id) => ctx.ghl.writtenContact(id)).filter((c): c is GhlContact => !!c);
}
