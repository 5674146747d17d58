/**
 * Changes per day, stacked by system and by who made them (a person in that system, or GHL Bridge writing there), in
 * plain SVG: no chart library on the window's first screen. Each bar has a title; the legend carries the totals in
 * words for screen readers and for a quick read.
 */
import type { ChangeDay, ChangeWho, SystemId } from '../../../../preload/contract.js';
import { systemLabel } from '../../labels.js';

const SYSTEMS: SystemId[] = ['ghl', 'aroflo', 'aimfox'];
const WHO: ChangeWho[] = ['person', 'bridge'];

export const seriesLabel = (system: SystemId, who: ChangeWho): string =>
  who === 'person' ? `A person in ${systemLabel(system)}` : `GHL Bridge, writing to ${systemLabel(system)}`;

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function ChangesChart({ data, days: dayList }: { data: ChangeDay[]; days: string[] }) {
  const days = dayList.length;
  const at = new Map(data.map((d) => [`${d.day}|${d.system}|${d.who}`, d.count]));
  const series = SYSTEMS.flatMap((system) => WHO.map((who) => ({ system, who })));
  const totals = series.map((s) =>
    data.filter((d) => d.system === s.system && d.who === s.who).reduce((n, d) => n + d.count, 0),
  );
  const perDay = dayList.map((day) => series.reduce((n, s) => n + (at.get(`${day}|${s.system}|${s.who}`) ?? 0), 0));
  const max = Math.max(1, ...perDay);
  const all = perDay.reduce((a, b) => a + b, 0);
  const W = 640;
  const H = 180;
  const top = 8;
  const bottom = 22;
  const slot = W / days;
  const bar = Math.max(2, Math.min(28, slot * 0.7));
  const scale = (n: number) => (n / max) * (H - top - bottom);
  if (!all)
    return (
      <p className="muted chart-empty">
        No changes in the last {days} days. Each change a person makes in a system, and each the bridge writes, is
        counted here after the next sync.
      </p>
    );
  return (
    <figure className="dash-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="dash-chart-svg"
        role="img"
        aria-label={`${all.toLocaleString()} changes in the last ${days} days`}
      >
        <line x1={0} x2={W} y1={H - bottom} y2={H - bottom} className="dash-axis" />
        {dayList.map((day, i) => {
          let y = H - bottom;
          const x = i * slot + (slot - bar) / 2;
          return (
            <g key={day}>
              {series.map((s) => {
                const n = at.get(`${day}|${s.system}|${s.who}`) ?? 0;
                if (!n) return null;
                const h = Math.max(1, scale(n));
                y -= h;
                return (
                  <rect
                    key={`${s.system}-${s.who}`}
                    x={x}
                    y={y}
                    width={bar}
                    height={h}
                    className={`dash-bar sys-${s.system} who-${s.who}`}
                  >
                    <title>{`${dayLabel(day)}: ${n.toLocaleString()} by ${seriesLabel(s.system, s.who).replace(/^A /, 'a ')}`}</title>
                  </rect>
                );
              })}
              {i === 0 || i === days - 1 || (days <= 14 && i % 2 === 0) || (days > 14 && i % 7 === 0) ? (
                <text x={i * slot + slot / 2} y={H - 6} className="dash-tick" textAnchor="middle">
                  {dayLabel(day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="dash-legend" aria-label="Changes by who made them">
          {series.map((s, i) => (
            <li key={`${s.system}-${s.who}`} data-series={`${s.system}:${s.who}`}>
              <svg width="12" height="12" aria-hidden="true" focusable="false">
                <rect width="12" height="12" className={`dash-bar sys-${s.system} who-${s.who}`} />
              </svg>
              <span>{seriesLabel(s.system, s.who)}</span>
              <span className="dash-legend-count">{totals[i]!.toLocaleString()}</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
