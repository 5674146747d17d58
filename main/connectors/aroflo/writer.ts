/**
 * Batched writes: many records per call (the daily allowance is 2,000 calls), inserts and updates in separate
 * calls (README "Facts: writes"), each record's outcome reported on its own.
 *
 * - Records that fail our own checks are `failed` without being sent.
 * - The rest go in chunks of `batchSize` (default 50: small enough to stay far from AroFlo's 60-second POST
 *   timeout and the URL-encoded body size, large enough that 1,000 records cost 20 calls).
 * - When AroFlo refuses a whole call as unreadable ("rejected"), the chunk is split in halves to find the record
 *   it refuses, so one poisoned record does not block the others (bounded: at most `maxIsolationCalls` extra calls
 *   per batch; beyond that the rest of the chunk is reported failed).
 * - When a call fails in a way that says nothing about the records (limits, sign-in, network, server), the chunk is
 *   `unknown` (if it may have been written) or `not_sent`, and later chunks are `not_sent`: the engine retries later.
 */
import { ConnectorError } from '../shared/errors.js';
import type { Sent, WriteOutcome } from './batch.js';

export interface BatchOptions {
  batchSize: number;
  maxIsolationCalls: number;
  /**
   * AroFlo's errors on a call whose every record it also confirmed (the records are written): told once per call, so
   * the app can log them instead of keeping them only on the outcomes.
   */
  onWarnings?: (warnings: string[]) => void;
}

export const DEFAULT_BATCH: BatchOptions = { batchSize: 50, maxIsolationCalls: 12 };

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A call-level error says nothing about which record: may the records have been written? */
function statusForCallError(e: ConnectorError): 'unknown' | 'not_sent' {
  return e.kind === 'server' || e.kind === 'network' || e.kind === 'malformed' ? 'unknown' : 'not_sent';
}

export async function writeBatched<I>(
  inputs: I[],
  check: (input: I) => string[],
  describe: (input: I) => string,
  refuse: (input: I, problems: string[]) => ConnectorError,
  send: (chunk: Array<Sent<I>>) => Promise<WriteOutcome[]>,
  opts: BatchOptions = DEFAULT_BATCH,
): Promise<WriteOutcome[]> {
  const results: Array<WriteOutcome | undefined> = new Array(inputs.length);
  const ready: Array<Sent<I>> = [];
  inputs.forEach((input, index) => {
    const problems = check(input);
    if (problems.length) results[index] = { index, status: 'failed', error: refuse(input, problems) };
    else ready.push({ index, input });
  });
  let stop: ConnectorError | undefined;
  let isolationLeft = opts.maxIsolationCalls;

  const attempt = async (chunk: Array<Sent<I>>): Promise<void> => {
    if (stop) {
      for (const s of chunk) results[s.index] = { index: s.index, status: 'not_sent', error: stop };
      return;
    }
    try {
      const outcomes = await send(chunk);
      for (const o of outcomes) results[o.index] = o;
      const warnings = [...new Set(outcomes.flatMap((o) => o.warnings ?? []))];
      if (warnings.length) opts.onWarnings?.(warnings);
      for (const s of chunk)
        results[s.index] ??= {
          index: s.index,
          status: 'unknown',
          error: new ConnectorError({
            system: 'aroflo',
            kind: 'malformed',
            detail: `no outcome for ${describe(s.input)}`,
          }),
        };
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      if (e.kind === 'rejected') {
        if (chunk.length > 1 && isolationLeft >= 2) {
          isolationLeft -= 2;
          const mid = Math.ceil(chunk.length / 2);
          await attempt(chunk.slice(0, mid));
          await attempt(chunk.slice(mid));
          return;
        }
        for (const s of chunk) {
          results[s.index] = {
            index: s.index,
            status: 'failed',
            error: new ConnectorError({
              system: 'aroflo',
              kind: 'rejected',
              status: e.status,
              operation: e.operation,
              detail: e.detail,
              message:
                chunk.length === 1
                  ? `AroFlo rejected ${describe(s.input)}: ${e.detail ?? e.message} — check the record and the field mapping.`
                  : `AroFlo rejected a batch containing ${describe(s.input)}: ${e.detail ?? e.message} — it will be retried on its own.`,
            }),
          };
        }
        return;
      }
      const status = statusForCallError(e);
      for (const s of chunk) results[s.index] = { index: s.index, status, error: e };
      stop = e;
    }
  };

  for (const c of chunks(ready, Math.max(1, opts.batchSize))) await attempt(c);
  return results.map((r, index) => r ?? { index, status: 'not_sent' });
}
