/**
 * Reading AroFlo's `postresults` (README "Facts: writes") and mapping them back to the records we sent.
 *
 * AroFlo echoes what it inserted (`inserts.<zone>[i]` with the new `<zone>id`, key case varying) and updated
 * (`updates.<zone>[i]`), and lists failures in `errors[]` — with status "0" even when some records failed, and
 * without saying *which* record each error belongs to. So:
 * - inserts are matched to inputs by the fields AroFlo echoes (e.g. the unique `clientname`), in order;
 * - updates are matched by id;
 * - inputs nothing matched are reported failed with AroFlo's error text, so the engine can re-read and retry
 *   only those. When AroFlo echoed records we could not place, the unplaced inputs are `unknown` instead (one of
 *   them may have been written): re-read before retrying them, or a twin could be created.
 */
import { z } from 'zod';
import { ConnectorError } from '../shared/errors.js';
import { asArray, type Envelope } from './envelope.js';
import { cdataSafe } from './postxml.js';
import { toNum, toText } from './values.js';

export type WriteStatus = 'ok' | 'failed' | 'unknown' | 'not_sent';

/** What happened to one input record of a batched write. */
export interface WriteOutcome {
  /** Position of the record in the array the caller passed. */
  index: number;
  /**
   * ok — written (id is its AroFlo id); failed — AroFlo (or our pre-check) refused it, nothing written;
   * unknown — the call failed in a way that may or may not have written it: re-read before retrying;
   * not_sent — not attempted (an earlier call hit a limit or a sign-in problem).
   */
  status: WriteStatus;
  id?: string;
  error?: ConnectorError;
  /** AroFlo errors from the same call that could not be tied to any record. */
  warnings?: string[];
  /** Nested contacts of a client write, in the order given. */
  contacts?: WriteOutcome[];
  /** Nested notes of a task write, in the order given. */
  notes?: WriteOutcome[];
}

export interface ArofloWriteError {
  message?: string;
  code?: string;
  detail?: string;
  type?: string;
}

export interface PostResults {
  insertTotal?: number;
  updateTotal?: number;
  /** zone (lower case) → echoed records (lower-cased keys). */
  inserts: Record<string, Array<Record<string, unknown>>>;
  updates: Record<string, Array<Record<string, unknown>>>;
  errors: ArofloWriteError[];
}

const errorItem = z
  .union([
    z.object({ message: z.unknown(), code: z.unknown(), detail: z.unknown(), type: z.unknown() }),
    z.string().transform((message) => ({ message, code: undefined, detail: undefined, type: undefined })),
  ])
  .transform((e): ArofloWriteError => ({
    message: toText(e.message),
    code: toText(e.code),
    detail: toText(e.detail),
    type: toText(e.type),
  }));

function recordMap(v: unknown): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [zone, items] of Object.entries(v as Record<string, unknown>)) {
    out[zone] = asArray(items).filter(
      (x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x),
    );
  }
  return out;
}

/** `zoneresponse.postresults`, validated; a missing or wrong shape is a `malformed` error (outcome unknown). */
export function parsePostResults(env: Envelope, operation: string): PostResults {
  const pr = env.zoneresponse.postresults;
  if (!pr || typeof pr !== 'object' || Array.isArray(pr)) {
    throw new ConnectorError({
      system: 'aroflo',
      kind: 'malformed',
      operation,
      detail: 'no postresults in the answer to a write',
    });
  }
  const r = pr as Record<string, unknown>;
  const errors: ArofloWriteError[] = [];
  for (const e of asArray(r.errors)) {
    const p = errorItem.safeParse(e);
    errors.push(p.success ? p.data : { message: JSON.stringify(e).slice(0, 300) });
  }
  const num = (v: unknown): number | undefined => {
    const n = toNum(v);
    return n !== undefined && Number.isFinite(n) ? n : undefined;
  };
  return {
    insertTotal: num(r.inserttotal),
    updateTotal: num(r.updatetotal),
    inserts: recordMap(r.inserts),
    updates: recordMap(r.updates),
    errors,
  };
}

