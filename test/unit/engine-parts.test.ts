import { describe, expect, it } from 'vitest';
import { formatSet, mergeRecord, parseSet, type MergeField } from '../../main/sync/engine/merge.js';
import {
  defaultMapping,
  mappingFingerprint,
  validateMapping,
  MappingError,
  entityConfig,
  mergeFields,
} from '../../main/sync/engine/mapping.js';
import { nextDelay } from '../../main/sync/engine/scheduler.js';
import { csvCell, localTimestamp, plainValue } from '../../main/sync/engine/audit-export.js';
import { checkGuard } from '../../main/sync/engine/guard.js';
import { Redactor } from '../../main/service/redact.js';

const scalar = (key: string, extra: Partial<MergeField> = {}): MergeField => ({
  key,
  direction: 'both',
  conflictDefault: 'ask',
  ...extra,
});

describe('three-way merge', () => {
  it('one-way fields never flow backwards, and a one-way winner settles a both-sides change', () => {
    const f = [scalar('body', { direction: 'to_other' })];
    const base = { ghl: { body: 'a' }, other: { body: 'a' } };
    expect(mergeRecord(f, base, { body: 'a' }, { body: 'b' })).toMatchObject({
      toGhl: {},
      toOther: {},
      baseOther: { body: 'b' },
    });
    expect(mergeRecord(f, base, { body: 'c' }, { body: 'b' })).toMatchObject({ toOther: { body: 'c' }, conflicts: [] });
  });

  it('a one-way field that already differs stays put until one side changes again', () => {
    const f = [scalar('body', { direction: 'to_other' })];
    const base = { ghl: { body: null }, other: { body: 'from AroFlo' } };
    expect(mergeRecord(f, base, { body: null }, { body: 'from AroFlo' })).toMatchObject({
      toGhl: {},
      toOther: {},
      conflicts: [],
    });
    expect(mergeRecord(f, base, { body: 'typed in GHL' }, { body: 'from AroFlo' }).toOther).toEqual({
      body: 'typed in GHL',
    });
  });

  it('a conflict default picks the preferred side instead of asking', () => {
    const base = { ghl: { x: '1' }, other: { x: '1' } };
    expect(mergeRecord([scalar('x', { conflictDefault: 'prefer_other' })], base, { x: '2' }, { x: '3' }).toGhl).toEqual(
      { x: '3' },
    );
    expect(mergeRecord([scalar('x', { conflictDefault: 'prefer_ghl' })], base, { x: '2' }, { x: '3' }).toOther).toEqual(
      { x: '2' },
    );
    expect(mergeRecord([scalar('x')], base, { x: '2' }, { x: '3' }).conflicts).toEqual([
      { field: 'x', base: '1', ghl: '2', other: '3' },
    ]);
  });

  it('sets merge element by element: adds and removes on both sides combine without conflicts', () => {
    const f: MergeField[] = [{ key: 'tags', direction: 'both', conflictDefault: 'ask', kind: 'set' }];
    const base = { ghl: { tags: formatSet(['a', 'b']) }, other: { tags: formatSet(['a', 'b']) } };
    const m = mergeRecord(f, base, { tags: formatSet(['a', 'b', 'c']) }, { tags: formatSet(['b']) });
    expect(parseSet(m.toGhl.tags)).toEqual(['b', 'c']);
    expect(parseSet(m.toOther.tags)).toEqual(['b', 'c']);
    expect(m.conflicts).toEqual([]);
  });

  it('a first link fills an empty side and asks only when both hold different values', () => {
    const f = [scalar('phone'), scalar('firstName')];
    const m = mergeRecord(
      f,
      undefined,
      { phone: null, firstName: 'Jo' },
      { phone: '+61400000000', firstName: 'Joanne' },
    );
    expect(m.toGhl).toEqual({ phone: '+61400000000' });
    expect(m.conflicts.map((c) => c.field)).toEqual(['firstName']);
  });
});

