/**
 * The appointment note's text and the setting's upgrade path (main/sync/README.md, "Appointments to notes").
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appointmentNoteText } from '../../main/sync/rules/appointment-notes.js';
import { defaultMapping, mappingFingerprint } from '../../main/sync/engine/mapping.js';
import type { GhlAppointment } from '../../main/connectors/ghl/index.js';

const appt = (over: Partial<GhlAppointment> = {}): GhlAppointment => ({
  id: 'ev1',
  contactId: 'c1',
  calendarId: null,
  title: 'Site inspection',
  status: 'booked',
  appointmentStatus: 'confirmed',
  assignedUserId: null,
  notes: null,
  address: null,
  startTime: '2026-12-11 23:30:00',
  endTime: '2026-12-12 00:30:00',
  dateAdded: null,
  dateUpdated: null,
  ...over,
});

describe('appointment note text', () => {
  it("reads HighLevel's zone-less times in the location's zone and shows them in the business's zone", () => {
    const melb = appointmentNoteText(appt(), { location: 'Australia/Melbourne', display: 'Australia/Melbourne' });
    expect(melb).toContain('When: Fri, 11 Dec 2026, 23:30 – Sat, 12 Dec 2026, 00:30 (Australia/Melbourne)');
    // The same instant in Perth (3 hours behind in December) falls within one day.
    const perth = appointmentNoteText(appt(), { location: 'Australia/Melbourne', display: 'Australia/Perth' });
    expect(perth).toContain('When: Fri, 11 Dec 2026, 20:30 – 21:30 (Australia/Perth)');
  });

  it('names the status, the appointment id and that edits are not copied back', () => {
    const t = appointmentNoteText(appt({ appointmentStatus: 'noshow', title: null }), {
      location: 'UTC',
      display: 'UTC',
    });
    expect(t).toMatch(/^Appointment: Untitled appointment\n/);
    expect(t).toContain('Status: no-show');
    expect(t).toContain('HighLevel appointment ev1.');
    expect(t).toContain('edits made to this note are not copied back');
  });
});

describe('the appointmentNotes setting', () => {
  it('a stored mapping without it keeps its fingerprint (no new preview on upgrade); a new one has it on, and switching it is a mapping change', () => {
    const m = defaultMapping('ghl-aroflo');
    expect(m.appointmentNotes).toEqual({ enabled: true });
    const stored = structuredClone(m);
    delete stored.appointmentNotes;
    const { pair, entities, filters, defaults, noteToTask } = stored;
    const before = createHash('sha256')
      .update(JSON.stringify({ pair, entities, filters, defaults, noteToTask }))
      .digest('hex')
      .slice(0, 16);
    expect(mappingFingerprint(stored)).toBe(before);
    expect(mappingFingerprint(m)).not.toBe(before);
  });
});
