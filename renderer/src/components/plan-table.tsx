/**
 * What a sync would do, as a filterable table: one row per record with its action, the system written, and each
 * field's change (before → after). Shared by the mapping preview and the review of a sync the safety limits stopped.
 */
import { useMemo, useState } from 'react';
import type { PlanItem } from '../../../preload/contract.js';
import { Badge } from './badge.js';
import type { Tone } from './badge.js';
import { EmptyState } from './states.js';
import { SearchBox } from './form.js';
import { FilterSelect } from './filter-bar.js';
import { PLAN_ACTION, capital, entityMany, entityOne, systemLabel } from '../labels.js';
import { plural } from './format.js';
import { TableWrap } from './table-wrap.js';

type ActionFilter = 'all' | 'create' | 'update' | 'delete' | 'conflict' | 'duplicate' | 'other';

const FILTERS: Array<{ id: ActionFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'create', label: 'To create' },
  { id: 'update', label: 'To update' },
  { id: 'delete', label: 'To delete or archive' },
  { id: 'conflict', label: 'Conflicts' },
  { id: 'duplicate', label: 'Possible duplicates' },
  { id: 'other', label: 'Links and skips' },
];

const TONE: Record<PlanItem['action'], Tone> = {
  create: 'good',
  update: 'info',
  delete: 'bad',
  archive: 'bad',
  link: 'neutral',
  conflict: 'warn',
  duplicate: 'warn',
  skip: 'neutral',
};

function bucket(a: PlanItem['action']): ActionFilter {
  if (a === 'archive' || a === 'delete') return 'delete';
  if (a === 'link' || a === 'skip') return 'other';
  return a;
}

/** "firstName" → "First name" when no label is known. */
export function humanField(key: string): string {
  const spaced = key
    .replace(/^customField:/, 'custom field ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ');
  return capital(spaced.toLowerCase());
}

const PAGE = 100;

function Value({ v }: { v: string | null | undefined }) {
  if (v === undefined || v === null || v === '') return <span className="value-empty">empty</span>;
  return <span className="value">{v}</span>;
}

export function PlanTable({
  items,
  fieldLabel,
  caption,
}: {
  items: PlanItem[];
  fieldLabel?: (entity: string, field: string) => string | undefined;
  caption: string;
}) {
  const [action, setAction] = useState<ActionFilter>('all');
  const [entity, setEntity] = useState('');
  const [target, setTarget] = useState('');
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE);

  const counts = useMemo(() => {
    const c: Record<ActionFilter, number> = {
      all: items.length,
      create: 0,
      update: 0,
      delete: 0,
      conflict: 0,
      duplicate: 0,
      other: 0,
    };
    for (const i of items) c[bucket(i.action)]++;
    return c;
  }, [items]);
  const entities = useMemo(() => [...new Set(items.map((i) => i.entity))].sort(), [items]);
  const targets = useMemo(() => [...new Set(items.map((i) => i.target))].sort(), [items]);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return items.filter(
      (i) =>
        (action === 'all' || bucket(i.action) === action) &&
        (!entity || i.entity === entity) &&
        (!target || i.target === target) &&
        (!q ||
          i.label.toLowerCase().includes(q) ||
          (i.fields ?? []).some((f) => `${f.from ?? ''} ${f.to ?? ''}`.toLowerCase().includes(q))),
    );
  }, [items, action, entity, target, query]);

  if (items.length === 0) {
    return (
      <EmptyState title="Nothing would change">
        Both systems already agree for everything this mapping covers.
      </EmptyState>
    );
  }

  const reset = () => setShown(PAGE);
  const label = (e: string, f: string) => fieldLabel?.(e, f) ?? humanField(f);

  return (
    <div className="plan">
      <div className="filter-bar" role="group" aria-label="Filter the planned changes">
        <div className="chip-group" role="group" aria-label="What happens">
          {FILTERS.filter((f) => f.id === 'all' || counts[f.id] > 0).map((f) => (
            <button
              key={f.id}
              type="button"
              className="chip"
              aria-pressed={action === f.id}
              onClick={() => {
                setAction(f.id);
                reset();
              }}
            >
              {f.label} <span className="chip-count">{counts[f.id].toLocaleString()}</span>
            </button>
          ))}
        </div>
        <div className="filter-controls">
          <FilterSelect
            label="Record type"
            value={entity}
            options={[
              { value: '', label: 'All record types' },
              ...entities.map((e) => ({ value: e, label: capital(entityMany(e)) })),
            ]}
            onChange={(v) => {
              setEntity(v);
              reset();
            }}
          />
          <FilterSelect
            label="System written"
            value={target}
            options={[
              { value: '', label: 'Written to any system' },
              ...targets.map((t) => ({ value: t, label: `Written to ${systemLabel(t)}` })),
            ]}
            onChange={(v) => {
              setTarget(v);
              reset();
            }}
          />
          <SearchBox
            label="Search the planned changes"
            placeholder="Search"
            value={query}
            onChange={(v) => {
              setQuery(v);
              reset();
            }}
          />
        </div>
      </div>

      <p className="muted plan-count" role="status" aria-live="polite">
        {filtered.length === items.length
          ? `${plural(items.length, 'planned change')}`
          : `${filtered.length.toLocaleString()} of ${plural(items.length, 'planned change')}`}
      </p>

      {filtered.length === 0 ? (
        <p className="muted plan-none">No planned change matches these filters.</p>
      ) : (
        <TableWrap label={caption}>
          <table className="table table-plan">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col" className="col-shrink">
                  What happens
                </th>
                <th scope="col">Record</th>
                <th scope="col" className="col-shrink">
                  Written to
                </th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {filtered.slice(0, shown).map((i, n) => (
                <tr key={`${n}:${i.id}`}>
                  <td>
                    <Badge tone={TONE[i.action]}>{PLAN_ACTION[i.action] ?? i.action}</Badge>
                  </td>
                  <th scope="row">
                    <span className="plan-label">{i.label || `(unnamed ${entityOne(i.entity)})`}</span>
                    <span className="plan-entity">{capital(entityOne(i.entity))}</span>
                  </th>
                  <td className="nowrap">{systemLabel(i.target)}</td>
                  <td>
                    {i.fields?.length ? (
                      <ul className="changes">
                        {i.fields.map((f) => (
                          <li key={f.field}>
                            <span className="change-field">{label(i.entity, f.field)}</span>{' '}
                            {i.action === 'create' ? null : (
                              <>
                                <Value v={f.from} /> <span aria-hidden="true">→</span>
                                <span className="visually-hidden">becomes</span>{' '}
                              </>
                            )}
                            <Value v={f.to} />
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {i.reason ? <p className="plan-reason">{i.reason}</p> : null}
                    {!i.fields?.length && !i.reason ? <span className="muted">—</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {filtered.length > shown ? (
        <div className="more">
          <button type="button" className="button" onClick={() => setShown((n) => n + PAGE)}>
            Show {Math.min(PAGE, filtered.length - shown).toLocaleString()} more
          </button>
          <span className="muted">
            Showing {shown.toLocaleString()} of {filtered.length.toLocaleString()}
          </span>
        </div>
      ) : null}
    </div>
  );
}
