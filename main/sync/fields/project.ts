/**
 * Between a system's record and the pair's canonical fields (main/sync/fields/README.md, "Reading and writing"):
 * projectRecord reads each mapped field of a record (def.read → transform.toCanon), keyed by the field pair's `key`
 * (what merge compares and bases store); renderPatch turns canonical changes back into the connector's write input
 * (transform.fromCanon → def.put). Composites (full name, address) read and put several parts at once.
 */
import type { EntityMapping, FieldMapping, PairId, SystemId } from '../../../preload/contract.js';
import type { Fields } from '../engine/types.js';
import { OTHER_SYSTEM, compatible, resolveField } from './catalogue.js';
import { TRANSFORMS } from './transforms/index.js';
import type { Canon, FieldDef, PairSide, Transform, TransformEnv } from './types.js';

export interface Projection {
  fields: Fields;
  /** One line per value a transform could not handle (kept as typed): "Phone: the phone "12" is not a number in AU…". */
  warnings: string[];
}

export interface ResolvedPair {
  fm: FieldMapping;
  /** The field on the side asked for, and on the other side of the pair. */
  def: FieldDef;
  partner: FieldDef | undefined;
  transform: Transform;
}

const systemOf = (side: PairSide, pair: PairId): SystemId => (side === 'ghl' ? 'ghl' : OTHER_SYSTEM[pair]);
const fieldOf = (fm: FieldMapping, side: PairSide) => (side === 'ghl' ? fm.ghlField : fm.otherField);
const otherSide = (side: PairSide): PairSide => (side === 'ghl' ? 'other' : 'ghl');
const flowsTo = (fm: FieldMapping, side: PairSide) =>
  fm.direction === 'both' || fm.direction === (side === 'ghl' ? 'to_ghl' : 'to_other');
const onKind = (def: FieldDef, kind: string | undefined) => !kind || !def.kinds || def.kinds.includes(kind);

/**
 * The field pairs of an entity mapping as defs on one side. Pairs that are off, name a field this side does not have
 * (a deleted custom field), or a field that does not exist on this record kind are left out. A transform the two
 * types do not accept (a mapping saved before validation knew the catalogue) falls back to the pair's suggested one.
 */
export function resolvePairs(
  em: EntityMapping,
  side: PairSide,
  pair: PairId,
  env: TransformEnv,
  kind?: string,
): ResolvedPair[] {
  // Resolved once per mapping, env (one per run), side and kind: projecting every record re-uses it. The key holds
  // what the resolution depends on, so a field pair changed in place is resolved again.
  let byEnv = pairCache.get(em);
  if (!byEnv) pairCache.set(em, (byEnv = new WeakMap()));
  let byKey = byEnv.get(env);
  if (!byKey) byEnv.set(env, (byKey = new Map()));
  const key = `${side}|${pair}|${kind ?? ''}|${em.entity}|${em.fields.map((f) => `${f.key}\t${f.ghlField}\t${f.otherField}\t${f.transform}\t${f.direction}`).join('\n')}`;
  let pairs = byKey.get(key);
  if (!pairs) byKey.set(key, (pairs = resolveNow(em, side, pair, env, kind)));
  return pairs;
}

/** The lists are shared by every caller: do not change them. */
const pairCache = new WeakMap<EntityMapping, WeakMap<TransformEnv, Map<string, ResolvedPair[]>>>();

function resolveNow(
  em: EntityMapping,
  side: PairSide,
  pair: PairId,
  env: TransformEnv,
  kind: string | undefined,
): ResolvedPair[] {
  const out: ResolvedPair[] = [];
  for (const fm of em.fields) {
    if (fm.direction === 'off') continue;
    const def = resolveField(systemOf(side, pair), em.entity, fieldOf(fm, side), env);
    if (!def || def.missing || !onKind(def, kind)) continue;
    const partner = resolveField(systemOf(otherSide(side), pair), em.entity, fieldOf(fm, otherSide(side)), env);
    let transform = TRANSFORMS[fm.transform] ?? TRANSFORMS.none;
    if (partner) {
      const [g, o] = side === 'ghl' ? [def, partner] : [partner, def];
      const ok = compatible(g, o);
      if (!ok.includes(transform.id) && ok.length) transform = TRANSFORMS[ok[0]!];
    }
    out.push({ fm, def, partner, transform });
  }
  return out;
}

/** A record's canonical fields for one side of a pair. */
export function projectRecord(
  raw: unknown,
  kind: string | undefined,
  side: PairSide,
  em: EntityMapping,
  env: TransformEnv,
  pair: PairId,
): Projection {
  const fields: Fields = {};
  const warnings: string[] = [];
  for (const { fm, def, partner, transform } of resolvePairs(em, side, pair, env, kind)) {
    const r = transform.toCanon(def.read(raw, kind), side, def, fm, env, partner);
    fields[fm.key] = r.value;
    if (r.warning) warnings.push(`${fm.label}: ${r.warning}`);
  }
  return { fields, warnings };
}

export interface Rendered<P> {
  patch: P;
  /** Keys of `changes` not put into the patch: not writable in this mode, not on this record kind, or not flowing this way. */
  skipped: string[];
}

/** Canonical changes as the connector's write input, with what could not be written (see `skipped`). */
export function renderWrite<P extends object = Record<string, unknown>>(
  changes: Fields,
  kind: string | undefined,
  side: PairSide,
  em: EntityMapping,
  env: TransformEnv,
  mode: 'create' | 'update',
  pair: PairId,
): Rendered<P> {
  const patch = {} as P;
  const skipped: string[] = [];
  const pairs = new Map(resolvePairs(em, side, pair, env, kind).map((p) => [p.fm.key, p]));
  for (const [key, canon] of Object.entries(changes)) {
    const p = pairs.get(key);
    if (!p || !p.def.write[mode] || !flowsTo(p.fm, side)) {
      skipped.push(key);
      continue;
    }
    const value = p.transform.fromCanon(canon as Canon, side, p.def, p.fm, env, p.partner);
    p.def.put(
      patch as Record<string, unknown>,
      p.def.type === 'address' && (p.fm.emptyNeverBlanks ?? true) ? filledParts(value) : value,
      kind,
    );
  }
  return { patch, skipped };
}

/**
 * Empty never blanks, part by part (README.md, "Addresses"): an address's empty parts are left out of the write, so a
 * postcode cleared on one side, or a text without a country line, leaves the other side's part as it is.
 */
function filledParts(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined && x !== ''));
}

/** Canonical changes as the connector's write input; fields not writable in this mode are left out. */
export function renderPatch<P extends object = Record<string, unknown>>(
  changes: Fields,
  kind: string | undefined,
  side: PairSide,
  em: EntityMapping,
  env: TransformEnv,
  mode: 'create' | 'update',
  pair: PairId,
): P {
  return renderWrite<P>(changes, kind, side, em, env, mode, pair).patch;
}

/** Whether a field pair's canonical value is a set (merged element by element), from the catalogue's types. */
export function isSetPair(fm: FieldMapping, entity: EntityMapping['entity'], pair: PairId, env: TransformEnv): boolean {
  const g = resolveField('ghl', entity, fm.ghlField, env);
  const o = resolveField(OTHER_SYSTEM[pair], entity, fm.otherField, env);
  return fm.transform !== 'set_picklist' && g?.type === 'set' && o?.type === 'set';
}
