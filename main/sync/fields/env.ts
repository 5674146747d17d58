/**
 * The business's country (phones) and time zone (dates) the transforms use (main/sync/fields/README.md, "Phones" and
 * "Dates"): the mapping's own setting first, else the HighLevel location's, else AU and the machine's time zone.
 */
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { PairMapping } from '../../../preload/contract.js';
import { isTimeZone } from './canonical.js';
import type { CustomFieldDef, TransformEnv } from './types.js';

export type EnvSource = 'mapping' | 'location' | 'fallback';
export interface ResolvedEnv extends TransformEnv {
  source: EnvSource;
}

const country = (c: string | null | undefined): CountryCode | undefined => {
  const up = c?.trim().toUpperCase();
  return up && isSupportedCountry(up) ? up : undefined;
};
const zone = (z: string | null | undefined): string | undefined => (z && isTimeZone(z) ? z : undefined);

export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function transformEnv(
  defaults: PairMapping['defaults'] | undefined,
  location: { country?: string | null; timezone?: string | null } | undefined,
  customFields: readonly CustomFieldDef[] = [],
): ResolvedEnv {
  const mc = country(defaults?.phoneCountry);
  const mz = zone(defaults?.timeZone);
  const lc = country(location?.country);
  const lz = zone(location?.timezone);
  return {
    country: mc ?? lc ?? 'AU',
    timeZone: mz ?? lz ?? machineTimeZone(),
    customFields,
    source: mc || mz ? 'mapping' : lc || lz ? 'location' : 'fallback',
  };
}
