/**
 * A side's fields as the pair's mapping declares them (README.md in this folder, "Fields from the mapping"): each
 * mapped field of a record is read through the field catalogue and its transform into the pair's canonical value
 * (main/sync/fields), keyed by the field pair's `key`; changes are rendered back into the connector's write input.
 * A field the record does not have (not on its kind, a deleted custom field) is left out, so the engine neither
 * writes nor blanks it. A value its transform cannot handle is kept as typed, with a warning on the record.
 */
import type { EntityMapping, PairId } from '../../../preload/contract.js';
import type { Fields } from '../engine/types.js';
import { resolvePairs, renderWrite, type Rendered, type ResolvedPair } from '../fields/project.js';
import type { PairSide } from '../fields/types.js';
import type { RunEnv } from './env.js';

export class MappedFields {
  /** Resolved field pairs per record kind: resolved once per run, not once per record. */
  private readonly pairs = new Map<string, ResolvedPair[]>();

  constructor(
    readonly pair: PairId,
    readonly side: PairSide,
    readonly em: EntityMapping,
    readonly env: RunEnv,
  ) {}

  private resolved(kind: string | undefined): ResolvedPair[] {
    const k = kind ?? '';
    let p = this.pairs.get(k);
    if (!p) this.pairs.set(k, (p = resolvePairs(this.em, this.side, this.pair, this.env.current, kind)));
    return p;
  }

  /** A record's canonical fields, and the warnings of values kept as typed (by field key). */
  read(raw: unknown, kind?: string): { fields: Fields; warnings?: Record<string, string> } {
    const env = this.env.current;
    const fields: Fields = {};
    let warnings: Record<string, string> | undefined;
    for (const { fm, def, partner, transform } of this.resolved(kind)) {
      const r = transform.toCanon(def.read(raw, kind), this.side, def, fm, env, partner);
      fields[fm.key] = r.value;
      if (r.warning) (warnings ??= {})[fm.key] = r.warning;
    }
    return warnings ? { fields, warnings } : { fields };
  }

  /** Canonical changes as the connector's create or update input (fields not writable in that mode are left out). */
  write<P extends object>(changes: Fields, kind: string | undefined, mode: 'create' | 'update'): P {
    return this.render<P>(changes, kind, mode).patch;
  }

  /** As `write`, with the keys of the changes that could not be written (not writable in that mode, not flowing this way). */
  render<P extends object>(changes: Fields, kind: string | undefined, mode: 'create' | 'update'): Rendered<P> {
    return renderWrite<P>(changes, kind, this.side, this.em, this.env.current, mode, this.pair);
  }

  /** The field on this side a field pair's key names (undefined = not mapped, off, or not on this kind). */
  refOf(key: string, kind?: string): string | undefined {
    return this.resolved(kind).find((p) => p.fm.key === key)?.def.ref;
  }

  /** The key of the field pair that maps this side's field `ref` (undefined = not mapped). */
  keyOf(ref: string, kind?: string): string | undefined {
    return this.resolved(kind).find((p) => p.def.ref === ref)?.fm.key;
  }
}
