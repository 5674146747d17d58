/** The shared loading / empty / error states every screen uses, so they look and read the same everywhere. */
import type { ReactNode } from 'react';
import { errorMessage } from '../bridge/errors.js';
import type { QueryState } from './use-bridge-query.js';
import { IconAlert, IconInbox } from './icons.js';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-icon" aria-hidden="true">
        {icon ?? <IconInbox />}
      </div>
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = 'This could not be loaded',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon" aria-hidden="true">
        <IconAlert />
      </div>
      <p className="state-title">{title}</p>
      <p className="state-body">{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** An error shown above content that is still useful (the last good data). */
export function InlineError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="alert alert-error" role="alert">
      <IconAlert />
      <span>{errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/**
 * Renders a query: loading → spinner, failed with nothing to show → error with retry, no items → the empty state,
 * else the content (with an inline error when a reload failed).
 */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  loadingLabel,
  children,
}: {
  query: QueryState<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading, reload } = query;
  if (data === undefined) {
    if (error !== undefined) return <ErrorState error={error} onRetry={reload} />;
    if (loading) return <LoadingState label={loadingLabel} />;
    return <LoadingState label={loadingLabel} />;
  }
  return (
    <>
      {error !== undefined ? <InlineError error={error} onRetry={reload} /> : null}
      {isEmpty?.(data) && empty ? empty : children(data)}
    </>
  );
}
