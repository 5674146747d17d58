/**
 * Conflicts: records changed differently in two systems, and possible duplicates, waiting for a decision. A fast list
 * (filters, search, virtualized) beside the selected item; keyboard: ↑/↓ or j/k move, g/o take a side, Enter applies.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { EntityKind, SystemId } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconCheck, IconKeyboard } from '../components/icons.js';
import { SearchBox } from '../components/form.js';
import { FilterBar, FilterSelect, useDebounced, type FilterOption } from '../components/filter-bar.js';
import { formatDateTime, plural } from '../components/format.js';
import { ENTITY_KINDS, PAIR_LABEL, SYSTEM_LABEL, capital, entityMany, entityOne } from '../labels.js';
import { useAppStatus } from '../app-status.js';
import { paramsFromHash } from '../routes.js';
import { ConflictList } from './conflicts/conflict-list.js';
import { ConflictDetailView } from './conflicts/conflict-detail.js';
import type { DetailCommands } from './conflicts/conflict-detail.js';
import { DuplicateReview } from './conflicts/duplicate-review.js';
import { useConflictPages } from './conflicts/use-conflict-pages.js';
import type { ConflictFilters } from './conflicts/use-conflict-pages.js';

type Kind = '' | 'conflict' | 'duplicate';

const KIND_OPTIONS: Array<FilterOption<Kind>> = [
  { value: '', label: 'Conflicts and duplicates' },
  { value: 'conflict', label: 'Conflicts only' },
  { value: 'duplicate', label: 'Possible duplicates only' },
];
const SYSTEM_OPTIONS: Array<FilterOption<'' | SystemId>> = [
  { value: '', label: 'With any system' },
  ...(['aroflo', 'aimfox'] as const).map((s) => ({ value: s, label: `With ${SYSTEM_LABEL[s]}` })),
];
const ENTITY_OPTIONS: Array<FilterOption<'' | EntityKind>> = [
  { value: '', label: 'All record types' },
  ...ENTITY_KINDS.filter((k) => k !== 'label' && k !== 'appointment').map((k) => ({
    value: k,
    label: capital(entityMany(k)),
  })),
];

/** Typing in a field or choosing in a list keeps its own keys. */
function typingIn(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) &&
      !(el.tagName === 'INPUT' && (el as HTMLInputElement).type === 'radio'))
  );
}

function Legend() {
  return (
    <div className="legend" aria-label="Keyboard shortcuts" role="note">
      <IconKeyboard />
      <span>
        <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> next, previous
      </span>
      <span>
        <kbd>Home</kbd> <kbd>End</kbd> first, last
      </span>
      <span>
        <kbd>g</kbd> keep HighLevel’s
      </span>
      <span>
        <kbd>o</kbd> keep the other system’s
      </span>
      <span>
        <kbd>Enter</kbd> apply
      </span>
    </div>
  );
}

function DetailPane({
  id,
  commands,
  onDone,
}: {
  id: string;
  commands: RefObject<DetailCommands | null>;
  onDone: (m: string) => void;
}) {
  const q = useBridgeQuery((b) => b.getConflict({ id }), `conflict:${id}`);
  const headingId = useId();
  if (q.data === undefined || q.data.id !== id) {
    if (q.error !== undefined)
      return <ErrorState error={q.error} onRetry={q.reload} title="This item could not be loaded" />;
    return <LoadingState label="Loading…" />;
  }
  const c = q.data;
  return (
    <section className="detail" aria-labelledby={headingId}>
      <div className="detail-head">
        <h2 id={headingId}>{c.label || `(unnamed ${entityOne(c.entity)})`}</h2>
        {c.kind === 'duplicate' ? <Badge tone="info">Possible duplicate</Badge> : <Badge tone="warn">Conflict</Badge>}
      </div>
      <p className="detail-meta">
        {capital(entityOne(c.entity))} · {PAIR_LABEL[c.pair]} · found {formatDateTime(c.createdAt)}
      </p>
      {c.kind === 'duplicate' ? (
        <DuplicateReview key={c.id} c={c} onDone={onDone} />
      ) : (
        <ConflictDetailView key={c.id} c={c} commandsRef={commands} onDone={onDone} />
      )}
    </section>
  );
}

