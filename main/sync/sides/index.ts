/**
 * Wiring a pair's mapping to EntitySides for one run, in dependency order (parents before children).
 */
import type { EntityKind, PairId, PairMapping } from '../../../preload/contract.js';
import type { SyncRepo } from '../../store/sync-repo.js';
import { entityConfig, entityMapping, fieldLabels } from '../engine/mapping.js';
import type { WiredEntity } from '../engine/run.js';
import type { EntityConfig } from '../engine/planner.js';
import type { Connections } from '../../service/connections.js';
import { aimfoxLeadSide, aimfoxNoteSide } from './aimfox.js';
import { ArofloRun, arofloBusinessSide, arofloContactSide, arofloNoteSide, arofloTaskSide, type ArofloDefaults } from './aroflo.js';
import { GhlRun, ghlBusinessSide, ghlContactSide, ghlLeadContactSide, ghlNoteSide, ghlTaskSide, leadRecord, parseTouched, touchedKey } from './ghl.js';
import { RULE_ENTITY, ruleGhlTaskSide, ruleNoteSide } from './rules.js';
import { LocationReads, RunEnv, runTransformEnv } from './env.js';
import { MappedFields } from './mapped.js';

export interface AdapterRunContext {
  connections: Connections;
  repo: SyncRepo;
  now: () => number;
  logger: { info(m: string, c?: Record<string, unknown>): void; warn(m: string, c?: Record<string, unknown>): void; error(m: string, c?: Record<string, unknown>): void };
  runId: string;
  /** Per-run caches shared by both pairs (one read of GHL contacts serves everything). */
  caches?: Map<string, unknown>;
}

function cached<T>(ctx: AdapterRunContext, key: string, make: () => T): T {
  ctx.caches ??= new Map();
  if (!ctx.caches.has(key)) ctx.caches.set(key, make());
  return ctx.caches.get(key) as T;
}

const ghlRun = (ctx: AdapterRunContext) =>
  cached(ctx, 'ghl', () => {
    const known = ctx.repo.linksFor('ghl-aroflo', 'business').filter((l) => l.ghl_id?.startsWith('biz:')).map((l) => ({ key: l.ghl_id!, name: l.label }));
    const run = new GhlRun(ctx.connections.ghlClient(), 5_000, known);
    run.carried = (JSON.parse(ctx.repo.meta(TOUCHED_KEY) ?? '[]') as string[]).map(parseTouched);
    run.echoes = new Map(Object.entries(JSON.parse(ctx.repo.meta(ECHOES_KEY) ?? '{}') as Record<string, number>));
    return run;
  });

/** Where the contacts whose tasks/notes a run wrote are kept for the next run to re-read. */
export const TOUCHED_KEY = 'ghl:touched-contacts';
/** Where the contacts a run wrote are kept, with the dateUpdated GHL gave them, for the next run's echo check. */
export const ECHOES_KEY = 'ghl:written-contacts';

/** After a real run: remember which contacts' children were written, and by which pair (and forget those carried in). */
export function saveTouched(ctx: AdapterRunContext): void {
  const run = ctx.caches?.get('ghl') as GhlRun | undefined;
  if (!run) return;
  ctx.repo.setMeta(TOUCHED_KEY, JSON.stringify([...run.touched.values()].map(touchedKey).slice(0, 5000)));
  ctx.repo.setMeta(ECHOES_KEY, JSON.stringify(Object.fromEntries([...run.written].slice(0, 50_000))));
}

const STATUS_CODES: Record<string, 'notstarted' | 'inprogress' | 'pending'> = { 'not started': 'notstarted', 'in progress': 'inprogress', pending: 'pending' };

/** A set filled on first use. */
function lazySet(load: () => Set<string>): ReadonlySet<string> {
  let set: Set<string> | undefined;
  const get = () => (set ??= load());
  return {
    has: (x: string) => get().has(x),
    get size() {
      return get().size;
    },
    forEach: (fn, thisArg) => get().forEach((v) => fn.call(thisArg, v, v, get())),
    entries: () => get().entries(),
    keys: () => get().keys(),
    values: () => get().values(),
    [Symbol.iterator]: () => get()[Symbol.iterator](),
  } as ReadonlySet<string>;
}

