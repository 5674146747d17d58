/**
 * Changes: the record-level stream — every change seen in a system (a person's) and every change GHL Bridge made,
 * field by field with before → after, searchable by name, email or id, filtered by system, who, kind and date, paged.
 * Each row links to its record's page.
 */
import { useEffect, useId, useState } from 'react';
import type { ChangeItem, ChangeQuery, ChangeWho, EntityKind, SystemId } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { SearchBox } from '../components/form.js';
import { TableWrap } from '../components/table-wrap.js';
import { formatDateTime } from '../components/format.js';
import { IconActivity } from '../components/icons.js';
import { capital, entityMany, entityOne, systemLabel } from '../labels.js';
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

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}

const whoText = (c: ChangeItem) => (c.who === 'person' ? `A person in ${systemLabel(c.system)}` : 'GHL Bridge');
const show = (v: string | null) => (v === null || v === '' ? '(empty)' : v);
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
          <span className="change-field">{f.field}</span>{' '}
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
  const ids = { s: useId(), w: useId(), k: useId(), f: useId(), t: useId() };
  const anyFilter = Object.keys(filters).length > 0;
  return (
    <>
      <PageHeader
        title="Changes"
        description="Every change to a record: what a person changed in HighLevel, AroFlo or Aimfox, and what GHL Bridge wrote, field by field."
      />
      <div className="filter-bar" role="search" aria-label="Filter changes">
        <SearchBox wide label="Search changes" placeholder="Name, email or id" value={search} onChange={setSearch} />
        <label className="visually-hidden" htmlFor={ids.s}>
          System
        </label>
        <select
          id={ids.s}
          className="select select-compact"
          value={system}
          onChange={(e) => setSystem(e.target.value as '' | SystemId)}
        >
          <option value="">All systems</option>
          <option value="ghl">HighLevel</option>
          <option value="aroflo">AroFlo</option>
          <option value="aimfox">Aimfox</option>
        </select>
        <label className="visually-hidden" htmlFor={ids.w}>
          Who
        </label>
        <select
          id={ids.w}
          className="select select-compact"
          value={who}
          onChange={(e) => setWho(e.target.value as '' | ChangeWho)}
        >
          <option value="">Anyone</option>
          <option value="person">A person in a system</option>
          <option value="bridge">GHL Bridge</option>
        </select>
        <label className="visually-hidden" htmlFor={ids.k}>
          What
        </label>
        <select
          id={ids.k}
          className="select select-compact"
          value={entity}
          onChange={(e) => setEntity(e.target.value as '' | EntityKind)}
        >
          <option value="">Every kind</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {capital(entityMany(k))}
            </option>
          ))}
        </select>
        <span className="inline-field">
          <label htmlFor={ids.f}>From</label>
          <input
            id={ids.f}
            className="input input-date"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </span>
        <span className="inline-field">
          <label htmlFor={ids.t}>To</label>
          <input
            id={ids.t}
            className="input input-date"
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </span>
      </div>
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
