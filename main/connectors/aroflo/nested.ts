/**
 * Outcomes of records nested in a write: contacts under a client, notes under a task.
 * AroFlo echoes nested inserts under the parent (`updates.clients[i].contacts[j].userid`, README "Facts: writes"), sometimes
 * as `{contact: [...]}`, sometimes as a plain list, sometimes not at all.
 */
import { asArray } from './envelope.js';
import { matchInserts, type Sent, type WriteOutcome } from './batch.js';
import { ConnectorError } from '../shared/errors.js';
import { toText } from './values.js';

/** The nested list under `key` (`contacts` / `notes`), whether AroFlo wrapped it in `{contact: […]}` or not. */
export function nestedEchoes(
  echo: Record<string, unknown> | undefined,
  key: string,
  singular: string,
): Array<Record<string, unknown>> | undefined {
  if (!echo || !(key in echo)) return undefined;
  let v = echo[key];
  if (v && typeof v === 'object' && !Array.isArray(v) && singular in (v as Record<string, unknown>))
    v = (v as Record<string, unknown>)[singular];
  return asArray(v).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x));
}

export interface NestedSpec<N> {
  idKey: string;
  /** A matched echo without an id is still ok (task notes: AroFlo returns no noteid). */
  idOptional?: boolean;
  idOf(n: N): string | undefined;
  fields(n: N): Record<string, string | undefined>;
  describe(n: N, i: number): string;
}

/**
 * Outcomes for nested items, given the parent's outcome and what AroFlo echoed for them.
 * - parent not ok → each nested item shares the parent's status and error;
 * - updates (items with an id) → ok when the parent is ok (AroFlo does not always echo them);
 * - inserts → matched to echoed items by fields; unmatched ones are `unknown` (re-read the parent to find them).
 */
export function nestedOutcomes<N>(
  parent: WriteOutcome,
  items: N[],
  echoes: Array<Record<string, unknown>> | undefined,
  spec: NestedSpec<N>,
  operation: string,
): WriteOutcome[] {
  if (parent.status !== 'ok') return items.map((_, index) => ({ index, status: parent.status, error: parent.error }));
  const out: WriteOutcome[] = new Array(items.length);
  const updatedIds = new Set<string>();
  const inserts: Array<Sent<N>> = [];
  items.forEach((n, index) => {
    const id = spec.idOf(n);
    if (id) {
      updatedIds.add(id);
      out[index] = { index, status: 'ok', id };
    } else inserts.push({ index, input: n });
  });
  if (inserts.length) {
    if (!echoes) {
      for (const s of inserts) {
        out[s.index] = {
          index: s.index,
          status: 'unknown',
          error: new ConnectorError({
            system: 'aroflo',
            kind: 'malformed',
            operation,
            detail: 'AroFlo did not echo nested records',
            message: `AroFlo did not report an id for ${spec.describe(s.input, s.index)} — read the record back to link it.`,
          }),
        };
      }
    } else {
      const fresh = echoes.filter((e) => {
        const id = toText(e[spec.idKey]);
        return !id || !updatedIds.has(id);
      });
      const { outcomes } = matchInserts(
        inserts,
        fresh,
        [],
        { idKey: spec.idKey, idOptional: spec.idOptional, fields: spec.fields, describe: (n) => spec.describe(n, 0) },
        operation,
      );
      for (const o of outcomes) out[o.index] = o;
    }
  }
  return out;
}