export async function buildEntities(pair: PairId, mapping: PairMapping, ctx: AdapterRunContext): Promise<WiredEntity[]> {
  const ghlScope = { businessIds: mapping.filters.ghlBusinessIds, tags: mapping.filters.ghlTags };
  const wired = (entity: EntityKind, w: Omit<WiredEntity['wiring'], 'pair' | 'entity'>, config: EntityConfig, labels: Record<string, string> = {}): WiredEntity => ({
    wiring: { pair, entity, ...w },
    config,
    fieldLabels: labels,
    cursorName: `${pair}:${entity}`,
  });
  const out: WiredEntity[] = [];
  const g = ghlRun(ctx);
  // The business's country and time zone, and the custom field definitions: read once per run, when first needed.
  const location = cached(ctx, 'ghl-location', () => new LocationReads(ctx.connections.ghlClient(), ctx.logger));
  const env = new RunEnv(() => runTransformEnv(mapping, location));

  if (pair === 'ghl-aroflo') {
    const ar = cached(ctx, 'aroflo', () => {
      const run = new ArofloRun(ctx.connections.arofloClient(), { businessUnits: mapping.filters.arofloBusinessUnits }, ctx.now);
      for (const l of ctx.repo.linksFor(pair, 'contact')) if (l.other_id?.startsWith('client:')) run.linkedPeople.add(l.other_id.slice('client:'.length));
      return run;
    });
    const taskMap = entityMapping(mapping, 'task');
    const falseStatus = taskMap?.fields.find((f) => f.key === 'completed')?.valueMap?.false?.toLowerCase() ?? 'not started';
    const defaults: ArofloDefaults = { businessUnitId: mapping.defaults.arofloBusinessUnitId, taskTypeId: mapping.defaults.arofloTaskTypeId, openStatus: STATUS_CODES[falseStatus] ?? 'notstarted' };
    const today = () => new Date(ctx.now()).toISOString().slice(0, 10);
    const contacts = entityMapping(mapping, 'contact');
    if (contacts?.enabled) {
      // Businesses first: a person of a business lives under the business's AroFlo client.
      out.push(wired('business', { ghl: ghlBusinessSide(g, ghlScope), other: arofloBusinessSide(ar, defaults), matchable: true }, { fields: [], deletePolicy: 'unlink', createTo: { other: entityConfig(contacts).createTo.other, ghl: false } }));
      // Fields as the mapping declares them (README.md in this folder, "Fields from the mapping").
      const gView = new MappedFields(pair, 'ghl', contacts, env);
      const oView = new MappedFields(pair, 'other', contacts, env);
      out.push(wired('contact', { ghl: ghlContactSide(g, ghlScope, 'contact', env, gView), other: arofloContactSide(ar, defaults, ctx.logger, env, oView), matchable: true, parentEntity: 'business', parentOptional: true, parentCarried: { ghl: true } }, entityConfig(contacts), fieldLabels(contacts)));
    }
    // A HighLevel task the rule made stays out of task sync for good, also once its AroFlo note is gone. Read when
    // the run plans (after it recovered what a crash interrupted), so a rule task created just before a crash is
    // already known as one.
    const ruleTasks = lazySet(() => new Set((ctx.repo.db.prepare(`select ghl_id from links where pair = ? and entity = ? and ghl_id is not null`).all(pair, RULE_ENTITY) as Array<{ ghl_id: string }>).map((l) => l.ghl_id)));
    if (taskMap?.enabled) {
      const [gv, ov] = [new MappedFields(pair, 'ghl', taskMap, env), new MappedFields(pair, 'other', taskMap, env)];
      out.push(wired('task', { ghl: ghlTaskSide(g, ghlScope, undefined, pair, env, gv), other: arofloTaskSide(ar, defaults, today, env, ov), matchable: false, parentEntity: 'contact', exclude: { ghl: ruleTasks } }, entityConfig(taskMap), fieldLabels(taskMap)));
    }
    const notes = entityMapping(mapping, 'note');
    if (notes?.enabled) {
      const [gv, ov] = [new MappedFields(pair, 'ghl', notes, env), new MappedFields(pair, 'other', notes, env)];
      out.push(wired('note', { ghl: ghlNoteSide(g, ghlScope, undefined, pair, env, gv), other: arofloNoteSide(ar, ctx.logger, undefined, env, ov), matchable: false, parentEntity: 'contact' }, entityConfig(notes), fieldLabels(notes)));
    }
    if (mapping.noteToTask?.enabled) {
      const rule = mapping.noteToTask;
      // Notes that note sync made from HighLevel notes are ours, not new AroFlo notes.
      // (A person's AroFlo note that note sync carried to HighLevel and the rule already turned into a task stays the rule's.)
      const ruled = new Set(ctx.repo.linksFor(pair, RULE_ENTITY).map((l) => l.other_id));
      const synced = new Set(ctx.repo.linksFor(pair, 'note').map((l) => l.other_id).filter((x): x is string => !!x && !ruled.has(x)));
      out.push({
        wiring: { pair, entity: RULE_ENTITY, ghl: ruleGhlTaskSide(g, rule, ctx.now), other: ruleNoteSide(arofloNoteSide(ar, ctx.logger), ctx.repo, rule), matchable: false, parentEntity: 'contact', exclude: { other: synced } },
        config: { fields: [], deletePolicy: 'unlink', createTo: { ghl: true, other: false } },
        fieldLabels: {},
        cursorName: `${pair}:rule-note-to-task`,
      });
    }
    return out;
  }

  // ghl-aimfox
  const af = ctx.connections.aimfoxClient();
  const leads = entityMapping(mapping, 'lead');
  const linkedinFieldId = mapping.defaults.linkedinFieldId;
  if (leads?.enabled) {
    const cfg = entityConfig(leads, pair);
    out.push(
      wired('lead', {
        ghl: ghlLeadContactSide(g, ghlScope, linkedinFieldId, env, new MappedFields(pair, 'ghl', leads, env)),
        other: aimfoxLeadSide(af, { campaignId: mapping.defaults.aimfoxCampaignId, listChanges: cfg.createTo.ghl || leads.fields.some((f) => f.direction === 'both' || f.direction === 'to_ghl') }, env, new MappedFields(pair, 'other', leads, env)),
        matchable: true,
      }, cfg, fieldLabels(leads)),
    );
  }
  const notes = entityMapping(mapping, 'note');
  if (notes?.enabled && leads?.enabled) {
    const back = notes.fields.some((f) => f.direction === 'both' || f.direction === 'to_ghl');
    const leadContacts = () => {
      const linked = new Set(ctx.repo.linksFor(pair, 'lead').map((l) => l.ghl_id));
      const ids = new Set(g.lastRead.contacts.filter((c) => !!leadRecord(c, linkedinFieldId)).map((c) => c.id));
      for (const id of g.carriedFor(pair, 'note')) if (linked.has(id)) ids.add(id);
      return [...ids];
    };
    const linkedLeads = () => ctx.repo.linksFor(pair, 'lead').map((l) => l.other_id).filter((x): x is string => !!x);
    const [gv, av] = [new MappedFields(pair, 'ghl', notes, env), new MappedFields(pair, 'other', notes, env)];
    out.push(wired('note', { ghl: ghlNoteSide(g, ghlScope, leadContacts, pair, env, gv), other: aimfoxNoteSide(af, { leadIds: linkedLeads, listChanges: back }, env, av), matchable: false, parentEntity: 'lead' }, entityConfig(notes), fieldLabels(notes)));
  }
  return out;
}