describe('mappings', () => {
  it('defaults validate, and the fingerprint changes exactly when behaviour changes', () => {
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      const m = defaultMapping(pair);
      expect(validateMapping(m).fingerprint).toBe(m.fingerprint);
      expect(mappingFingerprint({ ...m, syncEnabled: true, previewedFingerprint: 'x' })).toBe(m.fingerprint);
      const changed = { ...m, filters: { ...m.filters, ghlTags: ['vip'] } };
      expect(mappingFingerprint(changed)).not.toBe(m.fingerprint);
    }
  });

  it('bad input gets a clear error naming the field', () => {
    const m = defaultMapping('ghl-aroflo');
    const bad = structuredClone(m) as unknown as { entities: Array<{ fields: Array<{ direction: string }> }> };
    bad.entities[0]!.fields[0]!.direction = 'sideways';
    expect(() => validateMapping(bad)).toThrowError(MappingError);
    expect(() => validateMapping(bad)).toThrowError(/entities › 0 › fields › 0 › direction/);
    const blankTag = { ...m, filters: { ...m.filters, ghlTags: ['  '] } };
    expect(() => validateMapping(blankTag)).toThrowError(/empty value/);
    const dupField = structuredClone(m);
    dupField.entities[0]!.fields.push({ ...dupField.entities[0]!.fields[0]! });
    expect(() => validateMapping(dupField)).toThrowError(/appears twice/);
  });

  it('a field pair merges as a set because the catalogue types both fields as sets, whatever its key is called', () => {
    const lead = structuredClone(defaultMapping('ghl-aimfox').entities[0]!);
    lead.fields[0]!.key = 'topics';
    const cf = [{ id: 'cf1', name: 'Interests', dataType: 'MULTIPLE_OPTIONS', options: ['a', 'b'] }];
    lead.fields.push({ ...lead.fields[0]!, key: 'interests', ghlField: 'custom:cf1' });
    // A key named like a set that pairs one text with one choice is a plain value.
    lead.fields.push({ ...lead.fields[0]!, key: 'tags', ghlField: 'custom:cf2', transform: 'set_picklist' });
    expect(mergeFields(lead, 'ghl-aimfox', cf).map((f) => [f.key, f.kind])).toEqual([
      ['topics', 'set'],
      ['interests', 'set'],
      ['tags', 'scalar'],
    ]);
    const contact = structuredClone(defaultMapping('ghl-aroflo').entities[0]!);
    contact.fields[0]!.key = 'labels';
    expect(mergeFields(contact).find((f) => f.key === 'labels')!.kind).toBe('scalar');
  });

  it('a mapping whose every field flows one way creates records only in that direction', () => {
    const aimfox = defaultMapping('ghl-aimfox');
    expect(entityConfig(aimfox.entities[0]!).createTo).toEqual({ other: true, ghl: false });
  });
});

describe('scheduler delay', () => {
  it('adds ±10% jitter and backs off exponentially after failures, capped at an hour', () => {
    expect(nextDelay({ intervalMinutes: 5, failures: 0, random: () => 0.5 })).toBe(300_000);
    expect(nextDelay({ intervalMinutes: 5, failures: 0, random: () => 0 })).toBe(270_000);
    expect(nextDelay({ intervalMinutes: 5, failures: 0, random: () => 0.999999 })).toBeCloseTo(330_000, -2);
    expect(nextDelay({ intervalMinutes: 5, failures: 2, random: () => 0.5 })).toBe(1_200_000);
    expect(nextDelay({ intervalMinutes: 5, failures: 20, random: () => 0.5 })).toBe(3_600_000);
  });
});

describe('audit CSV cells', () => {
  it('quotes every cell, doubles quotes, and keeps commas and newlines inside the cell', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('""');
  });

  it('shows formula-looking values as text: = + - @, after leading whitespace, full-width, tab and CR (issue 12 item 6)', () => {
    for (const v of [
      '=HYPERLINK("x")',
      '+61 400 000 000',
      '-2+3',
      '@SUM(A1)',
      '  =1+1',
      '\u3000=1',
      '＝1+1',
      '＋1',
      '－1',
      '＠x',
      '\tcmd',
      '\rcmd',
    ]) {
      expect(csvCell(v).startsWith(`"'`), v).toBe(true);
    }
    expect(csvCell('Ballarat')).toBe('"Ballarat"');
    expect(csvCell('a=b')).toBe('"a=b"');
  });

  it('reads stored values plainly: lists joined, never a JSON blob', () => {
    expect(plainValue('["vip","north"]')).toBe('vip, north');
    expect(plainValue('Mia')).toBe('Mia');
    expect(plainValue(null)).toBe('');
    expect(plainValue('{"city":"Ballarat","state":null}')).toBe('city: Ballarat');
  });

  it('times carry the local offset', () => {
    expect(localTimestamp(Date.UTC(2026, 11, 4, 3, 5, 12))).toMatch(/^2026-12-0[34] \d\d:\d\d:12 [+-]\d\d:\d\d$/);
  });
});

describe('guard', () => {
  it('percentages only count once enough records are linked; counts always count', () => {
    const plan = (deletes: number, linked: number) => ({
      pair: 'ghl-aroflo' as const,
      entity: 'contact' as const,
      linkedBefore: linked,
      ops: Array.from({ length: deletes }, () => ({ op: 'delete' }) as never),
    });
    const g = { maxDeletes: 10, maxDeletePercent: 10, maxChanges: 100, maxChangePercent: 50 };
    expect(checkGuard([plan(3, 5)], g).tripped).toBe(false);
    expect(checkGuard([plan(3, 20)], g).tripped).toBe(true);
    expect(checkGuard([plan(11, 1000)], g).tripped).toBe(true);
    expect(checkGuard([plan(2, 1000)], g).tripped).toBe(false);
  });
});

describe('redaction', () => {
  it('masks registered secret values, secret-looking keys and bearer/HMAC headers anywhere', () => {
    const r = new Redactor();
    r.add('pit-abcdef123456');
    expect(r.text('calling with pit-abcdef123456 now')).toBe('calling with [redacted] now');
    expect(r.text('Authorization: Bearer eyJhbGciOi.abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(r.text('Authentication: HMAC 9a25a8dd6845a986')).toBe('Authentication: HMAC [redacted]');
    expect(r.text('GET /cb?code=abc123&state=x')).toBe('GET /cb?code=[redacted]&state=x');
    expect(r.value({ refresh_token: 'zzz', nested: { clientSecret: 'shh', ok: 'fine' } })).toEqual({
      refresh_token: '[redacted]',
      nested: { clientSecret: '[redacted]', ok: 'fine' },
    });
  });
});
