/** Sync volume, conflicts and errors per day (recharts), with the same figures in words for screen readers. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import type { ActivityBucket } from '../../../../preload/contract.js';

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

function summary(data: ActivityBucket[], key: 'synced' | 'conflicts' | 'errors', what: string): string {
  const total = data.reduce((n, b) => n + b[key], 0);
  const busiest = data.reduce<ActivityBucket | undefined>(
    (best, b) => (!best || b[key] > best[key] ? b : best),
    undefined,
  );
  if (!total) return `No ${what} in the last ${data.length} days.`;
  return `${total.toLocaleString()} ${what} in the last ${data.length} days; the most on ${busiest ? dayLabel(busiest.day) : '—'} (${busiest?.[key].toLocaleString()}).`;
}

const axis = { fontSize: 12, fill: 'var(--muted)' };

export function ActivityCharts({ data }: { data: ActivityBucket[] }) {
  if (data.every((b) => !b.synced && !b.conflicts && !b.errors)) {
    return (
      <p className="muted chart-empty">
        Nothing synced in the last {data.length} days. The charts fill in as syncs run.
      </p>
    );
  }
  const rows = data.map((b) => ({ ...b, label: dayLabel(b.day) }));
  return (
    <div className="charts">
      <DayChart title="Records changed per day" summary={summary(data, 'synced', 'records changed')} rows={rows}>
        <Bar
          dataKey="synced"
          name="Records changed"
          fill="var(--accent)"
          radius={[3, 3, 0, 0]}
          isAnimationActive={false}
        />
      </DayChart>
      <DayChart
        title="Conflicts and errors per day"
        summary={`${summary(data, 'conflicts', 'conflicts')} ${summary(data, 'errors', 'errors')}`}
        rows={rows}
      >
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="conflicts" name="Conflicts" fill="var(--warn)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Bar dataKey="errors" name="Errors" fill="var(--bad)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </DayChart>
    </div>
  );
}

/** One chart of figures per day: the grid, axes and tooltip both charts share, around its bars (and legend). */
function DayChart({
  title,
  summary,
  rows,
  children,
}: {
  title: string;
  /** The figures in words, for screen readers. */
  summary: string;
  rows: Array<ActivityBucket & { label: string }>;
  children: ReactNode;
}) {
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div className="chart-box" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="label"
              tick={axis}
              tickLine={false}
              axisLine={{ stroke: 'var(--border)' }}
              interval="preserveStartEnd"
            />
            <YAxis allowDecimals={false} tick={axis} tickLine={false} axisLine={false} />
            <Tooltip
              cursor={{ fill: 'var(--surface-2)' }}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 6 }}
            />
            {children}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
