/**
 * Dashboard: every system's records at a glance, from the store's mirror of what each system held at the last sync
 * (nothing is asked of the systems here), open review items, quarantine, and the changes per day by who made them.
 */
import { useId, useState } from 'react';
import type { Dashboard, SystemFigures, SystemId } from '../../../preload/contract.js';
import { Card, PageHeader } from '../components/page.js';
import { QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { formatDateTime } from '../components/format.js';
import { hrefFor } from '../routes.js';
import { systemLabel } from '../labels.js';
import { ChangesChart } from './dashboard/changes-chart.js';

const PEOPLE: Record<SystemId, string> = { ghl: 'Contacts', aroflo: 'Clients and contacts', aimfox: 'Leads' };
const TASKS: Record<SystemId, string> = { ghl: 'tasks', aroflo: 'jobs', aimfox: 'tasks' };
const NO_DATA: Record<'business' | 'tag', string> = {
  business: 'keeps no business for these records',
  tag: 'keeps no tags',
};

function Stat({ value, label, href }: { value: number; label: string; href?: string }) {
  const v = <span className="stat-value">{value.toLocaleString()}</span>;
  return (
    <div className="stat" data-stat={label}>
      {href ? (
        <a className="stat-link" href={href}>
          {v}
        </a>
      ) : (
        v
      )}
      <span className="stat-label">{label}</span>
    </div>
  );
}

function SystemCard({ f }: { f: SystemFigures }) {
  const name = systemLabel(f.system);
  const notLinked = f.people.total - f.people.linked;
  return (
    <Card title={name} className="dash-system">
      {f.notFiltered.length ? (
        <p className="muted dash-note" role="note">
          {name} {f.notFiltered.map((k) => NO_DATA[k]).join(' and ')}: its figures are not narrowed by that filter.
        </p>
      ) : null}
      <div className="stats dash-stats" data-system={f.system}>
        <Stat value={f.people.total} label={PEOPLE[f.system]} />
        <Stat value={f.people.linked} label="Linked" />
        <Stat value={notLinked} label="Not linked" />
        {f.tasks ? <Stat value={f.tasks.open} label={`Open ${TASKS[f.system]}`} /> : null}
        {f.tasks ? <Stat value={f.tasks.completed} label={`Completed ${TASKS[f.system]}`} /> : null}
        <Stat value={f.notes.thisWeek} label="Notes in the last 7 days" />
        <Stat value={f.review} label="Waiting for review" href={f.review ? hrefFor('conflicts') : undefined} />
        <Stat value={f.quarantined} label="Quarantined" />
      </div>
      {!f.tasks ? <p className="muted dash-note">GHL Bridge syncs no tasks with {name}.</p> : null}
    </Card>
  );
}

function Filters({
  options,
  business,
  tag,
  onBusiness,
  onTag,
}: {
  options: Dashboard['options'];
  business: string;
  tag: string;
  onBusiness: (v: string) => void;
  onTag: (v: string) => void;
}) {
  const ids = { b: useId(), t: useId(), u: useId() };
  return (
    <div className="filter-bar" role="search" aria-label="Filter the dashboard">
      <span className="inline-field">
        <label htmlFor={ids.b}>Business</label>
        <select
          id={ids.b}
          className="select select-compact dash-select"
          value={business}
          onChange={(e) => onBusiness(e.target.value)}
        >
          <option value="">All businesses</option>
          {options.businesses.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </span>
      <span className="inline-field">
        <label htmlFor={ids.t}>Tag</label>
        <select
          id={ids.t}
          className="select select-compact dash-select"
          value={tag}
          onChange={(e) => onTag(e.target.value)}
        >
          <option value="">All tags</option>
          {options.tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </span>
      <span className="inline-field">
        <label htmlFor={ids.u}>Business unit</label>
        <select id={ids.u} className="select select-compact" disabled value="">
          <option value="">Not kept yet</option>
        </select>
      </span>
    </div>
  );
}

export function DashboardScreen() {
  const [business, setBusiness] = useState('');
  const [tag, setTag] = useState('');
  const args = { ...(business ? { business } : {}), ...(tag ? { tag } : {}) };
  const q = useBridgeQuery((b) => b.getDashboard(args), `dashboard:${JSON.stringify(args)}`, ['run-finished']);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          q.data ? (
            q.data.asOf ? (
              <>
                What HighLevel, AroFlo and Aimfox held at the last sync,{' '}
                <span className="dash-asof">as of {formatDateTime(q.data.asOf)}</span>.
              </>
            ) : (
              'Nothing has been synced yet: the figures fill in after the first sync.'
            )
          ) : (
            'What HighLevel, AroFlo and Aimfox held at the last sync.'
          )
        }
      />
      <QueryView query={q} loadingLabel="Loading the dashboard…">
        {(d) => (
          <>
            <Filters options={d.options} business={business} tag={tag} onBusiness={setBusiness} onTag={setTag} />
            <p className="muted dash-note">
              Business units are not kept in GHL Bridge&apos;s copy of the records yet, so there is nothing to filter
              by. Review items and quarantine are not narrowed by the filters.
            </p>
            <div className="dash-grid" data-ready="true">
              {d.systems.map((f) => (
                <SystemCard key={f.system} f={f} />
              ))}
            </div>
            <Card title="Changes per day">
              <ChangesChart data={d.chart} days={d.days} />
            </Card>
          </>
        )}
      </QueryView>
    </>
  );
}
