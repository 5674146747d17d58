/**
 * The fewest API calls the data allows, term by term, so the bench can set what a cycle used against it.
 *
 * Reads are given by the scenario (they depend on what each side held and what changed). Writes are derived from
 * what the cycle actually wrote (the audit log: one row per created/archived record, one per updated field), with
 * each API's own batching rules:
 *  - HighLevel has no bulk write endpoint: one call per record written (a task update that also (un)completes it
 *    still fits in one PUT; tags are added and removed through their own endpoints).
 *  - AroFlo writes go in batches (`batch` per call); inserts and updates are separate calls (FACTS §6); a contact
 *    is inserted or changed through an update of its client; a task created as completed needs a status update;
 *    what an update changed is read back, 100 ids a call, because AroFlo shortens some fields without saying so
 *    (FACTS §6) and the base must be what it really holds.
 *  - Aimfox adds leads in bulk (`audience/multiple`, `bulk` per call); labels are attached one call per lead and
 *    label (no bulk, no attach-by-name: one label listing for the ids, one create per new label name, each after
 *    a fresh look at the list so a label someone just made in Aimfox is not made twice); one call per note.
 */
import type { Api } from './admin.js';

export interface Term {
  api: Api;
  what: string;
  calls: number;
  formula: string;
}

export interface AuditRow {
  system: string;
  entity: string;
  action: string;
  record_id: string | null;
  field: string | null;
  before: string | null;
  after: string | null;
}

export interface Batching {
  /** AroFlo records per write call (the connector's batch size). */
  aroflo: number;
  /** Aimfox profiles per audience/multiple call (the connector's chunk size). */
  aimfoxBulk: number;
}

export const pages = (records: number, pageSize: number): number => Math.floor(records / pageSize) + 1;

const parseSet = (v: string | null | undefined): string[] => {
  if (!v) return [];
  try {
    const fields = JSON.parse(v) as unknown;
    if (Array.isArray(fields)) return fields.map(String);
    const labels = (fields as Record<string, unknown>)?.labels;
    return typeof labels === 'string' ? parseSet(labels) : [];
  } catch {
    return [];
  }
};

