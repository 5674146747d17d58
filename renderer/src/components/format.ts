/** How times, durations and counts read in the window. */
import type { Counts } from '../../../preload/contract.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const logTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatDateTime(ms: number | undefined): string {
  return ms === undefined ? '—' : dateTime.format(new Date(ms));
}

/** "Nov 23, 7:09 PM": for tables with many columns. */
export function formatShortDateTime(ms: number | undefined): string {
  return ms === undefined ? '—' : shortDateTime.format(new Date(ms));
}

/** "Nov 23, 19:09:41": short, to the second, for log lines. */
export function formatLogTime(ms: number): string {
  return logTime.format(new Date(ms));
}

/** "just now", "5 minutes ago", "in 3 minutes", else the date. */
export function formatRelative(ms: number | undefined, now: number = Date.now()): string {
  if (ms === undefined) return '—';
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return diff > 0 ? 'in a moment' : 'just now';
  const minutes = Math.round(abs / 60_000);
  if (minutes < 60) return diff > 0 ? `in ${minutes} min` : `${minutes} min ago`;
  const hours = Math.round(abs / 3_600_000);
  if (hours < 24) return diff > 0 ? `in ${hours} h` : `${hours} h ago`;
  return formatDateTime(ms);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function countTotal(c: Counts | undefined): number {
  return Object.values(c ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
