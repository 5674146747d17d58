/**
 * The fingerprint of a mapping: a hash of everything that changes what a run does, so any change needs a reviewed
 * preview before the next real run. New optional members are hashed only when a mapping has them, so a stored mapping
 * keeps its fingerprint (main/sync/fields/README.md, "Stored mappings").
 */
import { createHash } from 'node:crypto';
import type { PairMapping } from '../../../preload/contract.js';

/** Everything that changes what a run does; not the bookkeeping fields. */
export function mappingFingerprint(m: Omit<PairMapping, 'fingerprint'> | PairMapping): string {
  const { pair, entities, filters, defaults, noteToTask } = m;
  return createHash('sha256').update(JSON.stringify({ pair, entities, filters, defaults, noteToTask })).digest('hex').slice(0, 16);
}

/** A real run needs a reviewed preview of exactly this mapping. */
export function needsPreview(m: PairMapping): boolean {
  return m.previewedFingerprint !== m.fingerprint;
}
