import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/** The first screen after loading keeps the browser's focus order (skip link first); later ones get focus. */
let firstScreenShown = false;

/** The top of every screen: its title (focused when the person moves to it), a line of help, and actions. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — GHL Bridge`;
    if (firstScreenShown) heading.current?.focus({ preventScroll: true });
    firstScreenShown = true;
  }, [title]);
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Card({
  title,
  children,
  actions,
  className,
}: {
  title?: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const id = title ? `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : undefined;
  return (
    <section className={`card ${className ?? ''}`.trim()} aria-labelledby={id}>
      {title || actions ? (
        <div className="card-header">
          {title ? <h2 id={id}>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      <div className="card-body">{children}</div>
    </section>
  );
}

/** A label/value list (dl), used for details such as version and profile folder. */
export function Details({ items }: { items: Array<{ label: string; value: ReactNode; mono?: boolean }> }) {
  return (
    <dl className="details">
      {items.map((it) => (
        <div className="details-row" key={it.label}>
          <dt>{it.label}</dt>
          <dd className={it.mono ? 'mono' : undefined}>{it.value}</dd>
        </div>
      ))}
    </dl>
  );
}
