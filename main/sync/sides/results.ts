/**
 * How the adapters answer the engine for each write. A failure says whether the write may still have happened:
 * when the request went out and the answer was lost or unreadable (network drop, server error, malformed or
 * truncated body), a create may exist on the other side — the engine then keeps its outbox entry open and looks for
 * the record before creating it again, so it never makes a twin.
 */
import { isConnectorError } from '../../connectors/shared/errors.js';
import type { SideRecord, WriteResult } from '../engine/types.js';

export const ok = (record: SideRecord): WriteResult => ({ ok: true, record });

/** Nothing was written (the target cannot do it): the engine stops syncing the record and records why. */
export const skipped = (record: SideRecord, reason: string): WriteResult => ({ ok: true, record, skipped: reason });

export function mayHaveHappened(error: unknown): boolean {
  return isConnectorError(error) && (error.kind === 'network' || error.kind === 'server' || error.kind === 'malformed');
}

export const fail = (error: unknown): WriteResult => {
  const e = error instanceof Error ? error : new Error(String(error));
  return mayHaveHappened(error) ? { ok: false, error: e, uncertain: true } : { ok: false, error: e };
};

/**
 * Writes `items` one call each, in order: an error thrown for one item is that item's result (`onError`, `fail` by
 * default), and the others still go out.
 */
export async function oneByOne<I>(
  items: readonly I[],
  write: (item: I) => Promise<WriteResult>,
  onError: (error: unknown, item: I) => WriteResult = fail,
): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (const it of items) {
    try {
      results.push(await write(it));
    } catch (e) {
      results.push(onError(e, it));
    }
  }
  return results;
}
