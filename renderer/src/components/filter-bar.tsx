/**
 * The filter bar the list screens share (Changes, Activity, Logs, Conflicts, the record search): one look — every
 * control one height, labels read out but not shown — and one behaviour: a list filters as it is typed (debounced by
 * the screen with `useDebounced`), a search that costs reads (the record page) waits for Enter or its button.
 */
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';

/** A screen's filter bar (a search landmark named by `label`); with `onSubmit` it is a form that Enter submits. */
export function FilterBar({
  label,
  onSubmit,
  children,
}: {
  label: string;
  onSubmit?: () => void;
  children: ReactNode;
}) {
  if (!onSubmit)
    return (
      <div className="filter-bar" role="search" aria-label={label}>
        {children}
      </div>
    );
  return (
    <form
      className="filter-bar"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export interface FilterOption<V extends string> {
  value: V;
  label: string;
}

/** A choice in a filter bar; its first option says what "any" means, its label is for screen readers. */
export function FilterSelect<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: ReadonlyArray<FilterOption<V>>;
  onChange: (v: V) => void;
}) {
  const id = useId();
  return (
    <>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select select-compact" value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}

/** A range of days ("YYYY-MM-DD", local), From and To kept together so they wrap as one. */
export function DateRange({
  from,
  to,
  onFrom,
  onTo,
}: {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
}) {
  const ids = { f: useId(), t: useId() };
  return (
    <span className="filter-range">
      <label htmlFor={ids.f}>From</label>
      <input
        id={ids.f}
        className="input input-date"
        type="date"
        value={from}
        onChange={(e) => onFrom(e.target.value)}
      />
      <label htmlFor={ids.t}>To</label>
      <input id={ids.t} className="input input-date" type="date" value={to} onChange={(e) => onTo(e.target.value)} />
    </span>
  );
}

/** `value`, once it has stopped changing for `ms` (a search typed into a filter bar). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(t);
  }, [value, ms]);
  return v;
}
