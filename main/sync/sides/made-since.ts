/**
 * Finding an interrupted create of a record with no key of its own (a note: no email, phone or profile), README.md in
 * this folder, "Finding an interrupted create": the records on the same parent that hold exactly what was sent and
 * were made since the create went out (less a margin for the two clocks). Identical notes are interchangeable, so
 * they come back as `identical`: the engine links the first one no link holds and that it had not read before the
 * create went out; none left means the create was not made (main/sync/README.md, "Crash safety"). A note that was
 * already there, with the same text, is never taken for the one the create made.
 */
import type { CreateItem, CreateOutcomeUnknown, SideRecord } from '../engine/types.js';

/** How long before the outbox entry a record is still taken as possibly made by it (the target's clock may differ). */
export const NOTE_CLOCK_MARGIN_MS = 10 * 60_000;

const DAY_MS = 86_400_000;

/** The earliest time a record the create made can show: the entry's time less the margin (its UTC day for `day`). */
export function madeFrom(item: CreateItem, granularity: 'ms' | 'day' = 'ms'): number | undefined {
  if (item.sentAt === undefined) return undefined;
  const from = item.sentAt - NOTE_CLOCK_MARGIN_MS;
  return granularity === 'day' ? Math.floor(from / DAY_MS) * DAY_MS : from;
}

/**
 * Every value sent that the record reads back is what it holds now (at least one is read back). An empty value is not
 * written by a create, so what the record holds there is the target's own default, not evidence either way.
 */
export const holdsWhatWasSent = (r: SideRecord, sent: CreateItem['fields']): boolean => {
  const read = Object.entries(sent).filter(([k, v]) => v !== null && v !== '' && k in r.fields);
  return read.length > 0 && read.every(([k, v]) => r.fields[k] === v);
};

/**
 * Of `found` (the parent's records), those that may be what the create made, oldest first: they hold what was sent
 * (`holds`, by default every field sent as the record reads now) and were made since it went out (a record whose time
 * is not known is kept; the engine still sets aside one it read before). Undefined when there is none: it was not made.
 */
export function identicalSince(
  found: SideRecord[],
  item: CreateItem,
  opts: { granularity?: 'ms' | 'day'; holds?: (r: SideRecord) => boolean } = {},
): CreateOutcomeUnknown | undefined {
  const from = madeFrom(item, opts.granularity);
  const holds = opts.holds ?? ((r: SideRecord) => holdsWhatWasSent(r, item.fields));
  const same = found
    .filter(holds)
    .filter((r) => from === undefined || r.madeAt === null || r.madeAt === undefined || r.madeAt >= from)
    .sort((a, b) => (a.madeAt ?? 0) - (b.madeAt ?? 0));
  if (!same.length) return undefined;
  return {
    unknown: true,
    candidates: same,
    identical: same,
    reason: `${same.length === 1 ? 'a record' : `${same.length} records`} holding exactly what was sent, made since the create went out`,
  };
}
