/**
 * The systems GHL Bridge connects and the pairs it syncs. Every place that needs "the other system of a pair" or
 * "the pairs, in order" reads these tables instead of testing a pair by name.
 */

export type SystemId = 'ghl' | 'aroflo' | 'aimfox';
export type PairId = 'ghl-aroflo' | 'ghl-aimfox';
/** The systems a pair connects to HighLevel (every pair has HighLevel on one side). */
export type OtherSystemId = Exclude<SystemId, 'ghl'>;

export const SYSTEMS: readonly SystemId[] = ['ghl', 'aroflo', 'aimfox'];

export const SYSTEM_LABEL: Readonly<Record<SystemId, string>> = {
  ghl: 'HighLevel',
  aroflo: 'AroFlo',
  aimfox: 'Aimfox',
};

export interface PairInfo {
  id: PairId;
  /** The system on the other side of HighLevel. */
  other: OtherSystemId;
  /** What people call the pair (the mapping's label). */
  label: string;
}

/** Every pair, in sync order: a pair that writes into HighLevel what a later pair reads comes first (main/sync/README.md, "Hops"). */
export const PAIRS: Readonly<Record<PairId, PairInfo>> = {
  'ghl-aroflo': { id: 'ghl-aroflo', other: 'aroflo', label: 'HighLevel ⇄ AroFlo' },
  'ghl-aimfox': { id: 'ghl-aimfox', other: 'aimfox', label: 'HighLevel → Aimfox' },
};

export const PAIR_IDS: readonly PairId[] = Object.keys(PAIRS) as PairId[];

/** The system on the other side of a pair. */
export const otherSystemOf = (pair: PairId): OtherSystemId => PAIRS[pair].other;