function count<K>(xs: Iterable<K>): Map<K, number> {
  const m = new Map<K, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** Write terms for the rows of one cycle. `labels` = Aimfox label names that existed before (lower case). */
export function writeTerms(rows: AuditRow[], batch: Batching, labels: Set<string> = new Set()): Term[] {
  const terms: Term[] = [];
  const add = (api: Api, what: string, calls: number, formula: string) => {
    if (calls > 0) terms.push({ api, what, calls, formula });
  };
  const remote = rows.filter((r) => r.action !== 'link' && r.action !== 'unlink');
  const distinct = (rs: AuditRow[]) => new Set(rs.map((r) => `${r.entity}|${r.record_id}`)).size;

  // ---- HighLevel: one call per record.
  const g = remote.filter((r) => r.system === 'ghl');
  for (const [entity, n] of count(g.filter((r) => r.action === 'create').map((r) => r.entity)))
    add('ghl', `create ${entity}`, n, `${n} × 1 (no bulk create)`);
  const gUpd = g.filter((r) => r.action === 'update');
  const leadTag = gUpd.filter((r) => r.entity === 'lead');
  const otherUpd = gUpd.filter((r) => r.entity !== 'lead');
  const nUpd = distinct(otherUpd);
  add('ghl', 'update records', nUpd, `${nUpd} records × 1 PUT`);
  let tagCalls = 0;
  for (const r of leadTag) {
    const before = new Set(parseSet(r.before));
    const after = new Set(parseSet(r.after));
    tagCalls += ([...after].some((x) => !before.has(x)) ? 1 : 0) + ([...before].some((x) => !after.has(x)) ? 1 : 0);
  }
  add('ghl', 'contact tags', tagCalls, 'one add and/or one remove call per contact');
  const gDel = distinct(g.filter((r) => r.action === 'delete' || r.action === 'archive'));
  add('ghl', 'delete / archive', gDel, `${gDel} × 1`);

  // ---- AroFlo: batched per kind of call.
  const a = remote.filter((r) => r.system === 'aroflo');
  const kinds = new Map<string, Set<string>>();
  const put = (kind: string, key: string) => kinds.set(kind, (kinds.get(kind) ?? new Set()).add(key));
  for (const r of a) {
    const id = r.record_id ?? '';
    const client = id.startsWith('contact:')
      ? id.split(':')[1]!
      : id.startsWith('client:')
        ? id.slice('client:'.length)
        : id;
    if (r.action === 'create') {
      if (r.entity === 'business') put('client inserts (businesses)', id);
      else if (r.entity === 'contact' && id.startsWith('client:')) put('client inserts (residential people)', id);
      else if (r.entity === 'contact') put('client updates with nested contact inserts', client);
      else if (r.entity === 'task') {
        put('task inserts', id);
        if (parseFields(r.after).completed === 'true')
          put('task status updates (AroFlo takes a status only on update)', id);
      } else if (r.entity === 'note') put('client note inserts', id);
      else put(`${r.entity} inserts`, id);
    } else if (r.action === 'update' || r.action === 'archive' || r.action === 'delete') {
      if (r.entity === 'contact') put('client updates (people)', client);
      else if (r.entity === 'task') put('task updates', id);
      else if (r.entity === 'note' && id.startsWith('tasknote:')) put('task updates (nested notes)', id.split(':')[1]!);
      else if (r.entity === 'note') put('client note updates', id);
      else put(`${r.entity} updates`, id);
    }
  }
  for (const [kind, ids] of kinds) {
    const calls = Math.ceil(ids.size / batch.aroflo);
    add('aroflo', kind, calls, `⌈${ids.size} / ${batch.aroflo}⌉`);
    if (READ_BACK.has(kind)) {
      add(
        'aroflo',
        `read back after ${kind} (silent truncation, FACTS §6)`,
        Math.ceil(ids.size / 100),
        `⌈${ids.size} / 100⌉`,
      );
    }
  }

  // ---- Aimfox.
  const f = remote.filter((r) => r.system === 'aimfox');
  const created = f.filter((r) => r.entity === 'lead' && r.action === 'create');
  add(
    'aimfox',
    'bulk add to the campaign audience',
    Math.ceil(created.length / batch.aimfoxBulk),
    `⌈${created.length} / ${batch.aimfoxBulk}⌉`,
  );
  const known = new Set(labels);
  let attach = 0;
  let newLabels = 0;
  const wantLabel = (name: string) => {
    if (!known.has(name.toLowerCase())) {
      known.add(name.toLowerCase());
      newLabels++;
    }
  };
  for (const r of created) {
    for (const l of parseSet(r.after)) {
      wantLabel(l);
      attach++;
    }
  }
  for (const r of f.filter((x) => x.entity === 'lead' && x.action === 'update' && x.field === 'labels')) {
    const before = new Set(parseSet(r.before));
    const after = new Set(parseSet(r.after));
    for (const l of after) {
      if (before.has(l)) continue;
      wantLabel(l);
      attach++;
    }
    for (const l of before) if (!after.has(l)) attach++;
  }
  if (attach) add('aimfox', 'label listing (ids for attaching)', 1, '1');
  add('aimfox', 'label creates', newLabels, `${newLabels} new label names`);
  add(
    'aimfox',
    'label listing again before each create (a label made meanwhile is not doubled)',
    newLabels,
    `${newLabels}`,
  );
  add('aimfox', 'label attach / detach', attach, `${attach} lead × label (no bulk)`);
  const notes = f.filter((r) => r.entity === 'note');
  for (const [action, n] of count(notes.map((r) => r.action))) add('aimfox', `note ${action}`, n, `${n} × 1`);
  return terms;
}

/** AroFlo updates whose result the adapter reads back (creates are taken from what was sent and confirmed). */
const READ_BACK = new Set([
  'client updates (people)',
  'task updates',
  'task updates (nested notes)',
  'client note updates',
]);

function parseFields(v: string | null): Record<string, string | null> {
  try {
    const o = v ? (JSON.parse(v) as unknown) : {};
    return o && typeof o === 'object' ? (o as Record<string, string | null>) : {};
  } catch {
    return {};
  }
}

export function totals(terms: Term[]): Record<Api, number> {
  const t: Record<Api, number> = { ghl: 0, aroflo: 0, aimfox: 0 };
  for (const x of terms) t[x.api] += x.calls;
  return t;
}
