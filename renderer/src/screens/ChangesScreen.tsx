/**
 * Changes: the record-level stream — every change seen in a system (a person's) and every change GHL Bridge made,
 * field by field with before → after, searchable by name, email or id, filtered by system, who, kind and date, paged.
 * Each row links to its record's page.
 */
import { useState } from 'react';
import type { ChangeItem, ChangeQuery, ChangeWho, EntityKind, SystemId } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { SearchBox } from '../components/form.js';
import { DateRange, FilterBar, FilterSelect, useDebounced, type FilterOption } from '../components/filter-bar.js';
import { TableWrap } from '../components/table-wrap.js';
import { formatDateTime } from '../components/format.js';
import { IconActivity } from '../components/icons.js';
import { capital, entityMany, entityOne, fieldWords, systemLabel } from '../labels.js';
import { recordHref, useHashParam } from '../routes.js';

const PAGE = 50;
const KINDS: EntityKind[] = ['contact', 'lead', 'task', 'note'];
const ACTION: Record<ChangeItem['action'], string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  archive: 'Archived',
  link: 'Linked',
  unlink: 'No longer synced',
};

const SYSTEMS: Array<FilterOption<'' | SystemId>> = [
  { value: '', label: 'All systems' },
  { value: 'ghl', label: 'HighLevel' },
  { value: 'aroflo', label: 'AroFlo' },
  { value: 'aimfox', label: 'Aimfox' },
];
const WHO: Array<FilterOption<'' | ChangeWho>> = [
  { value: '', label: 'Anyone' },
  { value: 'person', label: 'A person in a system' },
  { value: 'bridge', label: 'GHL Bridge' },
];
const WHAT: Array<FilterOption<'' | EntityKind>> = [
  { value: '', label: 'Every kind' },
  ...KINDS.map((k) => ({ value: k, label: capital(entityMany(k)) })),
];

const whoText = (c: ChangeItem) => (c.who === 'person' ? `A person in ${systemLabel(c.system)}` : 'GHL Bridge');
/** A value as people read it: a set (tags, stored as a JSON list) as its items. */
function show(v: string | null): string {
  if (v === null || v === '') return '(empty)';
  if (v.startsWith('[')) {
    try {
      const items = JSON.parse(v) as unknown;
      if (Array.isArray(items) && items.every((x) => typeof x === 'string'))
        return items.length ? items.join(', ') : '(empty)';
    } catch {
      /* a value that only looks like a list */
    }
  }
  return v;
}
/** A day typed in a date field (local time) as ms: the start of it, or its end. */
const dayMs = (d: string, end: boolean) => {
  if (!d) return undefined;
  const t = new Date(`${d}T00:00:00`).getTime();
  return Number.isNaN(t) ? undefined : end ? t + 86_400_000 - 1 : t;
};

function Fields({ c }: { c: ChangeItem }) {
  if (!c.fields.length) return <span className="muted">—</span>;
  return (
    <ul className="change-fields">
      {c.fields.map((f) => (
        <li key={f.field}>
          <span className="change-field">{fieldWords(f.field)}</span>{' '}
          {c.action === 'create' ? null : (
            <>
              <span className="change-before">{show(f.before)}</span> <span aria-label="changed to">→</span>{' '}
            </>
          )}
          <span className="change-after">
            {c.action === 'delete' || c.action === 'archive' ? show(f.before) : show(f.after)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Rows({ items }: { items: ChangeItem[] }) {
  return (
    <TableWrap label="Changes">
      <table className="table changes-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Record</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Fields</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-change={c.id}>
              <td className="nowrap">
                <time dateTime={new Date(c.at).toISOString()}>{formatDateTime(c.at)}</time>
              </td>
              <td className="change-record">
                {c.linkId !== null ? (
                  <a href={recordHref(c.linkId)}>{c.label || c.recordId}</a>
                ) : (
                  <span>{c.label || c.recordId}</span>
                )}
                <span className="muted change-sub">
                  {capital(entityOne(c.entity))} in {systemLabel(c.system)}
                  {c.email ? ` · ${c.email}` : ''}
                </span>
              </td>
              <td>
                <Badge tone={c.who === 'person' ? 'info' : 'neutral'}>{whoText(c)}</Badge>
              </td>
              <td>{ACTION[c.action]}</td>
              <td>
                <Fields c={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function ChangesScreen() {
  const linkParam = useHashParam('link');
  const [search, setSearch] = useState(useHashParam('q') ?? '');
  const query = useDebounced(search.trim(), 250);
  const [system, setSystem] = useState<'' | SystemId>('');
  const [who, setWho] = useState<'' | ChangeWho>('');
  const [entity, setEntity] = useState<'' | EntityKind>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters: ChangeQuery = {
    ...(query ? { query } : {}),
    ...(system ? { system } : {}),
    ...(who ? { who } : {}),
    ...(entity ? { entity } : {}),
    ...(dayMs(from, false) !== undefined ? { from: dayMs(from, false) } : {}),
    ...(dayMs(to, true) !== undefined ? { to: dayMs(to, true) } : {}),
    ...(linkParam && /^\d+$/.test(linkParam) ? { linkId: Number(linkParam) } : {}),
  };
  const key = JSON.stringify(filters);
  // Another search or filter starts at the first page again.
  const [paged, setPaged] = useState({ key, offset: 0 });
  const offset = paged.key === key ? paged.offset : 0;
  const setOffset = (o: number) => setPaged({ key, offset: o });
  const list = useBridgeQuery((b) => b.listChanges({ ...filters, offset, limit: PAGE }), `changes:${key}:${offset}`, [
    'run-finished',
  ]);
  const anyFilter = Object.keys(filters).length > 0;
  return (
    <>
      <PageHeader
        title="Changes"
        description="Every change to a record: what a person changed in HighLevel, AroFlo or Aimfox, and what GHL Bridge wrote, field by field."
      />
      <FilterBar label="Filter changes">
        <SearchBox wide label="Search changes" placeholder="Name, email or id" value={search} onChange={setSearch} />
        <FilterSelect label="System" value={system} options={SYSTEMS} onChange={setSystem} />
        <FilterSelect label="Who" value={who} options={WHO} onChange={setWho} />
        <FilterSelect label="What" value={entity} options={WHAT} onChange={setEntity} />
        <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
      </FilterBar>
      <QueryView
        query={list}
        loadingLabel="Loading changes…"
        isEmpty={(l) => l.total === 0}
        empty={
          anyFilter ? (
            <EmptyState title="No change matches these filters">Clear the search or choose other filters.</EmptyState>
          ) : (
            <EmptyState title="No changes yet" icon={<IconActivity />}>
              After each sync, every change a person made in a system and every change GHL Bridge wrote is listed here.
            </EmptyState>
          )
        }
      >
        {(page) => (
          <Card>
            <Rows items={page.items} />
            <nav className="pager" aria-label="Pages of changes">
              <span className="muted" aria-live="polite">
                {page.total
                  ? `${(offset + 1).toLocaleString()}–${(offset + page.items.length).toLocaleString()} of ${page.total.toLocaleString()}`
                  : ''}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Newer
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={offset + PAGE >= page.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Older
              </button>
            </nav>
          </Card>
        )}
      </QueryView>
    </>
  );
}
