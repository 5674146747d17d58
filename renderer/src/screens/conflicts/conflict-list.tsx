/**
 * The list of open conflicts and possible duplicates: virtualized (only the rows in view are in the page, so 10,000
 * stay fast), a listbox for screen readers with the selected row as its active descendant.
 */
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConflictSummary } from '../../../../preload/contract.js';
import { Badge } from '../../components/badge.js';
import { formatDateTime } from '../../components/format.js';
import { PAIR_LABEL, capital, entityOne } from '../../labels.js';

const ROW = 62;

export const optionId = (index: number) => `conflict-option-${index}`;

function Row({ c }: { c: ConflictSummary }) {
  return (
    <>
      <span className="conflict-row-top">
        <span className="conflict-row-label">{c.label || `(unnamed ${entityOne(c.entity)})`}</span>
        {c.kind === 'duplicate' ? <Badge tone="info">Possible duplicate</Badge> : <Badge tone="warn">Conflict</Badge>}
      </span>
      <span className="conflict-row-meta">
        {capital(entityOne(c.entity))} · {PAIR_LABEL[c.pair] ?? c.pair}
        {c.kind === 'conflict' && c.fields.length ? ` · ${c.fields.join(', ')}` : ''}
        <span className="visually-hidden"> · found {formatDateTime(c.createdAt)}</span>
      </span>
    </>
  );
}

export function ConflictList({
  total,
  item,
  ensure,
  selected,
  onSelect,
  label,
}: {
  total: number;
  item: (i: number) => ConflictSummary | undefined;
  ensure: (i: number) => void;
  selected: number;
  onSelect: (i: number) => void;
  label: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders as it scrolls, by design
  const v = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
  });
  const visible = v.getVirtualItems();

  // Ask for the pages the rows in view need.
  const first = visible[0]?.index ?? 0;
  const last = visible[visible.length - 1]?.index ?? 0;
  useEffect(() => {
    for (let i = first; i <= last; i++) ensure(i);
  }, [first, last, ensure]);

  useEffect(() => {
    if (selected >= 0 && selected < total) v.scrollToIndex(selected, { align: 'auto' });
  }, [selected, total, v]);

  return (
    <div
      ref={scroller}
      className="conflict-list"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selected >= 0 && selected < total && item(selected) ? optionId(selected) : undefined}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {visible.map((row) => {
          const c = item(row.index);
          return (
            <div
              key={row.key}
              id={optionId(row.index)}
              role="option"
              aria-selected={row.index === selected}
              aria-setsize={total}
              aria-posinset={row.index + 1}
              className={`conflict-row${row.index === selected ? ' conflict-row-selected' : ''}`}
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
              onClick={() => onSelect(row.index)}
            >
              {c ? <Row c={c} /> : <span className="muted">Loading…</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
