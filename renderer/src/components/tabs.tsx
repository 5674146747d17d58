/** Tabs with the WAI-ARIA keyboard pattern: ←/→ (and Home/End) move between tabs; the panel follows the choice. */
import { useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

export function Tabs<T extends string>({
  label,
  tabs,
  current,
  onChange,
  idPrefix,
  children,
}: {
  label: string;
  tabs: ReadonlyArray<{ id: T; label: ReactNode; badge?: ReactNode }>;
  current: T;
  onChange: (id: T) => void;
  idPrefix: string;
  children: ReactNode;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKey = (e: KeyboardEvent, index: number) => {
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    onChange(tabs[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${t.id}`}
            aria-selected={t.id === current}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={t.id === current ? 0 : -1}
            className="tab"
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
            {t.badge}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${idPrefix}-panel`}
        aria-labelledby={`${idPrefix}-tab-${current}`}
        className="tab-panel"
      >
        {children}
      </div>
    </div>
  );
}
