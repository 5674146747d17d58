/**
 * Each API's daily budget on Status: used today and projected for the day against the bridge's share, and — when it
 * runs low — what the sync does about it and when full sync resumes (the budget-day's reset). main/sync/README.md,
 * "Daily budget and the rolling re-read".
 */
import type { BudgetInfo } from '../../../../preload/contract.js';
import { Card } from '../../components/page.js';
import { formatDateTime, formatRelative } from '../../components/format.js';
import { hrefFor } from '../../routes.js';
import { IconChevron } from '../../components/icons.js';

const NAMES: Record<string, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

function stateWords(b: BudgetInfo, now: number): string {
  const resumes = `${formatDateTime(b.resetsAt)} (${formatRelative(b.resetsAt, now)})`;
  if (b.state === 'ok') return `Every record is re-checked within ${b.windowHours} h.`;
  if (b.state === 'shrunk')
    return `Running low: smaller re-reads${b.coverageHours ? ` (every record within about ${b.coverageHours} h)` : ''}. Full re-reads resume ${resumes}.`;
  if (b.state === 'paused') return `Low: re-reads are paused, changes are still synced. Full sync resumes ${resumes}.`;
  return `Used up: sync waits until the budget resets ${resumes}.`;
}

function BudgetRow({ b, now }: { b: BudgetInfo; now: number }) {
  const name = NAMES[b.system] ?? b.system;
  const pct = b.allowance > 0 ? Math.min(100, Math.round((b.usedToday / b.allowance) * 100)) : 0;
  return (
    <li className="connection-row budget-row" data-state={b.state}>
      <div>
        <span className="connection-name">{name}</span>
        <p className="connection-quota">
          {b.usedToday.toLocaleString()} used today · {b.projected.toLocaleString()} projected · of a{' '}
          {b.allowance.toLocaleString()} share ({b.sharePercent} % of {b.perDay.toLocaleString()} a day)
        </p>
        <div
          className="progress"
          role="meter"
          aria-label={`${name} budget used today`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <div className="progress-bar" style={{ width: `${pct}%` }} />
        </div>
        <p className={b.state === 'ok' ? 'connection-quota' : 'connection-message'}>{stateWords(b, now)}</p>
      </div>
    </li>
  );
}

export function DailyBudget({ budget, now }: { budget: BudgetInfo[] | undefined; now: number }) {
  if (!budget?.length) return null;
  return (
    <Card
      title="Daily budget"
      actions={
        <a className="link-button" href={hrefFor('settings')}>
          Shares <IconChevron />
        </a>
      }
    >
      <ul className="connection-list">
        {budget.map((b) => (
          <BudgetRow key={b.system} b={b} now={now} />
        ))}
      </ul>
    </Card>
  );
}
