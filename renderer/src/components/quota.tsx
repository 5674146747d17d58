/** A system's request allowance: how much is left in each window, as a bar and in words. */
import type { QuotaInfo } from '../../../preload/contract.js';
import { formatRelative } from './format.js';

const WINDOW: Record<string, string> = { daily: 'today', 'per minute': 'this minute' };

export function quotaWords(q: QuotaInfo): string {
  const when = WINDOW[q.window];
  const what = when ? `requests left ${when}` : `${q.window} requests left`;
  return `${q.remaining.toLocaleString()} of ${q.limit.toLocaleString()} ${what}`;
}

export function Quota({ q, now }: { q: QuotaInfo; now: number }) {
  const pctLeft = q.limit > 0 ? Math.max(0, Math.min(100, Math.round((q.remaining / q.limit) * 100))) : 0;
  const low = pctLeft < 15;
  return (
    <div className="quota">
      <div className="quota-head">
        <span>{quotaWords(q)}</span>
        {q.resetsAt && Number.isFinite(q.resetsAt) ? <span className="muted">resets {formatRelative(q.resetsAt, now)}</span> : null}
      </div>
      <div className="progress" role="progressbar" aria-label={`${q.window} requests left`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pctLeft} aria-valuetext={`${pctLeft}% left`}>
        <div className={`progress-bar${low ? ' progress-bar-warn' : ''}`} style={{ width: `${pctLeft}%` }} />
      </div>
    </div>
  );
}
