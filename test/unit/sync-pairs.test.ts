/**
 * The pairs of a run, in the order that lets one sync settle every hop (main/sync/README.md, "Hops"): a pair that reads
 * what another pair writes into HighLevel runs after it, whatever order the pairs were asked for in.
 */
import { describe, expect, it } from 'vitest';
import { PAIR_IDS, PAIRS, type PairId } from '../../main/domain/index.js';
import { PAIR_DECLARATIONS, pairOrder, type PairDeclaration } from '../../main/sync/pairs/index.js';

describe('pair order', () => {
  it('runs HighLevel ⇄ AroFlo before HighLevel → Aimfox, which reads its notes and contacts after it', () => {
    expect(pairOrder(['ghl-aimfox', 'ghl-aroflo'])).toEqual(['ghl-aroflo', 'ghl-aimfox']);
    expect(pairOrder(['ghl-aroflo', 'ghl-aimfox'])).toEqual(['ghl-aroflo', 'ghl-aimfox']);
    expect(pairOrder(['ghl-aimfox'])).toEqual(['ghl-aimfox']);
    expect(PAIR_DECLARATIONS['ghl-aimfox'].readsAfter).toContainEqual({
      pair: 'ghl-aroflo',
      entity: 'note',
      into: 'note',
    });
  });

  it('refuses pairs that read after each other in a circle', () => {
    const decl = (pair: PairId, after: PairId): PairDeclaration => ({
      pair,
      readsAfter: [{ pair: after, entity: 'note', into: 'note' }],
      entities: () => [],
    });
    const circle = { 'ghl-aroflo': decl('ghl-aroflo', 'ghl-aimfox'), 'ghl-aimfox': decl('ghl-aimfox', 'ghl-aroflo') };
    expect(() => pairOrder(['ghl-aroflo', 'ghl-aimfox'], circle)).toThrow(/circle/);
  });

  it('declares every pair once, each with the system on the other side of HighLevel', () => {
    expect(Object.keys(PAIR_DECLARATIONS).sort()).toEqual([...PAIR_IDS].sort());
    for (const p of PAIR_IDS) expect(PAIR_DECLARATIONS[p].pair).toBe(p);
    expect(PAIRS['ghl-aroflo'].other).toBe('aroflo');
    expect(PAIRS['ghl-aimfox'].other).toBe('aimfox');
  });
});
