/**
 * The AroFlo response envelope (README "Facts: envelope") and its quirks, normalised before anything else looks at it:
 * - every object key lower-cased (`NOTEID`, `CLIENTID`, `SiteContact` → `noteid`, `clientid`, `sitecontact`);
 * - `status` as a string ("0" = OK), numeric fields that flip between "500" and 500;
 * - the records under a zone key that is usually, but not always, the zone name (inventory → items,
 *   taskmaterials → materials), and a single record sent as a bare object instead of a one-element array.
 */
import { z } from 'zod';
import { ConnectorError } from '../shared/errors.js';
import { toNum } from './values.js';

/** Recursively lower-case object keys (arrays and scalars pass through). When two keys collide, the first wins. */
export function lowerKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const key = k.toLowerCase();
      if (!(key in out)) out[key] = lowerKeys(child);
    }
    return out;
  }
  return v;
}

/** undefined / null / "" → []; an array as is; anything else (a bare record) → [it]. */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string' && !v.trim()) return [];
  return Array.isArray(v) ? v : [v];
}

const envelopeSchema = z.object({
  status: z.union([z.string(), z.number()]).transform((s) => String(s).trim()),
  statusmessage: z
    .union([z.string(), z.number()])
    .optional()
    .transform((s) => (s === undefined ? '' : String(s))),
  zoneresponse: z.unknown().optional(),
});

export interface Envelope {
  status: string;
  statusmessage: string;
  /** Lower-cased keys; {} when absent. */
  zoneresponse: Record<string, unknown>;
}

/** Validate the outer shape of a parsed JSON body; a wrong shape is a typed `malformed` error for this call. */
export function parseEnvelope(body: unknown, operation: string): Envelope {
  const lowered = lowerKeys(body);
  const r = envelopeSchema.safeParse(lowered);
  if (!r.success) {
    throw new ConnectorError({
      system: 'aroflo',
      kind: 'malformed',
      operation,
      detail: `no status in the answer (${r.error.issues[0]?.path.join('.') || 'body'}: ${r.error.issues[0]?.message ?? 'invalid'})`,
    });
  }
  const zr = r.data.zoneresponse;
  const zoneresponse = zr && typeof zr === 'object' && !Array.isArray(zr) ? (zr as Record<string, unknown>) : {};
  return { status: r.data.status, statusmessage: r.data.statusmessage, zoneresponse };
}

/** Keys of zoneresponse that are paging / timing metadata, never records. */
const META_KEYS = new Set([
  'currentpageresults',
  'maxpageresults',
  'pagenumber',
  'generatedisplayresponsetime',
  'queryresponsetimes',
  'postresults',
]);

/** Known zone keys that differ from the zone name (README "Facts: envelope"). */
const ZONE_KEY_ALIASES: Record<string, string[]> = {
  inventory: ['items'],
  taskmaterials: ['materials'],
};

/**
 * The records of a listing. Looks for the zone name, then its known aliases, then the first non-metadata key
 * holding an array or an object (a bare single record).
 */
export function zoneItems(zoneresponse: Record<string, unknown>, zone: string): unknown[] {
  const name = zone.toLowerCase();
  for (const key of [name, ...(ZONE_KEY_ALIASES[name] ?? [])])
    if (key in zoneresponse) return asArray(zoneresponse[key]);
  for (const [key, v] of Object.entries(zoneresponse)) {
    if (META_KEYS.has(key)) continue;
    if (Array.isArray(v) || (v && typeof v === 'object')) return asArray(v);
  }
  return [];
}

export interface PageMeta {
  currentPageResults?: number;
  maxPageResults?: number;
  pageNumber?: number;
}

export function pageMeta(zoneresponse: Record<string, unknown>, operation: string): PageMeta {
  const read = (k: string): number | undefined => {
    const n = toNum(zoneresponse[k]);
    if (n !== undefined && !Number.isFinite(n)) {
      throw new ConnectorError({ system: 'aroflo', kind: 'malformed', operation, detail: `${k} is not a number` });
    }
    return n;
  };
  return {
    currentPageResults: read('currentpageresults'),
    maxPageResults: read('maxpageresults'),
    pageNumber: read('pagenumber'),
  };
}

/** True when AroFlo says it applied its hidden default filter (README "Facts: GET requests"). */
export function defaultFilterApplied(env: Envelope): boolean {
  return /default filter applied/i.test(env.statusmessage);
}
