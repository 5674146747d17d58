/**
 * The dashboard and the change stream: figures per system from the store's mirror of what each system holds (kept
 * current by every run, so nothing is asked of the systems at render time), open review items, quarantine, and the
 * changes per day by who made them (main/store/README.md, "The change stream", "Reports").
 */
import type {
  BridgeApi,
  DashboardFilterKey,
  EntityKind,
  PairId,
  SystemFigures,
  SystemId,
} from '../../../preload/contract.js';
import { mirrorScope, type ScopeRef, type Store } from '../../store/repositories.js';
import type { HandlerContext, Shared } from './common.js';

type DashboardApi = Pick<BridgeApi, 'getDashboard' | 'listChanges'>;

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const BUSINESS_GHL = mirrorScope('ghl-aroflo', 'business', 'ghl');
const BUSINESS_AROFLO = mirrorScope('ghl-aroflo', 'business', 'aroflo');
const TAGS_GHL = [mirrorScope('ghl-aimfox', 'lead', 'ghl')];
const TAGS_AIMFOX = [mirrorScope('ghl-aimfox', 'lead', 'aimfox')];

const ref = (pair: PairId, entity: EntityKind, system: SystemId, more: Partial<ScopeRef> = {}): ScopeRef => ({
  pair,
  entity,
  system,
  ...more,
});

/**
 * Where each system's records are mirrored. HighLevel's people are the contacts the AroFlo pair reads and the leads
 * the Aimfox pair reads (one contact counted once); businesses are known for HighLevel contacts and AroFlo contacts
 * (their business client); tags for HighLevel contacts that are Aimfox leads (the lead mapping carries them as
 * labels) and Aimfox leads' labels. AroFlo keeps no tags; Aimfox leads have no business. An AroFlo or Aimfox note the
 * bridge wrote for a HighLevel appointment is one of that system's notes too: note sync leaves it out, so it is
 * mirrored under the appointment entity (main/sync/README.md, "Appointments to notes"), and counted from there.
 */
const SCOPES: Record<
  SystemId,
  { people: ScopeRef[]; tasks?: ScopeRef[]; notes: ScopeRef[]; has: DashboardFilterKey[] }
> = {
  ghl: {
    people: [
      ref('ghl-aroflo', 'contact', 'ghl', { businessScope: BUSINESS_GHL, tagScopes: TAGS_GHL }),
      ref('ghl-aimfox', 'lead', 'ghl', { businessScope: BUSINESS_GHL, tagScopes: TAGS_GHL }),
    ],
    tasks: [
      ref('ghl-aroflo', 'task', 'ghl', {
        parentScope: mirrorScope('ghl-aroflo', 'contact', 'ghl'),
        businessScope: BUSINESS_GHL,
        tagScopes: TAGS_GHL,
      }),
    ],
    notes: [
      ref('ghl-aroflo', 'note', 'ghl', {
        parentScope: mirrorScope('ghl-aroflo', 'contact', 'ghl'),
        businessScope: BUSINESS_GHL,
        tagScopes: TAGS_GHL,
      }),
      ref('ghl-aimfox', 'note', 'ghl', {
        parentScope: mirrorScope('ghl-aimfox', 'lead', 'ghl'),
        businessScope: BUSINESS_GHL,
        tagScopes: TAGS_GHL,
      }),
    ],
    has: ['business', 'tag'],
  },
  aroflo: {
    people: [ref('ghl-aroflo', 'contact', 'aroflo', { businessScope: BUSINESS_AROFLO })],
    tasks: [
      ref('ghl-aroflo', 'task', 'aroflo', {
        parentScope: mirrorScope('ghl-aroflo', 'contact', 'aroflo'),
        businessScope: BUSINESS_AROFLO,
      }),
    ],
    notes: [
      ref('ghl-aroflo', 'note', 'aroflo', {
        parentScope: mirrorScope('ghl-aroflo', 'contact', 'aroflo'),
        businessScope: BUSINESS_AROFLO,
      }),
      ref('ghl-aroflo', 'appointment', 'aroflo', {
        parentScope: mirrorScope('ghl-aroflo', 'contact', 'aroflo'),
        businessScope: BUSINESS_AROFLO,
      }),
    ],
    has: ['business'],
  },
  aimfox: {
    people: [ref('ghl-aimfox', 'lead', 'aimfox', { tagScopes: TAGS_AIMFOX })],
    notes: [
      ref('ghl-aimfox', 'note', 'aimfox', {
        parentScope: mirrorScope('ghl-aimfox', 'lead', 'aimfox'),
        tagScopes: TAGS_AIMFOX,
      }),
      ref('ghl-aimfox', 'appointment', 'aimfox', {
        parentScope: mirrorScope('ghl-aimfox', 'lead', 'aimfox'),
        tagScopes: TAGS_AIMFOX,
      }),
    ],
    has: ['tag'],
  },
};

