/** Status: is everything in sync, what needs attention, and the facts about this installation. */
import { useState } from 'react';
import type { AppStatus, AttentionItem, RunSummary } from '../../../preload/contract.js';
import { useAppStatus, useNow } from '../app-status.js';
import { useBridge } from '../components/bridge-context.js';
import { HealthBadge, RunStatusBadge } from '../components/badge.js';
import { Card, Details, PageHeader } from '../components/page.js';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/states.js';
import { IconAlert, IconCheck, IconChevron, IconInfo, IconPause, IconPlay, IconSync } from '../components/icons.js';
import { countTotal, formatDateTime, formatDuration, formatRelative, plural } from '../components/format.js';
import { hrefFor } from '../routes.js';

function Overview({ status, now }: { status: AppStatus; now: number }) {
  if (status.syncing) {
    const p = status.progress;
    const pct = p?.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : undefined;
    return (
      <div className="overview overview-info">
        <IconSync />
        <div className="overview-text">
          <strong>Syncing{p?.phase ? ` — ${p.phase}` : '…'}</strong>
          {p ? <span>{p.message ?? (p.total ? `${p.done.toLocaleString()} of ${p.total.toLocaleString()}` : `${p.done.toLocaleString()} done`)}</span> : null}
          {pct !== undefined ? (
            <div className="progress" role="progressbar" aria-label="Sync progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <div className="progress-bar" style={{ width: `${pct}%` }} />
            </div>
          ) : null}
        </div>
      </div>
    );
  }
  if (status.paused) {
    return (
      <div className="overview overview-warn">
        <IconPause />
        <div className="overview-text">
          <strong>Sync is paused</strong>
          <span>Nothing is sent or fetched until you resume.</span>
        </div>
      </div>
    );
  }
  const errors = status.attention.filter((a) => a.severity === 'error').length;
  if (errors > 0 || status.lastRun?.status === 'failed') {
    return (
      <div className="overview overview-bad">
        <IconAlert />
        <div className="overview-text">
          <strong>{status.lastRun?.status === 'failed' ? 'The last sync failed' : 'Something needs fixing'}</strong>
          <span>{status.lastRun?.message ?? 'See “Needs attention” below.'}</span>
        </div>
      </div>
    );
  }
  const warnings = status.attention.filter((a) => a.severity === 'warning');
  if (warnings.length > 0) {
    return (
      <div className="overview overview-warn">
        <IconInfo />
        <div className="overview-text">
          <strong>
            {plural(warnings.length, 'item')} need{warnings.length === 1 ? 's' : ''} your attention
          </strong>
          <span>Sync keeps running for everything else.</span>
        </div>
      </div>
    );
  }
  if (status.attention.some((a) => a.kind === 'setup')) {
    return (
      <div className="overview overview-neutral">
        <IconInfo />
        <div className="overview-text">
          <strong>Finish setting up</strong>
          <span>
            Connect HighLevel and AroFlo or Aimfox on the <a href={hrefFor('connections')}>Connections</a> screen, then preview each mapping before the first sync.
          </span>
        </div>
      </div>
    );
  }
  if (!status.lastRun) {
    return (
      <div className="overview overview-neutral">
        <IconInfo />
        <div className="overview-text">
          <strong>No sync has run yet</strong>
          <span>Choose Sync now, or wait for the next scheduled sync.</span>
        </div>
      </div>
    );
  }
  return (
    <div className="overview overview-good">
      <IconCheck />
      <div className="overview-text">
        <strong>Everything is up to date</strong>
        <span>
          Last synced {formatRelative(status.lastRun.finishedAt ?? status.lastRun.startedAt, now)}
          {status.nextRunAt ? ` · next sync ${formatRelative(status.nextRunAt, now)}` : ''}
        </span>
      </div>
    </div>
  );
}

