/**
 * Zod schemas for Aimfox payloads (README "Facts: entities"), each mapped straight to the normalised records in `types.ts`.
 *
 * Strict where a field is needed to identify or sync a record (ids, public identifier, note text), lenient
 * (`.catch`) on decorative extras so one odd optional field never costs a whole record.
 */
import { z } from 'zod';
import { isoFromMs } from '../shared/dates.js';
import { fieldIssues } from '../shared/issues.js';
import { isWellFormedText } from '../shared/text.js';
import { linkedInProfileUrl } from './linkedin-url.js';
import type {
  AimfoxAccount,
  AimfoxAudienceEntry,
  AimfoxCampaign,
  AimfoxLabel,
  AimfoxLabelRef,
  AimfoxLead,
  AimfoxNote,
  ListResult,
  RejectedItem,
} from './types.js';

/** Numeric ids come as numbers or strings depending on the endpoint: always a non-empty string here. */
const id = z.union([z.string().min(1), z.number().int()]).transform(String);
const optStr = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : v));
/** A profile URL is built from it, so text that cannot be percent-encoded makes the record unreadable, by name. */
const publicIdentifier = z.string().min(1).refine(isWellFormedText, 'not well-formed text');
const optNum = z
  .number()
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);
const optBool = z
  .boolean()
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);
const idList = z
  .array(id)
  .nullish()
  .catch([])
  .transform((v) => v ?? []);
const location = z
  .object({ name: z.string().nullish() })
  .nullish()
  .catch(undefined)
  .transform((v) => v?.name ?? undefined);
/** ISO string or ms epoch → ISO string. */
const isoTime = z
  .union([z.string(), z.number()])
  .nullish()
  .catch(undefined)
  .transform((v) => {
    if (v === null || v === undefined || v === '') return undefined;
    if (typeof v === 'number') return isoFromMs(v) ?? undefined;
    return v.startsWith('0001-01-01') ? undefined : v;
  });

export const accountSchema = z
  .object({
    id,
    urn: optStr,
    public_identifier: optStr,
    first_name: optStr,
    last_name: optStr,
    full_name: optStr,
    email: optStr,
    state: optStr,
    disabled: optBool,
    workspace_id: optStr,
  })
  .transform((a): AimfoxAccount => ({
    id: a.id,
    fullName: a.full_name ?? ([a.first_name, a.last_name].filter(Boolean).join(' ') || `LinkedIn account ${a.id}`),
    urn: a.urn,
    publicIdentifier: a.public_identifier,
    email: a.email,
    state: a.state,
    loggedIn: a.state === undefined ? true : a.state.toLowerCase() === 'loggedin',
    disabled: a.disabled ?? false,
    workspaceId: a.workspace_id,
  }));

const ADDABLE_STATES = new Set(['ACTIVE', 'PAUSED', 'DONE', 'CREATED']);

export const campaignSchema = z
  .object({
    id,
    name: z.string(),
    state: z.string(),
    type: optStr,
    outreach_type: optStr,
    created_at: optNum,
    target_count: optNum,
    owners: idList,
    audience_size: optNum,
    completion: optNum,
  })
  .transform((c): AimfoxCampaign => ({
    id: c.id,
    name: c.name,
    state: c.state,
    type: c.type,
    outreachType: c.outreach_type,
    createdAtMs: c.created_at,
    targetCount: c.target_count,
    owners: c.owners,
    stateAllowsAdds: ADDABLE_STATES.has(c.state.toUpperCase()),
    audienceSize: c.audience_size,
    completion: c.completion,
  }));

export const audienceEntrySchema = z
  .object({
    id,
    public_identifier: publicIdentifier,
    urn: optStr,
    full_name: optStr,
    occupation: optStr,
    company: optStr,
    location,
    state: optStr,
    owner: z
      .union([z.string(), z.number()])
      .nullish()
      .catch(undefined)
      .transform((v) => (v === null || v === undefined ? undefined : String(v))),
  })
  .transform((e): AimfoxAudienceEntry => ({
    leadId: e.id,
    publicIdentifier: e.public_identifier,
    profileUrl: linkedInProfileUrl(e.public_identifier),
    urn: e.urn,
    fullName: e.full_name,
    occupation: e.occupation,
    company: e.company,
    location: e.location,
    state: e.state,
    owner: e.owner,
  }));

