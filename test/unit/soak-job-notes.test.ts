/** The soak's check of the notes the bridge leaves on AroFlo jobs: a change noted twice in a row is a duplicate. */
import { describe, expect, it } from 'vitest';
import { checkJobNotes } from '../soak/harness/invariants.js';
import type { Snapshot } from '../soak/harness/snapshot.js';

function withJobNotes(notes: string[]): Snapshot {
  const job = { id: 'T1', parent: 'client:C1', live: true, fields: {}, notes };
  return {
    ghl: { contacts: new Map(), tasks: new Map(), notes: new Map() },
    aroflo: { people: new Map(), tasks: new Map([['T1', job]]), notes: new Map() },
    aimfox: { leads: new Map(), notes: new Map() },
  };
}

describe('soak: notes the bridge leaves on a job', () => {
  it('flags the same change noted twice in a row', () => {
    const f = checkJobNotes(
      withJobNotes([
        'Due date changed in HighLevel to 2031-05-06 — update it',
        'Customer called',
        'Due date changed in HighLevel to 2031-05-06 — update it',
      ]),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('AroFlo job T1');
  });

  it('accepts a field changed back and forth, and different kinds of change', () => {
    expect(
      checkJobNotes(
        withJobNotes([
          'Due date changed in HighLevel to A',
          'Due date changed in HighLevel to B',
          'Due date changed in HighLevel to A',
          'Title changed in HighLevel to: A',
        ]),
      ),
    ).toEqual([]);
  });
});
