import type { ReactNode } from 'react';
import type { AppStatus, Screen } from '../../../preload/contract.js';
import { SCREENS, hrefFor } from '../routes.js';
import {
  IconActivity,
  IconChanges,
  IconDashboard,
  IconConflicts,
  IconConnections,
  IconLogs,
  IconMappings,
  IconSearch,
  IconSettings,
  IconStatus,
  Logo,
} from './icons.js';

const ICONS: Record<Screen, () => ReactNode> = {
  dashboard: IconDashboard,
  changes: IconChanges,
  status: IconStatus,
  connections: IconConnections,
  mappings: IconMappings,
  conflicts: IconConflicts,
  activity: IconActivity,
  logs: IconLogs,
  settings: IconSettings,
  record: IconSearch,
};

function syncLine(status: AppStatus | undefined): { text: string; tone: string } {
  if (!status) return { text: 'Connecting…', tone: 'neutral' };
  if (status.syncing) return { text: 'Syncing…', tone: 'info' };
  if (status.paused) return { text: 'Sync paused', tone: 'warn' };
  if (status.attention.some((a) => a.severity === 'error')) return { text: 'Needs attention', tone: 'bad' };
  if (status.lastRun?.status === 'failed') return { text: 'Last sync failed', tone: 'bad' };
  if (status.lastRun?.status === 'needs_approval') return { text: 'Waiting for your approval', tone: 'warn' };
  if (status.openConflicts + status.openDuplicates > 0) return { text: 'Items to review', tone: 'warn' };
  if (status.attention.some((a) => a.severity === 'warning')) return { text: 'Needs attention', tone: 'warn' };
  if (status.attention.some((a) => a.kind === 'setup')) return { text: 'Not set up yet', tone: 'neutral' };
  if (!status.lastRun) return { text: 'Not synced yet', tone: 'neutral' };
  return { text: 'Up to date', tone: 'good' };
}

export function SideNav({
  current,
  status,
  top,
}: {
  /** undefined: no screen of the list is shown (the "All locations" overview). */
  current: Screen | undefined;
  status: AppStatus | undefined;
  /** Shown under the name: the location picker when the profile has several. */
  top?: ReactNode;
}) {
  const open = status ? status.openConflicts + status.openDuplicates : 0;
  const line = syncLine(status);
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo />
        <span className="brand-name">GHL Bridge</span>
      </div>
      {top}
      <nav aria-label="Main">
        <ul className="nav-list">
          {SCREENS.map((s) => {
            const Icon = ICONS[s.id];
            const count = s.id === 'conflicts' && open > 0 ? open : undefined;
            return (
              <li key={s.id}>
                <a className="nav-link" href={hrefFor(s.id)} aria-current={s.id === current ? 'page' : undefined}>
                  <Icon />
                  <span className="nav-label">{s.label}</span>
                  {count !== undefined ? (
                    <span className="nav-count" aria-label={`${count} open`}>
                      {count > 999 ? '999+' : count}
                    </span>
                  ) : null}
                </a>
              </li>
            );
          })}
          <li>
            <a className="nav-link" href="#/record" aria-current={current === 'record' ? 'page' : undefined}>
              <IconSearch />
              <span className="nav-label">Find a record</span>
            </a>
          </li>
        </ul>
      </nav>
      <div className="sidebar-foot" role="status" aria-live="polite">
        <span className={`dot dot-${line.tone}`} aria-hidden="true" />
        <span>{line.text}</span>
      </div>
    </aside>
  );
}
