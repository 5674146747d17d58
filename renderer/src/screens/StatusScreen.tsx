/** Status: is everything in sync, what needs attention first, each connection's health and allowance, recent syncs. */
import { useState } from 'react';
import type { AppStatus, AttentionItem, ConnectionInfo, RunSummary } from '../../../preload/contract.js';
import { useAppStatus, useNow } from '../app-status.js';
import { useBridge } from '../components/bridge-context.js';
import { HealthBadge, RunStatusBadge } from '../components/badge.js';
import { Card, Details, PageHeader } from '../components/page.js';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/states.js';
import { IconAlert, IconCheck, IconChevron, IconInfo, IconPause, IconPlay, IconSync } from '../components/icons.js';
import { countTotal, formatDateTime, formatDuration, formatRelative } from '../components/format.js';
import { quotaWords } from '../components/quota.js';
import { TRIGGER_LABEL, plainMessage } from '../labels.js';
import { SCREENS, hrefFor } from '../routes.js';
import { Overview } from './status/overview.js';
import { GuardStop } from './status/guard-stop.js';
import { RecentRuns } from './status/recent-runs.js';
import { DailyBudget } from './status/budget.js';

function LastRun({ run, now, toReview }: { run: RunSummary | undefined; now: number; toReview: number }) {
  if (!run) {
    return (
      <EmptyState title="No sync has run yet">
        The result of each sync appears here: what changed, and anything that needs a look.
      </EmptyState>
    );
  }
  // A preview's counts are what it would do. "To review" is counted as the banner and the Conflicts screen count:
  // records waiting now (conflicts and possible duplicates), not what one run met.
  const [c, u, d] = run.dryRun ? ['would create', 'would update', 'would delete'] : ['created', 'updated', 'deleted'];
  const stats: Array<[string, number]> = [
    [c, countTotal(run.created)],
    [u, countTotal(run.updated)],
    [d, countTotal(run.deleted)],
    ['to review', toReview],
    ['errors', run.errors],
  ];
  return (
    <>
      <div className="run-head">
        <RunStatusBadge status={run.status} />
        <span className="muted">
          {run.dryRun ? 'Preview only — nothing was written' : (TRIGGER_LABEL[run.trigger] ?? run.trigger)}
        </span>
      </div>
      <div className="stats">
        {stats.map(([label, n]) => (
          <div className="stat" key={label}>
            <span className="stat-value">{n.toLocaleString()}</span>
            <span className="stat-label">{label}</span>
          </div>
        ))}
      </div>
      <Details
        items={[
          // (Never "in a moment": the clock used for labels may lag the run's own a little.)
          {
            label: 'Started',
            value: `${formatDateTime(run.startedAt)} (${formatRelative(Math.min(run.startedAt, now), now)})`,
          },
          { label: 'Took', value: formatDuration(run.durationMs) },
          // A stop or failure is explained at the top of the screen already.
          ...(run.message && run.status !== 'needs_approval' && run.status !== 'failed'
            ? [{ label: 'Note', value: plainMessage(run.message) }]
            : []),
        ]}
      />
    </>
  );
}

const SCREEN_NAME = Object.fromEntries(SCREENS.map((s) => [s.id, s.label]));

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
            Open <span className="visually-hidden">{SCREEN_NAME[a.screen] ?? a.screen}</span>
            <IconChevron />
          </a>
        </li>
      ))}
    </ul>
  );
}

function ConnectionRow({ c }: { c: ConnectionInfo }) {
  const daily = c.quota?.find((q) => q.window === 'daily') ?? c.quota?.[0];
  return (
    <li className="connection-row">
      <div>
        <span className="connection-name">{c.label}</span>
        {c.account ? <span className="muted"> · {c.account}</span> : null}
        {c.message && c.health !== 'ok' ? <p className="connection-message">{c.message}</p> : null}
        {c.warnings?.map((w) => (
          <p key={w} className="connection-message">
            {w}
          </p>
        ))}
        {daily && c.configured ? <p className="connection-quota">{quotaWords(daily)}</p> : null}
      </div>
      <HealthBadge health={c.health} />
    </li>
  );
}

function StatusBody({ status, now, reload }: { status: AppStatus; now: number; reload: () => void }) {
  const guard = !status.syncing && status.lastRun?.status === 'needs_approval' ? status.lastRun : undefined;
  return (
    <>
      <Overview status={status} now={now} />
      <div className="grid">
        {guard ? <GuardStop key={guard.id} run={guard} onApproved={reload} /> : null}
        <Card title="Last sync">
          <LastRun run={status.lastRun} now={now} toReview={status.openConflicts + status.openDuplicates} />
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
              <ConnectionRow key={c.system} c={c} />
            ))}
          </ul>
        </Card>
        <DailyBudget budget={status.budget} now={now} />
        <Card title="This installation">
          <Details
            items={[
              {
                label: 'Next sync',
                value: status.paused
                  ? 'Paused'
                  : status.nextRunAt
                    ? `${formatDateTime(status.nextRunAt)} (${formatRelative(status.nextRunAt, now)})`
                    : 'Not scheduled',
              },
              { label: 'Version', value: status.version },
              { label: 'Profile folder', value: status.profileDir, mono: true },
            ]}
          />
        </Card>
        <RecentRuns />
      </div>
    </>
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
      <PageHeader
        title="Status"
        description="Whether HighLevel, AroFlo and Aimfox are in step, and what needs you."
        actions={actions}
      />
      {!status ? (
        error !== undefined ? (
          <ErrorState error={error} onRetry={reload} />
        ) : (
          <LoadingState label="Loading status…" />
        )
      ) : (
        <>
          {actionError !== undefined ? <InlineError error={actionError} /> : null}
          <StatusBody status={status} now={now} reload={reload} />
        </>
      )}
    </>
  );
}
