/**
 * What one location folder says about itself (main/service/locations.ts): its HighLevel id and name, and the overview
 * line the window's "All locations" shows. Kept apart from locations.ts so the handlers can use it without the
 * registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppStatus, LocationOverview } from '../../preload/contract.js';

/** The root's id before it is signed in to HighLevel. */
export const ROOT_LOCATION_ID = 'main';
/** `<location folder>/location.json`: the id and name HighLevel gave when the location was added. */
export const INFO_FILE = 'location.json';

export interface LocationInfoFile {
  id: string;
  name: string;
  addedAt: string;
  /** The profile root (its first location). */
  primary?: boolean;
}

export function readLocationInfo(dir: string): Partial<LocationInfoFile> {
  try {
    return JSON.parse(readFileSync(join(dir, INFO_FILE), 'utf8')) as Partial<LocationInfoFile>;
  } catch {
    return {};
  }
}

/** The overview line of one location, from its status. */
export function overviewOf(l: { id: string; name: string; primary: boolean }, s: AppStatus): LocationOverview {
  const health = s.attention.some((a) => a.severity === 'error')
    ? 'error'
    : s.attention.some((a) => a.severity === 'warning')
      ? 'warning'
      : 'ok';
  return {
    id: l.id,
    name: l.name,
    primary: l.primary,
    lastRun: s.lastRun,
    nextRunAt: s.nextRunAt,
    paused: s.paused,
    syncing: s.syncing,
    openConflicts: s.openConflicts,
    openDuplicates: s.openDuplicates,
    health,
    attention: s.attention.length,
  };
}
