/**
 * Canonical field values, so both sides compare like with like: trimmed NFC text, lower-case emails, E.164
 * phones, YYYY-MM-DD dates, plain-text notes. Applied when reading from either system.
 */
import { isoFromMs } from '../../connectors/shared/dates.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { convert as htmlToText, type HtmlToTextOptions } from 'html-to-text';
import { decodeHTMLStrict, escapeText } from 'entities';

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).normalize('NFC').replace(/\r\n?/g, '\n').trim();
  return s.length ? s : null;
}

export function email(v: unknown): string | null {
  const s = text(v);
  return s ? s.toLowerCase() : null;
}

/** E.164 when the number parses (national numbers read in `country`), else the digits as typed, else null. */
export function phone(v: unknown, country: CountryCode = 'AU'): string | null {
  const s = text(v);
  if (!s) return null;
  const parsed = parsePhoneNumberFromString(s, country);
  if (parsed && (parsed.isValid() || parsed.isPossible())) return parsed.number;
  const digits = s.replace(/[^\d+]/g, '');
  return digits.length ? digits : null;
}

/** YYYY-MM-DD from ISO, "YYYY/MM/DD", "YYYY-MM-DD HH:mm:ss" or epoch ms. */
export function day(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return isoFromMs(v)?.slice(0, 10) ?? null;
  const s = String(v).trim();
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : null;
}

/**
 * A system's date or time ("2026-12-01", "2026-12-01T09:30:00Z", "2026/12/01 09:30:00") as ms; a time without a zone
 * is read as UTC (AroFlo's `created_utc`); null if unreadable.
 */
export function dateMs(v: unknown): number | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  const s = v.trim().replace(/^(\d{4})\/(\d{2})\/(\d{2})/, '$1-$2-$3');
  const t = /^\d{4}-\d{2}-\d{2} \d/.test(s) ? s.replace(' ', 'T') : s;
  const ms = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}Z` : t);
  return Number.isNaN(ms) ? null : ms;
}

export function bool(v: unknown): string {
  return v === true || v === 'true' || v === 'TRUE' || v === '1' || v === 1 ? 'true' : 'false';
}

/**
 * Markup worth converting: a tag HighLevel's editor (or AroFlo's) writes. Anything else in angle brackets — "a < b",
 * "John <john@example.com>" — is text as typed.
 */
const HTML_TAG =
  /<\/?(p|div|br|span|b|strong|i|em|u|s|strike|a|ul|ol|li|h[1-6]|blockquote|pre|code|img|hr|table|thead|tbody|tr|td|th|font|sub|sup)\b[^>]*>/i;
/** An entity with its semicolon (`&amp;`, `&#8212;`, `&#x201C;`): decoded even in plain text. */
const ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const BLOCK = { leadingLineBreaks: 1, trailingLineBreaks: 1 };
const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  preserveNewlines: true,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    ...['p', 'div', 'blockquote', 'pre'].map((selector) => ({ selector, options: BLOCK })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { ...BLOCK, uppercase: false } })),
    // A list item is a line of its own, as the hand-written conversion before it made them (stored bases hold that).
    ...['ul', 'ol', 'li'].map((selector) => ({ selector, format: 'block', options: BLOCK })),
  ],
};

/**
 * Notes may arrive as markup (HighLevel's editor writes `body` as HTML beside a plain `bodyText`; AroFlo notes can hold
 * HTML): keep the words and line breaks, drop the markup — converted by html-to-text; entities decoded by `entities`
 * (only complete ones, so "R&D" or "&notes" stay as typed).
 */
export function noteText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const raw = String(v);
  const plain = HTML_TAG.test(raw) ? htmlToText(raw, HTML_TO_TEXT) : ENTITY.test(raw) ? decodeHTMLStrict(raw) : raw;
  return text(
    plain
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n'),
  );
}

/**
 * Plain text as markup for a system that keeps notes as HTML (HighLevel's note `body`): `&`, `<` and `>` escaped, so
 * "R&D <urgent>" reads back — as `bodyText`, or through noteText — exactly as typed instead of losing "<urgent>" as a tag.
 */
export function markupOf(plain: string | null | undefined): string {
  return escapeText(plain ?? '');
}

/** A business name as a matching key. */
export function nameKey(v: unknown): string | null {
  const s = text(v);
  return s
    ? s
        .toLowerCase()
        .replace(/\s+/g, ' ')
        .replace(/\b(pty|ltd|limited|inc|llc)\b\.?/g, '')
        .trim() || null
    : null;
}

/**
 * Whether an AroFlo client's name is its own first name and surname — a residential customer — also when a
 * disambiguator follows, because AroFlo refuses a client name twice: "Jo Bloggs 2", "Jo Bloggs (jo@example.com)"
 * (possibly cut at AroFlo's 50 characters).
 */
export function isPersonName(clientName: unknown, firstName: unknown, surname: unknown): boolean {
  const name = nameKey(clientName);
  const person = nameKey(`${text(firstName) ?? ''} ${text(surname) ?? ''}`);
  if (!name || !person || !text(firstName)) return false;
  if (name === person) return true;
  return name.startsWith(`${person} `) && /^(\d+|\(.*)$/.test(name.slice(person.length + 1));
}

export function fullName(first: string | null, last: string | null, fallback = '(no name)'): string {
  return [first, last].filter(Boolean).join(' ') || fallback;
}
