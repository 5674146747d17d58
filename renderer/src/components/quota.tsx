/** A system's request allowance: how much is left in each window, as a bar and in words. */
import type { QuotaInfo } from '../../../preload/contract.js';
import { formatRelative } from './format.js';

/** "182,000 of 200,000 requests left today"; "20,000 of 20,000 single-record reads left today". */
export function quotaWords(q: QuotaInfo): string {
  const n = `${q.remaining.toLocaleString()} of ${q.limit.toLocaleString()}`;
  if (q.window === 'daily') return `${n} requests left today`;
  if (q.window === 'per minute') return `${n} requests left this minute`;
  const daily = /^daily (.+)$/.exec(q.window);
  if (daily) return `${n} ${daily[1]} left today`;
  return `${n} requests left (${q.window})`;
}

export function Quota({ q, now }: { q: QuotaInfo; now: number }) {
  const pctLeft = q.limit > 0 ? Math.max(0, Math.min(100, Math.round((q.remaining / q.limit) * 100))) : 0;
  const low = pctLeft < 15;
  return (
    <div className="quota">
      <div className="quota-head">
        <span>{quotaWords(q)}</span>
        {q.resetsAt && Number.isFinite(q.resetsAt) ? (
          <span className="muted">resets {formatRelative(q.resetsAt, now)}</span>
        ) : null}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${q.window} requests left`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pctLeft}
        aria-valuetext={`${pctLeft}% left`}
      >
        <div className={`progress-bar${low ? ' progress-bar-warn' : ''}`} style={{ width: `${pctLeft}%` }} />
      </div>
    </div>
  );
}
