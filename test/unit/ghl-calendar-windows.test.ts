/**
 * How a span of time is split into GET /calendars/events calls (main/connectors/ghl/README.md, "Calendars"): windows
 * of at most GHL_CALENDAR_EVENTS.windowMs that cover the span exactly, ends included, never overlapping — so an event
 * starting on a boundary is listed once.
 */
import { describe, expect, it } from 'vitest';
import { GHL_CALENDAR_EVENTS, eventWindows } from '../../main/connectors/ghl/index.js';

const DAY = 86_400_000;

describe('eventWindows', () => {
  it('covers [from, to] with adjacent windows no longer than the declared one', () => {
    const from = Date.UTC(2026, 0, 1);
    const to = from + 730 * DAY;
    const w = eventWindows(from, to);
    expect(w[0]!.startMs).toBe(from);
    expect(w.at(-1)!.endMs).toBe(to);
    for (let i = 0; i < w.length; i++) {
      expect(w[i]!.endMs - w[i]!.startMs + 1).toBeLessThanOrEqual(GHL_CALENDAR_EVENTS.windowMs);
      if (i) expect(w[i]!.startMs).toBe(w[i - 1]!.endMs + 1);
    }
    expect(w).toHaveLength(Math.ceil((730 * DAY + 1) / GHL_CALENDAR_EVENTS.windowMs));
  });

  it('a span shorter than one window is one call; a window size can be given', () => {
    expect(eventWindows(0, DAY)).toEqual([{ startMs: 0, endMs: DAY }]);
    expect(eventWindows(0, 10 * DAY - 1, 5 * DAY)).toEqual([
      { startMs: 0, endMs: 5 * DAY - 1 },
      { startMs: 5 * DAY, endMs: 10 * DAY - 1 },
    ]);
  });
});