/** "Client already exists (code 209)". */
export function errorText(e: ArofloWriteError): string {
  const main = e.detail ?? e.message ?? 'unknown error';
  const extra = [
    e.detail && e.message && e.message !== e.detail ? e.message : undefined,
    e.code ? `code ${e.code}` : undefined,
  ].filter(Boolean);
  return extra.length ? `${main} (${extra.join(', ')})` : main;
}

const norm = (v: unknown): string =>
  cdataSafe(String(v ?? ''))
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** `a.b` inside an echo; a one-element array or a bare object both count. Scalars only. */
function pathValue(echo: Record<string, unknown>, path: string): unknown {
  let v: unknown = echo;
  for (const key of path.split('.')) {
    const obj = Array.isArray(v) ? v[0] : v;
    if (!obj || typeof obj !== 'object') return undefined;
    v = (obj as Record<string, unknown>)[key];
  }
  return v === null || typeof v === 'object' ? undefined : v;
}

export interface MatchSpec<I> {
  /** For messages: `client "Acme Pty Ltd"`. */
  describe(input: I): string;
  /** The echoed fields to compare (echo key, lower case, `a.b` for nested → the value we sent). */
  fields(input: I): Record<string, string | undefined>;
  /** The id key in the echo (`clientid`, `taskid`, `noteid`). */
  idKey: string;
  /** AroFlo does not return ids for these (task notes, README "Facts: task notes"): a matched echo without an id is still ok. */
  idOptional?: boolean;
}

export interface Sent<I> {
  index: number;
  input: I;
}

function rejected(
  operation: string,
  what: string,
  detail: string,
  kind: 'rejected' | 'malformed' = 'rejected',
): ConnectorError {
  return new ConnectorError({
    system: 'aroflo',
    kind,
    operation,
    detail,
    message:
      kind === 'rejected'
        ? `AroFlo rejected ${what}: ${detail} — check the record and the field mapping.`
        : `AroFlo's answer did not confirm ${what} (${detail}) — re-read it before trying again.`,
  });
}

/** The error text for failed records: exact when there is one error per failure, else every message. */
function assignErrors(count: number, errors: ArofloWriteError[]): string[] {
  if (!errors.length)
    return Array.from({ length: count }, () => 'AroFlo did not confirm it (no id in the answer and no error given)');
  if (errors.length === 1) return Array.from({ length: count }, () => errorText(errors[0] as ArofloWriteError));
  const all = errors.map(errorText);
  const joined = `one of: ${[...new Set(all)].join('; ')} (AroFlo does not say which error belongs to which record)`;
  return Array.from({ length: count }, () => joined);
}

function echoId(echo: Record<string, unknown>, idKey: string): string | undefined {
  return toText(echo[idKey]) ?? toText(echo.id);
}