function LastRun({ run, now }: { run: RunSummary | undefined; now: number }) {
  if (!run) {
    return <EmptyState title="No sync has run yet">The result of each sync appears here: what changed, and anything that needs a look.</EmptyState>;
  }
  return (
    <>
      <div className="run-head">
        <RunStatusBadge status={run.status} />
        {run.dryRun ? <span className="muted">Preview only — nothing was written</span> : null}
      </div>
      <div className="stats">
        <div className="stat">
          <span className="stat-value">{countTotal(run.created).toLocaleString()}</span>
          <span className="stat-label">created</span>
        </div>
        <div className="stat">
          <span className="stat-value">{countTotal(run.updated).toLocaleString()}</span>
          <span className="stat-label">updated</span>
        </div>
        <div className="stat">
          <span className="stat-value">{countTotal(run.deleted).toLocaleString()}</span>
          <span className="stat-label">deleted</span>
        </div>
        <div className="stat">
          <span className="stat-value">{run.conflicts.toLocaleString()}</span>
          <span className="stat-label">conflicts</span>
        </div>
        <div className="stat">
          <span className="stat-value">{run.errors.toLocaleString()}</span>
          <span className="stat-label">errors</span>
        </div>
      </div>
      <Details
        items={[
          { label: 'Started', value: `${formatDateTime(run.startedAt)} (${formatRelative(run.startedAt, now)})` },
          { label: 'Took', value: formatDuration(run.durationMs) },
          ...(run.message ? [{ label: 'Note', value: run.message }] : []),
        ]}
      />
    </>
  );
}

function Attention({ items }: { items: AttentionItem[] }) {
  if (items.length === 0) {
    return (
      <EmptyState title="Nothing needs your attention" icon={<IconCheck />}>
        Conflicts, sign-in problems and anything else to review will be listed here.
      </EmptyState>
    );
  }
  return (
    <ul className="attention-list">
      {items.map((a, i) => (
        <li key={`${a.kind}-${i}`} className={`attention attention-${a.severity}`}>
          <span className="attention-icon" aria-hidden="true">
            {a.severity === 'info' ? <IconInfo /> : <IconAlert />}
          </span>
          <span className="attention-text">{a.message}</span>
          <a className="link-button" href={hrefFor(a.screen)}>
            Open <span className="visually-hidden">{a.screen}</span>
            <IconChevron />
          </a>
        </li>
      ))}
    </ul>
  );
}

export function StatusScreen() {
  const bridge = useBridge();
  const { status, error, reload, set } = useAppStatus();
  const now = useNow();
  const [busy, setBusy] = useState<'sync' | 'pause' | undefined>();
  const [actionError, setActionError] = useState<unknown>();

  async function act(kind: 'sync' | 'pause', run: () => Promise<void>) {
    setBusy(kind);
    setActionError(undefined);
    try {
      await run();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(undefined);
      reload();
    }
  }

  const actions = status ? (
    <>
      <button
        type="button"
        className="button"
        disabled={busy !== undefined}
        onClick={() => act('pause', async () => set(status.paused ? await bridge.resume() : await bridge.pause()))}
      >
        {status.paused ? <IconPlay /> : <IconPause />}
        {status.paused ? 'Resume sync' : 'Pause sync'}
      </button>
      <button
        type="button"
        className="button button-primary"
        disabled={busy !== undefined || status.syncing}
        onClick={() => act('sync', async () => void (await bridge.syncNow({})))}
      >
        <IconSync />
        {busy === 'sync' || status.syncing ? 'Syncing…' : 'Sync now'}
      </button>
    </>
  ) : undefined;

  return (
    <>
      <PageHeader title="Status" description="Whether HighLevel, AroFlo and Aimfox are in step, and what needs you." actions={actions} />
      {!status ? (
        error !== undefined ? <ErrorState error={error} onRetry={reload} /> : <LoadingState label="Loading status…" />
      ) : (
        <>
          {actionError !== undefined ? <InlineError error={actionError} /> : null}
          <Overview status={status} now={now} />
          <div className="grid">
            <Card title="Last sync">
              <LastRun run={status.lastRun} now={now} />
            </Card>
            <Card title="Needs attention">
              <Attention items={status.attention} />
            </Card>
            <Card
              title="Connections"
              actions={
                <a className="link-button" href={hrefFor('connections')}>
                  Manage <IconChevron />
                </a>
              }
            >
              <ul className="connection-list">
                {status.connections.map((c) => (
                  <li key={c.system} className="connection-row">
                    <div>
                      <span className="connection-name">{c.label}</span>
                      {c.account ? <span className="muted"> · {c.account}</span> : null}
                      {c.message && c.health !== 'ok' ? <p className="connection-message">{c.message}</p> : null}
                    </div>
                    <HealthBadge health={c.health} />
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="This installation">
              <Details
                items={[
                  { label: 'Version', value: status.version },
                  { label: 'Profile folder', value: status.profileDir, mono: true },
                  { label: 'Database level', value: String(status.dbLevel) },
                  { label: 'Next sync', value: status.paused ? 'Paused' : status.nextRunAt ? formatDateTime(status.nextRunAt) : 'Not scheduled' },
                ]}
              />
            </Card>
          </div>
        </>
      )}
    </>
  );
}