export const labelSchema = z
  .object({ id, name: z.string(), color: optStr, count: optNum })
  .transform((l): AimfoxLabel => ({ id: l.id, name: l.name, color: l.color, count: l.count }));

const labelRefSchema = z
  .object({ id, name: z.string(), color: optStr })
  .transform((l): AimfoxLabelRef => ({ id: l.id, name: l.name, color: l.color }));

export const noteSchema = z
  .object({ id, text: z.string(), created_at: isoTime })
  .transform((n): AimfoxNote => ({ id: n.id, text: n.text, createdAt: n.created_at }));

const experience = z
  .array(
    z.object({
      company: z.object({ name: z.string().nullish() }).nullish().catch(undefined),
      job_title: z.string().nullish().catch(undefined),
    }),
  )
  .nullish()
  .catch(undefined);

const phones = z
  .array(z.object({ number: z.string().min(1), type: optStr }))
  .nullish()
  .catch(undefined)
  .transform((v) => (v ?? []).map((p) => ({ number: p.number, type: p.type })));

/** Embedded lists are extras: keep the parseable entries, drop the rest silently (the lead itself is fine). */
function lenientArray<T>(item: z.ZodType<T>) {
  return z
    .array(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((xs): T[] => {
      const out: T[] = [];
      for (const x of xs ?? []) {
        const r = item.safeParse(x);
        if (r.success) out.push(r.data);
      }
      return out;
    });
}

export const leadSchema = z
  .object({
    id,
    public_identifier: publicIdentifier,
    urn: optStr,
    first_name: optStr,
    last_name: optStr,
    full_name: optStr,
    occupation: optStr,
    location,
    email: optStr,
    phones,
    is_lead: optBool,
    lead_of: idList,
    origins: lenientArray(z.object({ id, name: optStr })),
    labels: lenientArray(labelRefSchema),
    notes: z.array(z.unknown()).nullish().catch(undefined),
    current_experience: experience,
    last_scraped_at: isoTime,
  })
  .transform((l): AimfoxLead => {
    const current = l.current_experience?.[0];
    let notes: AimfoxNote[] | undefined;
    if (l.notes) {
      notes = [];
      for (const n of l.notes) {
        const r = noteSchema.safeParse(n);
        if (r.success) notes.push(r.data);
      }
    }
    return {
      id: l.id,
      publicIdentifier: l.public_identifier,
      profileUrl: linkedInProfileUrl(l.public_identifier),
      urn: l.urn,
      firstName: l.first_name,
      lastName: l.last_name,
      fullName: l.full_name ?? ([l.first_name, l.last_name].filter(Boolean).join(' ') || undefined),
      occupation: l.occupation,
      company: current?.company?.name ?? undefined,
      jobTitle: current?.job_title ?? undefined,
      location: l.location,
      email: l.email,
      phones: l.phones,
      isLead: l.is_lead,
      leadOf: l.lead_of,
      origins: l.origins.map((o) => ({ id: o.id, name: o.name })),
      labels: l.labels,
      notes,
      lastScrapedAt: l.last_scraped_at,
    };
  });

export const leadsTotalSchema = z.object({
  total_leads: z.number().int().nonnegative(),
  sync: z.boolean().nullish(),
});

/** One line per issue, e.g. `public_identifier: expected string, received undefined`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'value'}: ${i.message}`)
    .join('; ');
}

/** Validate each list item on its own: good ones are returned, bad ones reported with the reason. */
export function parseList<T>(raw: readonly unknown[], schema: z.ZodType<T>, what: string): ListResult<T> {
  const items: T[] = [];
  const rejected: RejectedItem[] = [];
  for (const x of raw) {
    const r = schema.safeParse(x);
    if (r.success) items.push(r.data);
    else {
      const itemId = x && typeof x === 'object' && 'id' in x ? (x as { id: unknown }).id : undefined;
      const idText = typeof itemId === 'string' || typeof itemId === 'number' ? String(itemId) : undefined;
      rejected.push({
        raw: x,
        id: idText,
        issues: fieldIssues(r.error),
        reason: `Aimfox sent a ${what}${idText ? ` (id ${idText})` : ''} we could not read (${describeZodError(r.error)}) — it was skipped; the rest synced.`,
      });
    }
  }
  return { items, rejected };
}
