/**
 * A pair declaration: which entities a pair syncs, in dependency order (parents before children), wired from the
 * pair's mapping onto the sides of its two systems, and which HighLevel records it reads after an earlier pair of the
 * same run wrote them (main/sync/README.md, "Pairs" and "Hops").
 */
import type { EntityKind, PairId, PairMapping } from '../../domain/index.js';
import type { RunContext } from '../context.js';
import type { WiredEntity } from '../engine/run.js';

/** "`into` of this pair reads what `entity` of `pair` wrote into HighLevel earlier in the same run." */
export interface ReadsAfter {
  pair: PairId;
  entity: EntityKind;
  into: EntityKind;
}

export interface PairDeclaration {
  pair: PairId;
  /** What this pair reads from HighLevel after an earlier pair wrote it (orders the pairs, and drives the hop pass). */
  readsAfter: ReadsAfter[];
  /** The pair's entities for one run, parents before children. */
  entities(mapping: PairMapping, ctx: RunContext): WiredEntity[];
}
