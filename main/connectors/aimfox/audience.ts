/**
 * Adding people to a campaign's audience: the refusal codes Aimfox documents (README "Facts: adding leads") turned
 * into per-profile outcomes a person can act on, and the bulk (`audience/multiple`) answer matched back to the
 * profiles we sent.
 */
import { z } from 'zod';
import { normalizePublicIdentifier, parseLinkedInProfileUrl } from './linkedin-url.js';
import { audienceEntrySchema } from './schemas.js';
import type { AimfoxAudienceEntry, AudienceAddOutcome, AudienceRefusalCode, RejectedItem } from './types.js';

export const AUDIENCE_REFUSAL_CODES: readonly AudienceRefusalCode[] = [
  'blocked',
  'locked',
  'miningFailed',
  'noPFP',
  'alreadyConnected',
  'notLead',
  'closed',
];

export function isRefusalCode(code: string | undefined): code is AudienceRefusalCode {
  return code !== undefined && (AUDIENCE_REFUSAL_CODES as readonly string[]).includes(code);
}

/** What each refusal means for the person, and whether the same add can succeed later unchanged. */
const REFUSALS: Record<AudienceRefusalCode, { retryLater: boolean; text: (url: string, campaign: string) => string }> =
  {
    blocked: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox refused to add ${u} to ${c}: the profile is blocked (blacklisted) in Aimfox — remove the block in Aimfox if this is a mistake.`,
    },
    locked: {
      retryLater: true,
      text: (u, c) =>
        `Aimfox did not add ${u} to ${c}: the person is already in another Aimfox campaign — it will be tried again later.`,
    },
    miningFailed: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox could not find the LinkedIn profile ${u} (for ${c}) — check the LinkedIn URL on the GHL contact.`,
    },
    noPFP: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox refused to add ${u} to ${c}: the profile has no picture and the campaign excludes such profiles — change the campaign setting in Aimfox to include them.`,
    },
    alreadyConnected: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox did not add ${u} to ${c}: the person is already a lead (already connected) — nothing to do.`,
    },
    notLead: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox refused to add ${u} to ${c}: the person is not a lead (not a 1st-degree connection) and the campaign only messages connections — use a connect campaign.`,
    },
    closed: {
      retryLater: false,
      text: (u, c) =>
        `Aimfox refused to add ${u} to ${c}: the person cannot receive free InMails — use a connect campaign.`,
    },
  };

/** The outcome for a refusal code from `error.data` or `failedReason`. */
export function refusalOutcome(
  profileUrl: string,
  publicIdentifier: string,
  campaignLabel: string,
  code: string | undefined,
  apiMessage?: string,
): Extract<AudienceAddOutcome, { outcome: 'refused' }> {
  if (isRefusalCode(code)) {
    const r = REFUSALS[code];
    return {
      outcome: 'refused',
      profileUrl,
      publicIdentifier,
      reason: code,
      code,
      message: r.text(profileUrl, campaignLabel),
      retryLater: r.retryLater,
    };
  }
  const said = [code, apiMessage].filter(Boolean).join(': ');
  return {
    outcome: 'refused',
    profileUrl,
    publicIdentifier,
    reason: 'unknown',
    code,
    message: `Aimfox refused to add ${profileUrl} to ${campaignLabel}${said ? ` (${said})` : ''} — check the profile and the campaign in Aimfox.`,
    retryLater: false,
  };
}

/** A profile we are about to send, after local validation. */
export interface PreparedProfile {
  /** As the caller gave it. */
  input: string;
  url: string;
  publicIdentifier: string;
  customVariables?: Record<string, string>;
}

export interface BulkProfileInput {
  profileUrl: string;
  /** Campaign custom variables for this person, e.g. `{ "first name": "John" }` (used as `{{CUSTOM.KEY}}`). */
  customVariables?: Record<string, string>;
}

/**
 * Validate profile URLs locally (the invalid ones never cost a request) and send each person once. `order`
 * keeps the caller's order so outcomes can be returned one per input, duplicates sharing their first's outcome.
 */
export function prepareProfiles(inputs: readonly BulkProfileInput[]): {
  send: PreparedProfile[];
  order: Array<{ key: string } | { invalid: AudienceAddOutcome }>;
} {
  const send: PreparedProfile[] = [];
  const order: Array<{ key: string } | { invalid: AudienceAddOutcome }> = [];
  const seen = new Set<string>();
  for (const p of inputs) {
    const parsed = parseLinkedInProfileUrl(p.profileUrl);
    if (!parsed.ok) {
      order.push({
        invalid: { outcome: 'invalid', profileUrl: p.profileUrl, message: `Not added to Aimfox: ${parsed.reason}.` },
      });
      continue;
    }
    const key = normalizePublicIdentifier(parsed.publicIdentifier);
    order.push({ key });
    if (seen.has(key)) continue;
    seen.add(key);
    send.push({
      input: p.profileUrl,
      url: parsed.url,
      publicIdentifier: parsed.publicIdentifier,
      customVariables: p.customVariables,
    });
  }
  return { send, order };
}

const bulkAnswerSchema = z.object({
  profiles: z.array(z.unknown()).nullish(),
  failed: z.array(z.unknown()).nullish(),
  failedReason: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * Match a bulk answer `{profiles, failed, failedReason}` to what we sent. A profile is `refused` when
 * failedReason names it (or `failed` lists its URL), `added` when `profiles` holds it, else `unconfirmed`.
 * Entries in `profiles` that do not validate are reported in `rejected` (the add itself still counts).
 */
export function matchBulkAnswer(
  sent: readonly PreparedProfile[],
  body: unknown,
  campaignLabel: string,
): { outcomes: AudienceAddOutcome[]; rejected: RejectedItem[] } | { error: string } {
  const r = bulkAnswerSchema.safeParse(body);
  if (!r.success) return { error: 'the answer has no readable profiles/failed lists' };
  const added = new Map<string, AimfoxAudienceEntry | undefined>();
  const rejected: RejectedItem[] = [];
  for (const raw of r.data.profiles ?? []) {
    const entry = audienceEntrySchema.safeParse(raw);
    if (entry.success) {
      added.set(normalizePublicIdentifier(entry.data.publicIdentifier), entry.data);
      continue;
    }
    const pid = raw && typeof raw === 'object' ? (raw as { public_identifier?: unknown }).public_identifier : undefined;
    if (typeof pid === 'string' && pid) added.set(normalizePublicIdentifier(pid), undefined);
    rejected.push({
      raw,
      reason: `Aimfox added a profile to ${campaignLabel} but described it in a shape we could not read — it will be picked up on the next audience read.`,
    });
  }
  const reasons = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(r.data.failedReason ?? {})) {
    reasons.set(keyFor(k), typeof v === 'string' ? v : undefined);
  }
  const failedKeys = new Set<string>();
  for (const f of r.data.failed ?? []) {
    const url =
      f && typeof f === 'object' ? (f as { profile_url?: unknown }).profile_url : typeof f === 'string' ? f : undefined;
    if (typeof url === 'string') failedKeys.add(keyFor(url));
  }
  const outcomes = sent.map((p): AudienceAddOutcome => {
    const key = normalizePublicIdentifier(p.publicIdentifier);
    if (reasons.has(key)) return refusalOutcome(p.url, p.publicIdentifier, campaignLabel, reasons.get(key));
    if (failedKeys.has(key)) return refusalOutcome(p.url, p.publicIdentifier, campaignLabel, undefined);
    if (added.has(key))
      return { outcome: 'added', profileUrl: p.url, publicIdentifier: p.publicIdentifier, entry: added.get(key) };
    return {
      outcome: 'unconfirmed',
      profileUrl: p.url,
      publicIdentifier: p.publicIdentifier,
      message: `Aimfox neither confirmed nor refused adding ${p.url} to ${campaignLabel} — it will be checked on the next audience read.`,
    };
  });
  return { outcomes, rejected };
}

/** failedReason keys and failed URLs may be identifiers or URLs: reduce both to a normalised identifier. */
function keyFor(text: string): string {
  if (/linkedin\.com|\//i.test(text)) {
    const parsed = parseLinkedInProfileUrl(text);
    if (parsed.ok) return normalizePublicIdentifier(parsed.publicIdentifier);
  }
  return normalizePublicIdentifier(text);
}
