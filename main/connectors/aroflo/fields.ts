/**
 * zod building blocks for AroFlo record fields, on top of `values.ts`. Records arrive with lower-cased keys
 * (see `envelope.ts`). A field that must be there and is not, or a value that cannot be what it claims to be,
 * makes that one record "rejected" (reported with its reason), never the whole listing.
 */
import { z } from 'zod';
import { fieldIssues, type FieldIssue } from '../shared/issues.js';
import { asArray } from './envelope.js';
import { parseDateOnly, parseLocal, parseUtc, toBool, toText } from './values.js';

/** Optional text: trimmed, empty → undefined. */
export const text = z
  .unknown()
  .optional()
  .transform((v) => toText(v));

/** Text kept exactly as sent (note bodies can be HTML where whitespace matters); only "" / " " → "". */
export const rawText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? (v.trim() ? v : '') : (toText(v) ?? '')));

/** A required opaque id (base64-like string, or a number-ish string). */
export const id = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    const t = toText(v);
    if (!t) {
      ctx.addIssue({ code: 'custom', message: 'missing id' });
      return z.NEVER;
    }
    return t;
  });

/** A boolean AroFlo may send as "true"/"TRUE"/"1"/"0"… Missing → false; garbage rejects the record. */
export const bool = z
  .unknown()
  .optional()
  .transform((v, ctx) => {
    const b = toBool(v);
    if (b === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a boolean: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return b;
  });

function dateField(parse: (v: unknown) => string | undefined | null, strict: boolean, what: string) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      const r = parse(v);
      if (r === null) {
        if (!strict) return undefined;
        ctx.addIssue({ code: 'custom', message: `not a ${what}: ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return r;
    });
}

/** A UTC date-time that change detection relies on: garbage rejects the record. → ISO "…Z" | undefined */
export const utcStrict = dateField(parseUtc, true, 'UTC date-time');
/** A UTC date-time nothing depends on: garbage → undefined. */
export const utc = dateField(parseUtc, false, 'UTC date-time');
/** Date only → "YYYY-MM-DD" | undefined (garbage → undefined). */
export const dateOnly = dateField(parseDateOnly, false, 'date');
/** Site-local date-time → "YYYY-MM-DDTHH:mm:ss" (no zone) | undefined. */
export const local = dateField(parseLocal, false, 'local date-time');

/** A nested object that may be missing, "" or a one-element array. */
export function nested<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx): z.output<T> | undefined => {
      const first = Array.isArray(v) ? v[0] : v;
      if (first === undefined || first === null || (typeof first === 'string' && !first.trim())) return undefined;
      const r = schema.safeParse(first);
      if (!r.success) {
        for (const issue of r.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
        return z.NEVER;
      }
      return r.data;
    });
}

/**
 * A nested list (a bare object counts as one item). Bad items are dropped and described in `dropped`, so one
 * broken contact does not hide its client.
 */
export function list<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .optional()
    .transform((v) => {
      const items: Array<z.output<T>> = [];
      const dropped: string[] = [];
      asArray(v).forEach((raw, i) => {
        const r = schema.safeParse(raw);
        if (r.success) items.push(r.data);
        else dropped.push(`item ${i}: ${describeIssues(r.error)}`);
      });
      return { items, dropped };
    });
}

/**
 * A joined list (`join=contacts` on clients, `join=notes` on tasks) read whole, or why it could not be: AroFlo sends
 * the list on every record it was asked for, `[]` when there is none (README.md in this folder, "Facts: joined
 * lists"); one item may come bare. `unread` says why the list tells nothing about which items exist: it was asked
 * for and left out, it is not a list (`null`, text, a number, a flag), or an item in it could not be read. A caller
 * must never take an item missing from an unread list for deleted. `undefined` when the list was neither asked for
 * nor sent.
 */
export function joinedList<T>(
  raw: unknown,
  schema: z.ZodType<T>,
  what: string,
  asked: boolean,
): { items: T[]; dropped: string[]; unread?: string } | undefined {
  if (raw === undefined)
    return asked
      ? { items: [], dropped: [], unread: `the answer left out the ${what} list it was asked for` }
      : undefined;
  if (raw === null || typeof raw !== 'object')
    return { items: [], dropped: [], unread: `${what}: not a list (${JSON.stringify(raw)?.slice(0, 40)})` };
  const parsed = list(schema).parse(raw);
  return parsed.dropped.length
    ? {
        ...parsed,
        unread: `${what}: ${parsed.dropped.length} of ${asArray(raw).length} could not be read (${parsed.dropped[0]})`,
      }
    : parsed;
}

export function describeIssues(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`)
    .join('; ');
}

export interface Listing<T> {
  items: T[];
  /** Records that did not match the documented shape: quarantine them, the rest are good. */
  rejected: Array<{ raw: unknown; reason: string; issues?: FieldIssue[] }>;
}

/** Parse each raw record on its own: the good ones come back, each bad one with its reason. */
export function parseEach<T>(raws: unknown[], schema: z.ZodType<T>, what: string): Listing<T> {
  const out: Listing<T> = { items: [], rejected: [] };
  for (const raw of raws) {
    const r = schema.safeParse(raw);
    if (r.success) out.items.push(r.data);
    else
      out.rejected.push({
        raw,
        reason: `AroFlo sent a ${what} we could not read (${describeIssues(r.error)})`,
        issues: fieldIssues(r.error),
      });
  }
  return out;
}
