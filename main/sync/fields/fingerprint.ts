/**
 * The fingerprint of a mapping: a hash of everything that changes what a run does, so any change needs a reviewed
 * preview before the next real run. New optional members are hashed only when a mapping has them, so a stored mapping
 * keeps its fingerprint (main/sync/fields/README.md, "Stored mappings").
 */
import { createHash } from 'node:crypto';
import type { PairMapping } from '../../../preload/contract.js';

/** Everything that changes what a run does; not the bookkeeping fields. */
export function mappingFingerprint(m: Omit<PairMapping, 'fingerprint'> | PairMapping): string {
  const { pair, entities, filters, defaults, noteToTask, appointmentNotes } = m;
  return createHash('sha256')
    .update(JSON.stringify({ pair, entities, filters, defaults, noteToTask, appointmentNotes }))
    .digest('hex')
    .slice(0, 16);
}

/** A real run needs a reviewed preview of exactly this mapping. */
export function needsPreview(m: PairMapping): boolean {
  return m.previewedFingerprint !== m.fingerprint;
}

/** The country and time zone a run reads phones and dates in (fields/env.ts). */
export interface RunEnvFacts {
  country: string;
  timeZone: string;
}

/**
 * Why a reviewed preview no longer covers a run whose business's country or time zone is `env` (README.md in this
 * folder, "Stored mappings"): national phone numbers read in another country, or days in another zone, are other
 * values, so the pair waits for a new preview. A preview stored before the bridge kept its country and zone was made
 * reading every national number as Australian, in no particular zone: it stays valid under AU.
 */
export function envChange(m: PairMapping, env: RunEnvFacts): string | undefined {
  const seen = m.previewedEnv ?? { country: 'AU', timeZone: undefined };
  const out: string[] = [];
  if (seen.country !== env.country)
    out.push(`phones are now read in ${env.country}, the last preview read them in ${seen.country}`);
  if (seen.timeZone !== undefined && seen.timeZone !== env.timeZone)
    out.push(`dates are now in ${env.timeZone}, the last preview used ${seen.timeZone}`);
  return out.length
    ? `${m.label}: the business's country or time zone changed (${out.join('; ')}) — preview the mapping again before sync runs it.`
    : undefined;
}
