/**
 * The check after a run (main/sync/README.md, "The check after a run"): re-read a few linked records of each pair by
 * id and compare each side's mapped values with the base — what that side held when the two last agreed. A run has
 * just carried every change its feeds reported, so a side that still differs from its base was changed in a way the
 * feed did not report (or after the run read it; the next run then syncs it and the finding clears).
 */
import type { SystemId } from '../../../preload/contract.js';
import type { LinkRow, Store } from '../../store/repositories.js';
import type { WiredEntity } from './run.js';
import type { FieldValue, SideRecord } from './types.js';

export interface CheckMismatch {
  link: LinkRow;
  side: 'ghl' | 'other';
  system: SystemId;
  fields: Array<{ field: string; label: string; base: FieldValue; current: FieldValue }>;
}

export interface CheckResult {
  /** Links whose both sides were read and compared. */
  checked: LinkRow[];
  mismatches: CheckMismatch[];
}

/** The entities a check samples: the people of each pair (the records a person edits by hand). */
const CHECKED = new Set(['contact', 'lead']);

/**
 * Check `sample` links per checked entity, taken round the entity's links from where the last check stopped (so the
 * records checked least recently come first), plus `again` (links with an open finding: re-checked every run).
 * Reads go through the sides' read-by-id, paced like any read.
 */
export async function checkLinked(args: {
  entities: WiredEntity[];
  store: Store;
  sample: number;
  again: readonly number[];
}): Promise<CheckResult> {
  const { store } = args;
  const out: CheckResult = { checked: [], mismatches: [] };
  for (const e of args.entities) {
    const { pair, entity } = e.wiring;
    if (!CHECKED.has(entity)) continue;
    // Fields a side may not be written on are left as they were on purpose (update switched off): not a mismatch.
    const upd = e.config.updateTo;
    const again = args.again
      .map((id) => store.links.byId(id))
      .filter((l): l is LinkRow => !!l && l.state === 'active' && l.pair === pair && l.entity === entity);
    const links = [...again, ...nextSample(store, pair, entity, args.sample)].filter(
      (l, i, all) => all.findIndex((x) => x.id === l.id) === i && l.ghl_id && l.other_id,
    );
    if (!links.length) continue;
    const [g, o] = await Promise.all([
      e.wiring.ghl.getMany(links.map((l) => l.ghl_id!)),
      e.wiring.other.getMany(links.map((l) => l.other_id!)),
    ]);
    const bases = store.bases.of(links.map((l) => l.id));
    for (const l of links) {
      const gr = g.get(l.ghl_id!);
      const or = o.get(l.other_id!);
      const base = bases.get(l.id);
      // A record gone is for a full run's delete rules, not a mismatch; a link with no base has never agreed.
      if (!gr || !or || !base) continue;
      out.checked.push(l);
      for (const side of ['ghl', 'other'] as const) {
        if (upd && !upd[side]) continue;
        const fields = differing(e, side === 'ghl' ? gr : or, side === 'ghl' ? base.ghl : base.other);
        if (fields.length)
          out.mismatches.push({ link: l, side, system: side === 'ghl' ? 'ghl' : e.wiring.other.system, fields });
      }
    }
  }
  return out;
}

/** The next `n` links after the entity's check cursor, wrapping round to the first; the cursor moves past them. */
function nextSample(store: Store, pair: string, entity: string, n: number) {
  if (n <= 0) return [];
  const key = `check:cursor:${pair}:${entity}`;
  const after = Number(store.meta.get(key) ?? 0) || 0;
  const p = pair as LinkRow['pair'];
  const en = entity as LinkRow['entity'];
  let links = store.records.sample(p, en, after, n);
  if (links.length < n)
    links = [...links, ...store.records.sample(p, en, 0, n - links.length).filter((l) => l.id <= after)];
  const last = links.at(-1);
  if (last) store.meta.set(key, String(last.id));
  return links;
}

/** The mapped fields where a side's value is not its base. */
function differing(e: WiredEntity, rec: SideRecord, base: Record<string, FieldValue>) {
  const out: CheckMismatch['fields'] = [];
  for (const f of e.config.fields) {
    if (!(f.key in base) || !(f.key in rec.fields)) continue;
    const now = rec.fields[f.key] ?? null;
    const was = base[f.key] ?? null;
    if (now === was) continue;
    // An emptied value is not carried while "empty never blanks" is on (main/sync/README.md), so the base keeps the
    // filled one on purpose.
    if (now === null && f.emptyNeverBlanks) continue;
    out.push({ field: f.key, label: e.fieldLabels[f.key] ?? f.key, base: was, current: now });
  }
  return out;
}
