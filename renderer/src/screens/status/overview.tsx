/** The one-line answer at the top of Status: syncing (with progress), paused, stopped, failing, or up to date. */
import type { ReactNode } from 'react';
import type { AppStatus } from '../../../../preload/contract.js';
import { IconAlert, IconCheck, IconInfo, IconPause, IconSync } from '../../components/icons.js';
import { formatRelative, plural } from '../../components/format.js';
import { hrefFor } from '../../routes.js';
import { phaseLabel } from '../../labels.js';

function Banner({
  tone,
  icon,
  title,
  children,
}: {
  tone: string;
  icon: ReactNode;
  title: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className={`overview overview-${tone}`}>
      {icon}
      <div className="overview-text">
        <strong>{title}</strong>
        {children}
      </div>
    </div>
  );
}

export function SyncProgress({ status }: { status: AppStatus }) {
  const p = status.progress;
  const pct = p?.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : undefined;
  const words = p
    ? (p.message ??
      (p.total ? `${p.done.toLocaleString()} of ${p.total.toLocaleString()}` : `${p.done.toLocaleString()} done`))
    : 'Starting…';
  return (
    <Banner tone="info" icon={<IconSync />} title={`Syncing${p?.phase ? ` — ${phaseLabel(p.phase)}` : '…'}`}>
      <span>{words}</span>
      {pct !== undefined ? (
        <div
          className="progress"
          role="progressbar"
          aria-label="Sync progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <div className="progress-bar" style={{ width: `${pct}%` }} />
        </div>
      ) : (
        <div className="progress progress-indeterminate" role="progressbar" aria-label="Sync progress">
          <div className="progress-bar" />
        </div>
      )}
    </Banner>
  );
}

export function Overview({ status, now }: { status: AppStatus; now: number }) {
  if (status.syncing) return <SyncProgress status={status} />;
  if (status.paused) {
    return (
      <Banner tone="warn" icon={<IconPause />} title="Sync is paused">
        <span>Nothing is sent or fetched until you resume.</span>
      </Banner>
    );
  }
  // A guard stop has its own card with the reason and the choices; the banner only names it.
  if (status.lastRun?.status === 'needs_approval') {
    return (
      <Banner tone="warn" icon={<IconAlert />} title="The last sync is waiting for your approval">
        <span>It stopped before changing anything, because it would change more than your safety limits allow.</span>
      </Banner>
    );
  }
  const errors = status.attention.filter((a) => a.severity === 'error');
  if (errors.length > 0 || status.lastRun?.status === 'failed') {
    return (
      <Banner
        tone="bad"
        icon={<IconAlert />}
        title={status.lastRun?.status === 'failed' ? 'The last sync failed' : 'Something needs fixing'}
      >
        <span>
          {status.lastRun?.status === 'failed'
            ? (status.lastRun.message ?? 'See Logs for what happened.')
            : (errors[0]?.message ?? 'See “Needs attention” below.')}
        </span>
      </Banner>
    );
  }
  const review = status.openConflicts + status.openDuplicates;
  if (review > 0) {
    return (
      <Banner
        tone="warn"
        icon={<IconInfo />}
        title={`${plural(review, 'record')} ${review === 1 ? 'waits' : 'wait'} for your decision`}
      >
        <span>
          Sync keeps running for everything else. <a href={hrefFor('conflicts')}>Review them on the Conflicts screen</a>
          .
        </span>
      </Banner>
    );
  }
  const warnings = status.attention.filter((a) => a.severity === 'warning');
  if (warnings.length > 0) {
    return (
      <Banner
        tone="warn"
        icon={<IconInfo />}
        title={`${plural(warnings.length, 'item')} need${warnings.length === 1 ? 's' : ''} your attention`}
      >
        <span>Sync keeps running for everything else.</span>
      </Banner>
    );
  }
  if (status.attention.some((a) => a.kind === 'setup')) {
    return (
      <Banner tone="neutral" icon={<IconInfo />} title="Finish setting up">
        <span>
          Connect HighLevel and AroFlo or Aimfox on the <a href={hrefFor('connections')}>Connections</a> screen, then
          preview each mapping before the first sync.
        </span>
      </Banner>
    );
  }
  if (!status.lastRun) {
    return (
      <Banner tone="neutral" icon={<IconInfo />} title="No sync has run yet">
        <span>Choose Sync now, or wait for the next scheduled sync.</span>
      </Banner>
    );
  }
  return (
    <Banner tone="good" icon={<IconCheck />} title="Everything is up to date">
      <span>
        Last synced {formatRelative(status.lastRun.finishedAt ?? status.lastRun.startedAt, now)}
        {status.nextRunAt ? ` · next sync ${formatRelative(status.nextRunAt, now)}` : ''}
      </span>
    </Banner>
  );
}