export function ConflictsScreen() {
  const { status } = useAppStatus();
  const [kind, setKind] = useState<Kind>('');
  const [system, setSystem] = useState<'' | SystemId>('');
  const [entity, setEntity] = useState<'' | EntityKind>('');
  // #/conflicts?q=<name> (the record page's link to its conflicts) opens the list searched for it.
  const [search, setSearch] = useState(() => paramsFromHash(window.location.hash).q ?? '');
  const query = useDebounced(search.trim(), 250);
  const filters: ConflictFilters = {
    ...(kind ? { kind } : {}),
    ...(system ? { system } : {}),
    ...(entity ? { entity } : {}),
    ...(query ? { query } : {}),
  };
  const pages = useConflictPages(filters);
  const [picked, setSelected] = useState(0);
  const [done, setDone] = useState<string>();
  const commands = useRef<DetailCommands | null>(null);
  // Another filter starts at the top of the list.
  const pick =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v);
      setSelected(0);
    };
  const total = pages.total ?? 0;
  // The selection stays inside the list as it shrinks (after a decision the next item moves into place).
  const selected = Math.max(0, Math.min(picked, total - 1));
  const current = total > 0 ? pages.item(selected) : undefined;

  const move = useCallback((by: number) => setSelected((s) => Math.max(0, Math.min(total - 1, s + by))), [total]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const k = e.key;
      if (k === 'ArrowDown' || k === 'j') move(1);
      else if (k === 'ArrowUp' || k === 'k') move(-1);
      else if (k === 'Home') setSelected(0);
      else if (k === 'End') setSelected(Math.max(0, total - 1));
      else if (k === 'g') commands.current?.take('ghl');
      else if (k === 'o') commands.current?.take('other');
      else if (k === 'Enter') {
        const t = e.target as HTMLElement | null;
        // Enter on a button or link keeps its own meaning.
        if (t && (t.tagName === 'BUTTON' || t.tagName === 'A')) return;
        if (!commands.current) return;
        commands.current.apply();
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, total]);

  const onDone = (message: string) => {
    setDone(message);
    pages.refresh();
  };

  const anyFilter = !!(kind || system || entity || query);
  const open = status ? status.openConflicts + status.openDuplicates : undefined;

  return (
    <>
      <PageHeader
        title="Conflicts"
        description="Records changed differently in two systems, and possible duplicates. Nothing is overwritten until you decide."
      />
      {/* Always present, so screen readers announce each new message. */}
      <p className={done ? 'notice notice-good' : 'visually-hidden'} role="status">
        {done ? <IconCheck /> : null}
        {done}
      </p>
      {pages.error !== undefined && pages.total === undefined ? (
        <ErrorState error={pages.error} onRetry={pages.refresh} />
      ) : pages.total === undefined ? (
        <LoadingState label="Loading conflicts…" />
      ) : total === 0 && !anyFilter ? (
        <EmptyState title="No conflicts — you're all caught up" icon={<IconCheck />}>
          When the same field is changed differently in two systems, it waits here for your decision.
        </EmptyState>
      ) : (
        <>
          {pages.error !== undefined ? <InlineError error={pages.error} onRetry={pages.refresh} /> : null}
          <FilterBar label="Filter conflicts">
            <SearchBox
              wide
              label="Search by name"
              placeholder="Search by name"
              value={search}
              onChange={(v) => {
                setSearch(v);
                setSelected(0);
              }}
            />
            <FilterSelect label="Kind" value={kind} options={KIND_OPTIONS} onChange={pick(setKind)} />
            <FilterSelect label="System" value={system} options={SYSTEM_OPTIONS} onChange={pick(setSystem)} />
            <FilterSelect label="Record type" value={entity} options={ENTITY_OPTIONS} onChange={pick(setEntity)} />
            <span className="muted filter-count" role="status" aria-live="polite">
              {anyFilter && open !== undefined
                ? `${total.toLocaleString()} of ${plural(open, 'open item')}`
                : plural(total, 'open item')}
            </span>
          </FilterBar>
          <Legend />
          <div className="review">
            <Card className="review-list">
              {total === 0 ? (
                <EmptyState title="Nothing matches these filters">Clear the search or choose other filters.</EmptyState>
              ) : (
                <ConflictList
                  total={total}
                  item={pages.item}
                  ensure={pages.ensure}
                  selected={selected}
                  onSelect={setSelected}
                  label="Open conflicts and possible duplicates"
                />
              )}
            </Card>
            <Card className="review-detail">
              {current ? (
                <DetailPane key={current.id} id={current.id} commands={commands} onDone={onDone} />
              ) : total > 0 ? (
                <LoadingState />
              ) : (
                <EmptyState title="Nothing selected" />
              )}
            </Card>
          </div>
        </>
      )}
    </>
  );
}
