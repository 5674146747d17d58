/**
 * What the check after a run found (main/sync/README.md, "The check after a run"), kept in the profile so Status, the
 * record page and `ghl-bridge record` in any process see the same findings. A finding is replaced by the next check
 * of its record: gone when both sides agree with the base again (a later run synced it), kept while they do not.
 */
import type { CheckFinding } from '../../preload/contract.js';
import type { Store } from '../store/repositories.js';
import type { CheckMismatch } from '../sync/index.js';

const KEY = 'check:findings';
/** At most this many findings are kept (the oldest go first). */
const MAX = 200;

const SYSTEM_NAME = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' } as const;

export function readFindings(store: Store): CheckFinding[] {
  const t = store.meta.get(KEY);
  if (!t) return [];
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) ? (v as CheckFinding[]) : [];
  } catch {
    return [];
  }
}

/** "<name>: AroFlo phone differs from what was last synced — edited behind the bridge's back?" */
export function findingMessage(label: string, system: CheckFinding['system'], fields: CheckFinding['fields']): string {
  const names = fields.map((f) => f.label.toLowerCase());
  const list = names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  return `${label}: ${SYSTEM_NAME[system]} ${list} ${fields.length === 1 ? 'differs' : 'differ'} from what was last synced — edited behind the bridge's back?`;
}

/**
 * After a check: the links it compared lose their old findings, and its mismatches become the new ones. Findings of
 * links it did not compare stay as they were.
 */
export function saveFindings(
  store: Store,
  check: { checked: ReadonlyArray<{ id: number }>; mismatches: CheckMismatch[] },
  runId: string,
  at: number,
): CheckFinding[] {
  const compared = new Set(check.checked.map((l) => l.id));
  const kept = readFindings(store).filter((f) => !compared.has(f.linkId));
  const found: CheckFinding[] = check.mismatches.map((m) => ({
    linkId: m.link.id,
    pair: m.link.pair,
    entity: m.link.entity,
    label: m.link.label,
    system: m.system,
    fields: m.fields,
    runId,
    at,
    message: findingMessage(m.link.label, m.system, m.fields),
  }));
  const next = [...kept, ...found].slice(-MAX);
  store.meta.set(KEY, next.length ? JSON.stringify(next) : undefined);
  return found;
}

/** Findings about links a run wrote are settled by that write: the next check compares them afresh. */
export function findingLinks(store: Store): number[] {
  return [...new Set(readFindings(store).map((f) => f.linkId))];
}
