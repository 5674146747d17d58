/**
 * LinkedIn profile URLs ⇄ public identifiers.
 *
 * Aimfox identifies people only by LinkedIn profile URL (audience add, blacklist) and its leads carry no URL,
 * only a `public_identifier`, so both directions matter:
 * - `linkedInProfileUrl(id)` builds the canonical `https://www.linkedin.com/in/<id>/` Aimfox documents;
 * - `parseLinkedInProfileUrl(text)` accepts whatever a person pasted into GHL (http/https, with or without
 *   www, mobile `m.` or a country subdomain, no scheme at all, trailing slash, query, fragment, uppercase,
 *   percent-encoded non-ASCII, extra path after the identifier) and returns the normalised identifier, or a
 *   reason a person can act on when the text is not a personal profile address.
 *
 * Normalised identifier: percent-decoded, Unicode NFC, lowercase (LinkedIn vanity names are case-insensitive).
 * The exception is a member-URN style identifier (`ACoAA…`), which is case-sensitive and kept as written.
 */

import { isWellFormedText } from '../shared/text.js';

export type ParsedProfileUrl =
  { ok: true; publicIdentifier: string; url: string; kind: 'vanity' | 'urn' } | { ok: false; reason: string };

const LINKEDIN_HOST = /^(?:[a-z0-9-]+\.)?linkedin\.com$/;
const URN_ID = /^ACo[A-Za-z0-9_-]{10,}$/;
/** Letters and digits of any script, hyphen, underscore; LinkedIn allows 3–100, older profiles can be shorter. */
const VANITY_ID = /^[\p{L}\p{M}\p{N}_-]{1,100}$/u;

/** The canonical profile URL Aimfox documents for a public identifier. */
export function linkedInProfileUrl(publicIdentifier: string): string {
  const id = publicIdentifier.trim();
  if (!id) throw new TypeError('A LinkedIn public identifier is needed to build a profile URL');
  if (!isWellFormedText(id))
    throw new TypeError('A LinkedIn public identifier must be well-formed text to build a profile URL');
  return `https://www.linkedin.com/in/${encodeURIComponent(id)}/`;
}

/** Normalise an identifier the way `parseLinkedInProfileUrl` does, for comparing identifiers from any source. */
export function normalizePublicIdentifier(id: string): string {
  let s = id.trim();
  try {
    s = decodeURIComponent(s);
  } catch {
    // keep as given; callers comparing identifiers only need a stable form
  }
  s = s.normalize('NFC');
  return URN_ID.test(s) ? s : s.toLowerCase();
}

/** Parse any LinkedIn profile URL to its public identifier, or say why it is not one. */
export function parseLinkedInProfileUrl(input: string): ParsedProfileUrl {
  const text = input.trim();
  if (!text) return { ok: false, reason: 'the LinkedIn profile address is empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return {
      ok: false,
      reason: `"${short(text)}" is not a web address — paste the full LinkedIn profile address (https://www.linkedin.com/in/…)`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      reason: `"${short(text)}" is not a web address — paste the full LinkedIn profile address (https://www.linkedin.com/in/…)`,
    };
  }
  const host = url.hostname.toLowerCase();
  if (!LINKEDIN_HOST.test(host)) {
    return {
      ok: false,
      reason: `"${short(text)}" is not a LinkedIn address — paste the person's LinkedIn profile address (https://www.linkedin.com/in/…)`,
    };
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const first = segments[0]?.toLowerCase();
  if (first !== 'in') {
    return {
      ok: false,
      reason: `"${short(text)}" is ${describeNonProfile(first)}, not a person's profile — open the person's profile and copy its address (https://www.linkedin.com/in/…)`,
    };
  }
  const raw = segments[1];
  if (!raw)
    return { ok: false, reason: `"${short(text)}" has no profile name after /in/ — copy the full profile address` };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return {
      ok: false,
      reason: `"${short(text)}" has a broken %-encoded profile name — copy the profile address again from the browser`,
    };
  }
  decoded = decoded.normalize('NFC');
  if (URN_ID.test(decoded))
    return { ok: true, publicIdentifier: decoded, url: linkedInProfileUrl(decoded), kind: 'urn' };
  if (!VANITY_ID.test(decoded)) {
    return {
      ok: false,
      reason: `"${short(text)}" does not end in a valid LinkedIn profile name — copy the profile address again from the browser`,
    };
  }
  const id = decoded.toLowerCase();
  return { ok: true, publicIdentifier: id, url: linkedInProfileUrl(id), kind: 'vanity' };
}

/** The canonical URL for any accepted profile URL; throws a TypeError with the reason otherwise. */
export function normalizeLinkedInProfileUrl(input: string): string {
  const parsed = parseLinkedInProfileUrl(input);
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return parsed.url;
}

function describeNonProfile(first: string | undefined): string {
  switch (first) {
    case undefined:
      return 'the LinkedIn home page';
    case 'company':
    case 'showcase':
    case 'school':
      return 'a company or school page';
    case 'sales':
      return 'a Sales Navigator link';
    case 'pub':
      return 'an old-style /pub/ profile link';
    case 'posts':
    case 'feed':
    case 'pulse':
      return 'a post or article';
    case 'groups':
      return 'a group page';
    case 'jobs':
      return 'a job listing';
    default:
      return 'a LinkedIn page';
  }
}

function short(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
