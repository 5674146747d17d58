/** Activity: one timeline of what happened across the systems (syncs, appointments, changes), with charts by day. */
import { Suspense, lazy, useId, useState } from 'react';
import type { ActivityItem, EntityKind, SystemId } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import type { Tone } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, LoadingState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { useBridge } from '../components/bridge-context.js';
import { IconActivity } from '../components/icons.js';
import { SearchBox } from '../components/form.js';
import { FilterBar, FilterSelect, useDebounced, type FilterOption } from '../components/filter-bar.js';
import { formatDateTime } from '../components/format.js';
import { capital, entityMany, entityOne, plainMessage, systemLabel } from '../labels.js';
// The chart library is most of the window's code: loaded only when Activity is opened.
const ActivityCharts = lazy(() => import('./activity/charts.js').then((m) => ({ default: m.ActivityCharts })));

const PAGE = 100;
const KINDS: Array<EntityKind | 'run'> = ['run', 'contact', 'task', 'note', 'lead', 'appointment'];

const RUN: Record<string, { tone: Tone; text: string }> = {
  ok: { tone: 'good', text: 'Succeeded' },
  failed: { tone: 'bad', text: 'Failed' },
  partial: { tone: 'warn', text: 'Partly done' },
  needs_approval: { tone: 'warn', text: 'Waiting for approval' },
  stopped: { tone: 'warn', text: 'Stopped' },
};

/** A sync's result as a badge; the service's summary starts "Sync <status>:", which the badge says in words. */
function RunBadge({ action }: { action: string }) {
  const r = RUN[action];
  return r ? <Badge tone={r.tone}>{r.text}</Badge> : null;
}

function kindLabel(k: ActivityItem['kind']): string {
  return k === 'run' ? 'Sync' : capital(entityOne(k));
}

const SYSTEMS: Array<FilterOption<'' | SystemId | 'bridge'>> = [
  { value: '', label: 'All systems' },
  { value: 'bridge', label: 'GHL Bridge (syncs)' },
  { value: 'ghl', label: 'HighLevel' },
  { value: 'aroflo', label: 'AroFlo' },
  { value: 'aimfox', label: 'Aimfox' },
];
const WHAT: Array<FilterOption<'' | EntityKind | 'run'>> = [
  { value: '', label: 'Everything' },
  ...KINDS.map((k) => ({ value: k, label: k === 'run' ? 'Syncs' : capital(entityMany(k)) })),
];

function Timeline({
  first,
  filters,
}: {
  first: ActivityItem[];
  filters: { query?: string; system?: SystemId | 'bridge'; kind?: EntityKind | 'run' };
}) {
  const bridge = useBridge();
  const [older, setOlder] = useState<ActivityItem[]>([]);
  const [more, setMore] = useState(first.length >= PAGE);
  const [busy, setBusy] = useState(false);
  const items = [...first, ...older];
  const loadOlder = async () => {
    const before = items[items.length - 1]?.at;
    if (before === undefined) return;
    setBusy(true);
    try {
      const next = await bridge.listActivity({ ...filters, limit: PAGE, before });
      setOlder((o) => [...o, ...next]);
      setMore(next.length >= PAGE);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ol className="timeline">
        {items.map((a) => (
          <li key={a.id} className="timeline-item">
            <time className="timeline-time" dateTime={new Date(a.at).toISOString()}>
              {formatDateTime(a.at)}
            </time>
            <span className="timeline-source">
              {systemLabel(a.system)} · {kindLabel(a.kind)}
            </span>
            <span className="timeline-text">
              {a.kind === 'run' ? <RunBadge action={a.action} /> : null}{' '}
              {plainMessage(a.kind === 'run' ? a.summary.replace(/^Sync \w+: /, '') : a.summary)}
            </span>
          </li>
        ))}
      </ol>
      {more ? (
        <div className="more">
          <button type="button" className="button" disabled={busy} onClick={() => void loadOlder()}>
            {busy ? 'Loading…' : 'Show older'}
          </button>
        </div>
      ) : null}
    </>
  );
}

export function ActivityScreen() {
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 250);
  const [system, setSystem] = useState<'' | SystemId | 'bridge'>('');
  const [kind, setKind] = useState<'' | EntityKind | 'run'>('');
  const [days, setDays] = useState(14);
  const filters = { ...(query ? { query } : {}), ...(system ? { system } : {}), ...(kind ? { kind } : {}) };
  const list = useBridgeQuery(
    (b) => b.listActivity({ ...filters, limit: PAGE }),
    `activity:${JSON.stringify(filters)}`,
    ['run-finished'],
  );
  const stats = useBridgeQuery((b) => b.activityStats({ days }), `stats:${days}`, ['run-finished']);
  const ids = { d: useId() };
  const anyFilter = !!(query || system || kind);

  return (
    <>
      <PageHeader
        title="Activity"
        description="What happened across HighLevel, AroFlo and Aimfox: every sync, the records it changed, and appointments."
      />
      <Card
        title="Over time"
        actions={
          <span className="inline-field">
            <label htmlFor={ids.d}>Show</label>
            <select
              id={ids.d}
              className="select select-compact"
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
            >
              {[7, 14, 30, 90].map((d) => (
                <option key={d} value={d}>
                  last {d} days
                </option>
              ))}
            </select>
          </span>
        }
      >
        <QueryView query={stats} loadingLabel="Loading charts…">
          {(data) => (
            <Suspense fallback={<LoadingState label="Loading charts…" />}>
              <ActivityCharts data={data} />
            </Suspense>
          )}
        </QueryView>
      </Card>
      <FilterBar label="Filter activity">
        <SearchBox wide label="Search activity" placeholder="Search activity" value={search} onChange={setSearch} />
        <FilterSelect label="System" value={system} options={SYSTEMS} onChange={setSystem} />
        <FilterSelect label="What" value={kind} options={WHAT} onChange={setKind} />
      </FilterBar>
      <QueryView
        query={list}
        loadingLabel="Loading activity…"
        isEmpty={(l) => l.length === 0}
        empty={
          anyFilter ? (
            <EmptyState title="Nothing matches these filters">Clear the search or choose other filters.</EmptyState>
          ) : (
            <EmptyState title="No activity yet" icon={<IconActivity />}>
              Each sync, and what it changed, will be listed here with the system it touched.
            </EmptyState>
          )
        }
      >
        {(items) => (
          <Card>
            <Timeline key={JSON.stringify(filters) + (items[0]?.id ?? '')} first={items} filters={filters} />
          </Card>
        )}
      </QueryView>
    </>
  );
}