/** Match inserted echoes to the inputs of one call. */
export function matchInserts<I>(
  sent: Array<Sent<I>>,
  echoes: Array<Record<string, unknown>>,
  errors: ArofloWriteError[],
  spec: MatchSpec<I>,
  operation: string,
): { outcomes: WriteOutcome[]; echoOf: Map<number, Record<string, unknown>> } {
  const matched = new Map<number, Record<string, unknown>>(); // position in `sent` → echo
  const unplaced: Array<Record<string, unknown>> = [];
  const expected = sent.map((s) => spec.fields(s.input));
  let cursor = 0;
  for (const echo of echoes) {
    const candidates: number[] = [];
    for (let k = 0; k < sent.length; k++) {
      if (matched.has(k)) continue;
      let compared = 0;
      let same = true;
      for (const [key, want] of Object.entries(expected[k] ?? {})) {
        const got = pathValue(echo, key);
        if (want === undefined || got === undefined) continue;
        compared++;
        if (norm(got) !== norm(want)) {
          same = false;
          break;
        }
      }
      if (same && compared > 0) candidates.push(k);
    }
    // Prefer the first candidate at or after the previous match: AroFlo echoes in the order it processed.
    const pick = candidates.find((k) => k >= cursor) ?? candidates[0];
    if (pick === undefined) unplaced.push(echo);
    else {
      matched.set(pick, echo);
      cursor = pick + 1;
    }
  }
  // Echoes without the fields we compare (only ids): pair by position when the counts leave no doubt.
  const open = sent.map((_, k) => k).filter((k) => !matched.has(k));
  if (unplaced.length && unplaced.length === open.length && !errors.length) {
    open.forEach((k, j) => matched.set(k, unplaced[j] as Record<string, unknown>));
    unplaced.length = 0;
  }
  const plainFailures = sent.map((_, k) => k).filter((k) => !matched.has(k));
  const texts = assignErrors(plainFailures.length, errors);
  const outcomes: WriteOutcome[] = sent.map((s, k) => {
    const echo = matched.get(k);
    const what = spec.describe(s.input);
    if (echo) {
      const perRecord = toText(echo.error);
      if (perRecord) return { index: s.index, status: 'failed', error: rejected(operation, what, perRecord) };
      const id = echoId(echo, spec.idKey);
      if (!id && spec.idOptional) return { index: s.index, status: 'ok' };
      if (!id)
        return {
          index: s.index,
          status: 'unknown',
          error: rejected(operation, what, 'echoed without an id', 'malformed'),
        };
      return { index: s.index, status: 'ok', id };
    }
    const text = texts[plainFailures.indexOf(k)] ?? 'not confirmed';
    if (unplaced.length) {
      // AroFlo wrote records we could not tie to inputs: this one may be among them.
      return {
        index: s.index,
        status: 'unknown',
        error: rejected(
          operation,
          what,
          `${text}; AroFlo also confirmed records we could not match, so this one may have been written`,
          'malformed',
        ),
      };
    }
    if (!errors.length) {
      // Neither confirmed nor refused: it may exist now. Re-read before retrying.
      return { index: s.index, status: 'unknown', error: rejected(operation, what, text, 'malformed') };
    }
    return { index: s.index, status: 'failed', error: rejected(operation, what, text) };
  });
  if (errors.length && !plainFailures.length) {
    const w = errors.map(errorText);
    for (const o of outcomes) if (o.status === 'ok') o.warnings = w;
  }
  const echoOf = new Map<number, Record<string, unknown>>();
  for (const [k, e] of matched) echoOf.set((sent[k] as Sent<I>).index, e);
  return { outcomes, echoOf };
}

/** Match updated echoes to the inputs of one call, by id. */
export function matchUpdates<I extends { id: string }>(
  sent: Array<Sent<I>>,
  echoes: Array<Record<string, unknown>>,
  errors: ArofloWriteError[],
  updateTotal: number | undefined,
  spec: MatchSpec<I>,
  operation: string,
): { outcomes: WriteOutcome[]; echoOf: Map<number, Record<string, unknown>> } {
  const byId = new Map<string, Array<Record<string, unknown>>>();
  for (const e of echoes) {
    const id = echoId(e, spec.idKey);
    if (id) byId.set(id, [...(byId.get(id) ?? []), e]);
  }
  const echoOf = new Map<number, Record<string, unknown>>();
  const missing: number[] = [];
  sent.forEach((s, k) => {
    const list = byId.get(s.input.id);
    const e = list?.shift();
    if (e) echoOf.set(s.index, e);
    else missing.push(k);
  });
  // AroFlo may not echo updates at all; then trust the total when there are no errors.
  const trustTotal = !echoes.length && !errors.length && updateTotal !== undefined && updateTotal >= sent.length;
  const texts = assignErrors(missing.length, errors);
  const outcomes = sent.map((s, k): WriteOutcome => {
    const what = spec.describe(s.input);
    const e = echoOf.get(s.index);
    if (e) {
      const perRecord = toText(e.error);
      if (perRecord) return { index: s.index, status: 'failed', error: rejected(operation, what, perRecord) };
      return { index: s.index, status: 'ok', id: s.input.id };
    }
    if (trustTotal) return { index: s.index, status: 'ok', id: s.input.id };
    const text = texts[missing.indexOf(k)] ?? 'not confirmed';
    if (!errors.length)
      return { index: s.index, status: 'unknown', id: s.input.id, error: rejected(operation, what, text, 'malformed') };
    return { index: s.index, status: 'failed', id: s.input.id, error: rejected(operation, what, text) };
  });
  if (errors.length && !missing.length) {
    const w = errors.map(errorText);
    for (const o of outcomes) if (o.status === 'ok') o.warnings = w;
  }
  return { outcomes, echoOf };
}
