/**
 * The pairs, one declaration each, and the order a run takes them in: a pair that reads what another pair writes
 * into HighLevel comes after it (main/sync/README.md, "Hops").
 */
import type { PairId, PairMapping } from '../../domain/index.js';
import type { RunContext } from '../context.js';
import type { WiredEntity } from '../engine/run.js';
import { ghlAimfox } from './ghl-aimfox.js';
import { ghlAroflo } from './ghl-aroflo.js';
import type { PairDeclaration } from './types.js';

export type { PairDeclaration, ReadsAfter } from './types.js';

export const PAIR_DECLARATIONS: Readonly<Record<PairId, PairDeclaration>> = {
  'ghl-aroflo': ghlAroflo,
  'ghl-aimfox': ghlAimfox,
};

/** The given pairs, each after every pair it reads after (a topological order; ties keep the given order). */
export function pairOrder(
  pairs: readonly PairId[],
  decls: Readonly<Record<PairId, PairDeclaration>> = PAIR_DECLARATIONS,
): PairId[] {
  const out: PairId[] = [];
  const visiting = new Set<PairId>();
  const visit = (p: PairId) => {
    if (out.includes(p)) return;
    if (visiting.has(p)) throw new Error(`Pairs read after each other in a circle: ${[...visiting, p].join(' → ')}`);
    visiting.add(p);
    for (const r of decls[p].readsAfter) if (pairs.includes(r.pair)) visit(r.pair);
    visiting.delete(p);
    out.push(p);
  };
  for (const p of pairs) visit(p);
  return out;
}

/** Every entity of the given pairs for one run, pairs in order, each pair's parents before its children. */
export function wireEntities(
  pairs: readonly PairId[],
  mappings: readonly PairMapping[],
  ctx: RunContext,
): WiredEntity[] {
  return pairOrder(pairs).flatMap((p) =>
    PAIR_DECLARATIONS[p].entities(
      mappings.find((m) => m.pair === p)!,
      ctx,
    ),
  );
}
