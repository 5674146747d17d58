import { describe, expect, it } from 'vitest';
import { compileWhere, parseWhere, WhereError, type FieldDef } from '../../main/sandbox/aroflo/where.js';
import { parseWhereDate, SiteZone, UTC_ZONE } from '../../main/sandbox/aroflo/time.js';

type Rec = { id: string; name: string; n: number; done: boolean; at: number };
const fields: Record<string, FieldDef<Rec>> = {
  id: { type: 'id', get: (r) => r.id },
  name: { type: 'string', get: (r) => r.name },
  n: { type: 'number', get: (r) => r.n },
  done: { type: 'bool', get: (r) => r.done },
  atutc: { type: 'date', utc: true, get: (r) => r.at, index: 'at' },
  atdatetimeutc: { type: 'datetime', utc: true, get: (r) => r.at, index: 'at' },
};
const MEL = new SiteZone('Australia/Melbourne');
const rows: Rec[] = [
  { id: 'A+/=', name: 'Alpha', n: 1, done: false, at: Date.parse('2026-01-01T10:00:00Z') },
  { id: 'B', name: 'Beta|Pipe', n: 2, done: true, at: Date.parse('2026-01-02T10:00:00.900Z') },
  { id: 'C', name: 'Gamma', n: 3, done: true, at: Date.parse('2026-01-03T00:00:00Z') },
];
const run = (...clauses: string[]) => {
  const c = compileWhere(parseWhere(clauses)!, fields, MEL, 'test', 'id');
  return rows.filter(c.test).map((r) => r.id);
};

describe('AroFlo sandbox where parser and evaluator', () => {
  it('AND binds tighter than OR; parentheses group', () => {
    expect(run('and|name|=|alpha', 'or|name|=|beta|pipe', 'and|n|>|2')).toEqual(['A+/=']);
    expect(run('and|(|name|=|alpha', 'or|name|=|gamma|)', 'and|n|>|2')).toEqual(['C']);
  });

  it('keeps | inside a value, splits IN lists on *, matches ids exactly', () => {
    expect(run('and|name|=|Beta|Pipe')).toEqual(['B']);
    expect(run('and|id|IN|A+/=*C')).toEqual(['A+/=', 'C']);
    expect(run('and|id|NOT IN|A+/=*C')).toEqual(['B']);
    expect(run('and|id|=|a+/=')).toEqual([]);
  });

  it('compares dates by day and date-times by second', () => {
    expect(run('and|atutc|=|2026/01/02')).toEqual(['B']);
    expect(run('and|atutc|>|2026-01-01')).toEqual(['B', 'C']);
    expect(run('and|atdatetimeutc|=|2026-01-02 10:00:00')).toEqual(['B']); // .900 is the same second
    expect(run('and|atdatetimeutc|>|2026-01-02 10:00:00')).toEqual(['C']);
    expect(run('and|done|=|TRUE', 'and|n|!=|3')).toEqual(['B']);
  });

  it('plans an index look-up only for AND-only wheres', () => {
    expect(compileWhere(parseWhere(['and|id|=|B'])!, fields, MEL, 't', 'id').plan).toEqual({ kind: 'id', ids: ['B'] });
    expect(
      compileWhere(parseWhere(['and|atdatetimeutc|>|2026-01-02 10:00:00', 'and|n|>|0'])!, fields, MEL, 't', 'id').plan,
    ).toMatchObject({ kind: 'range', from: Date.parse('2026-01-02T10:00:01Z') });
    expect(compileWhere(parseWhere(['and|id|=|B', 'or|id|=|C'])!, fields, MEL, 't', 'id').plan).toBeUndefined();
  });

  it('rejects unknown fields and operators, wrong types, bad syntax', () => {
    for (const w of [
      ['and|nope|=|1'],
      ['and|n|~|1'],
      ['and|n|=|x'],
      ['and|done|=|maybe'],
      ['and|atutc|=|13/13/2026'],
      ['maybe|n|=|1'],
      ['and|(|n|=|1'],
      ['and|n|=|1|)'],
    ]) {
      expect(() => run(...w), w.join(' ')).toThrow(WhereError);
    }
  });
});

describe('AroFlo sandbox time helpers', () => {
  it('reads where dates in the field zone, Z forcing UTC', () => {
    expect(parseWhereDate('2026-11-02', MEL)!.ms).toBe(Date.parse('2026-11-01T13:00:00Z'));
    expect(parseWhereDate('2026/07/01 09:30', MEL)!.ms).toBe(Date.parse('2026-06-30T23:30:00Z'));
    expect(parseWhereDate('2026-07-01T09:30:00Z', MEL)!.ms).toBe(Date.parse('2026-07-01T09:30:00Z'));
    expect(parseWhereDate('2026-02-30', UTC_ZONE)).toBeUndefined();
  });

  it('finds Melbourne day boundaries across daylight saving', () => {
    expect(MEL.dayKey(Date.parse('2026-11-01T12:59:59Z'))).toBe('2026-11-01');
    expect(MEL.dayKey(Date.parse('2026-11-01T13:00:00Z'))).toBe('2026-11-02');
    expect(MEL.startOfDay('2026-04-06')).toBe(Date.parse('2026-04-05T14:00:00Z'));
    expect(MEL.startOfDay('2026-04-05')).toBe(Date.parse('2026-04-04T13:00:00Z'));
  });
});