/** The mirror's tasks hold `completed` as "true" / "false" (main/sync/fields/defaults.ts). */
const COMPLETED = '%"completed":"true"%';

function figures(store: Store, system: SystemId, f: { business?: string; tag?: string }, now: number): SystemFigures {
  const s = SCOPES[system];
  const asked = (['business', 'tag'] as const).filter((k) => !!f[k]);
  const people = store.reports.count(s.people, f);
  const tasks = s.tasks ? store.reports.count(s.tasks, { ...f, doneLike: COMPLETED }) : undefined;
  const notes = store.reports.count(s.notes, { ...f, madeSince: now - WEEK });
  const open = store.reports.openItems();
  const quarantine = store.reports.quarantined();
  const sum = (rows: Array<{ system: SystemId; n: number }>) =>
    rows.filter((r) => system === 'ghl' || r.system === system).reduce((n, r) => n + r.n, 0);
  return {
    system,
    people: { total: people.total, linked: people.linked },
    ...(tasks
      ? {
          tasks: {
            total: tasks.total,
            linked: tasks.linked,
            open: tasks.total - tasks.done,
            completed: tasks.done,
          },
        }
      : {}),
    notes: { total: notes.total, linked: notes.linked, thisWeek: notes.recent },
    review: sum(open),
    quarantined: sum(quarantine),
    notFiltered: asked.filter((k) => !s.has.includes(k)),
  };
}

export function dashboardHandlers(ctx: HandlerContext, { store }: Shared): DashboardApi {
  return {
    async getDashboard(args = {}) {
      const t0 = performance.now();
      const now = ctx.now();
      const days = Math.min(Math.max(Math.round(args.days ?? 14), 1), 90);
      const f = {
        ...(args.business?.trim() ? { business: args.business.trim() } : {}),
        ...(args.tag?.trim() ? { tag: args.tag.trim() } : {}),
      };
      // A preview reads the systems too, and keeps what it read in the mirror: the figures are as of the last of either.
      const last = store.runs.list(50).find((r) => r.finishedAt !== undefined);
      const systems = (['ghl', 'aroflo', 'aimfox'] as const).map((s) => figures(store, s, f, now));
      const since = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
      const chart = store.changes.perDay(since);
      const options = {
        businesses: store.reports.labels([BUSINESS_GHL, BUSINESS_AROFLO]).filter((b, i, a) => a.indexOf(b) === i),
        tags: store.reports.setValues([...TAGS_GHL, ...TAGS_AIMFOX], 'labels'),
      };
      return {
        asOf: last?.finishedAt ?? null,
        systems,
        chart,
        days: Array.from({ length: days }, (_, i) => new Date(since + i * DAY).toISOString().slice(0, 10)),
        options,
        queryMs: Math.round((performance.now() - t0) * 10) / 10,
      };
    },
    async listChanges(args = {}) {
      return store.changes.list(args);
    },
  };
}
