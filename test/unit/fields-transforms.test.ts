/**
 * Every transform of main/sync/fields/transforms, both ways (main/sync/fields/README.md "Transforms"), and the rule
 * that 'none' and the default transforms give exactly the canonical values the bridge stored before the catalogue
 * (main/sync/sides/normalize.ts), so stored bases stay valid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldMapping, TransformId } from '../../preload/contract.js';
import { formatSet } from '../../main/sync/engine/merge.js';
import { bool, day, email, noteText, phone, text } from '../../main/sync/sides/normalize.js';
import { resolveField } from '../../main/sync/fields/catalogue.js';
import { TRANSFORMS } from '../../main/sync/fields/transforms/index.js';
import type { FieldDef, PairSide, TransformEnv } from '../../main/sync/fields/types.js';

const SYDNEY: TransformEnv = {
  country: 'AU',
  timeZone: 'Australia/Sydney',
  customFields: [
    { id: 'cfSite', name: 'Site address', dataType: 'LARGE_TEXT' },
    { id: 'cfFull', name: 'Full name', dataType: 'TEXT' },
    { id: 'cfKind', name: 'Kind', dataType: 'SINGLE_OPTIONS', options: ['Home', 'Office'] },
  ],
};
const fm = (transform: TransformId, extra: Partial<FieldMapping> = {}): FieldMapping => ({
  key: 'k',
  label: 'Field',
  ghlField: '',
  otherField: '',
  direction: 'both',
  transform,
  conflictDefault: 'ask',
  ...extra,
});
const ghl = (entity: 'contact' | 'task' | 'note' | 'lead', ref: string): FieldDef =>
  resolveField('ghl', entity, ref, SYDNEY)!;
const aro = (entity: 'contact' | 'task' | 'note', ref: string): FieldDef =>
  resolveField('aroflo', entity, ref, SYDNEY)!;

/** toCanon on one side of a pair (the partner is the other side's field). */
function read(id: TransformId, side: PairSide, def: FieldDef, partner: FieldDef, v: unknown, m = fm(id), env = SYDNEY) {
  return TRANSFORMS[id].toCanon(v, side, def, m, env, partner);
}
function write(
  id: TransformId,
  side: PairSide,
  def: FieldDef,
  partner: FieldDef,
  c: string | null,
  m = fm(id),
  env = SYDNEY,
) {
  return TRANSFORMS[id].fromCanon(c, side, def, m, env, partner);
}

/** Text people type: spaces around, Windows line ends, combining accents, upper case, markup-looking text. */
const typed = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '  Jo ',
    'Zoë',
    'Zoe\u0308',
    'A\r\nB',
    'R&D <urgent>',
    '<p>Hi <b>there</b></p>',
    '',
    '   ',
    'JO@Example.COM ',
  ),
);

describe("'none' and the default transforms keep today's canonical values", () => {
  it('names (trim), email (lower case), phone (E.164 in AU): as the contact sides have always read them', () => {
    fc.assert(
      fc.property(typed, (v) => {
        expect(read('trim', 'ghl', ghl('contact', 'firstName'), aro('contact', 'firstname'), v).value).toBe(text(v));
        expect(read('trim', 'other', aro('contact', 'surname'), ghl('contact', 'lastName'), v).value).toBe(text(v));
        expect(read('lowercase', 'ghl', ghl('contact', 'email'), aro('contact', 'email'), v).value).toBe(email(v));
        expect(read('none', 'ghl', ghl('contact', 'email'), aro('contact', 'email'), v).value).toBe(email(v));
      }),
    );
    for (const v of ['0412 345 678', '+61 2 9876 5432', '(02) 9876 5432', '12', 'call reception', null]) {
      const r = read('phone_e164', 'other', aro('contact', 'mobile'), ghl('contact', 'phone'), v);
      expect(r.value).toBe(phone(v) ?? text(v));
      expect(read('none', 'ghl', ghl('contact', 'phone'), aro('contact', 'mobile'), v).value).toBe(phone(v));
    }
  });

  it('tasks: title text, due date the UTC day, description note text, completed yes/no — on both sides', () => {
    fc.assert(
      fc.property(
        typed,
        fc.oneof(
          fc.constantFrom('2026-12-04T23:30:00.000Z', '2026/12/05', '2026-12-05', null, ''),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        (v, due) => {
          expect(read('none', 'ghl', ghl('task', 'title'), aro('task', 'taskname'), v).value).toBe(text(v));
          expect(read('none', 'other', aro('task', 'taskname'), ghl('task', 'title'), v).value).toBe(text(v));
          expect(read('none', 'ghl', ghl('task', 'body'), aro('task', 'description'), v).value).toBe(noteText(v));
          expect(read('none', 'other', aro('task', 'description'), ghl('task', 'body'), v).value).toBe(noteText(v));
          expect(read('none', 'ghl', ghl('task', 'dueDate'), aro('task', 'duedate'), due).value).toBe(day(due));
          expect(read('none', 'other', aro('task', 'duedate'), ghl('task', 'dueDate'), due).value).toBe(day(due));
        },
      ),
    );
    const map = fm('status_map', { valueMap: { true: 'Completed', false: 'Not Started' } });
    for (const done of [true, false])
      expect(read('status_map', 'ghl', ghl('task', 'completed'), aro('task', 'status'), done, map).value).toBe(
        bool(done),
      );
    for (const s of ['completed', 'notstarted', 'inprogress', 'pending', 'quote', 'archived', 'other']) {
      expect(read('status_map', 'other', aro('task', 'status'), ghl('task', 'completed'), s, map).value).toBe(
        s === 'completed' ? 'true' : 'false',
      );
    }
  });

  it("notes: HighLevel's bodyText when it has one, else the body as text; AroFlo and Aimfox notes as text", () => {
    const note = ghl('note', 'body');
    fc.assert(
      fc.property(fc.option(typed), typed, (bodyText, body) => {
        const raw = {
          id: 'n',
          contactId: 'c',
          body,
          bodyText,
          userId: null,
          title: null,
          color: null,
          pinned: false,
          dateAdded: null,
        };
        const today = bodyText !== null && bodyText.trim() ? text(bodyText) : noteText(body);
        expect(read('none', 'ghl', note, aro('note', 'content'), note.read(raw)).value).toBe(today);
        expect(read('none', 'other', aro('note', 'content'), note, body).value).toBe(noteText(body));
      }),
    );
    const aimNote = resolveField('aimfox', 'note', 'text', SYDNEY)!;
    expect(read('none', 'other', aimNote, note, '<p>Call <b>back</b></p>').value).toBe(
      noteText('<p>Call <b>back</b></p>'),
    );
  });

  it('tags and labels: the sorted set, without the tag the bridge archives with', () => {
    const tags = ghl('lead', 'tags');
    const raw = { tags: ['b', 'archived-by-ghl-bridge', 'a', 'b'] };
    expect(
      read('none', 'ghl', tags, resolveField('aimfox', 'lead', 'labels', SYDNEY)!, tags.read(raw as never)).value,
    ).toBe(formatSet(['a', 'b']));
    expect(write('none', 'other', resolveField('aimfox', 'lead', 'labels', SYDNEY)!, tags, '["a","b"]')).toEqual([
      'a',
      'b',
    ]);
  });
});

describe('text transforms', () => {
  const first = ghl('contact', 'firstName');
  const name = aro('contact', 'firstname');
  it('trim, lower case and upper case read both sides the same way, and write the canonical value', () => {
    expect(read('trim', 'ghl', first, name, '  Mary Ann \r\n').value).toBe('Mary Ann');
    expect(read('lowercase', 'other', name, first, ' MARY ').value).toBe('mary');
    expect(read('uppercase', 'ghl', first, name, 'mary').value).toBe('MARY');
    expect(read('none', 'ghl', first, name, 'Mary').value).not.toBe(
      read('lowercase', 'ghl', first, name, 'Mary').value,
    );
    expect(write('lowercase', 'other', name, first, 'mary')).toBe('mary');
  });
  it("written text is cut to the field's length (AroFlo first names hold 50)", () => {
    expect(write('trim', 'other', name, first, 'x'.repeat(60))).toBe('x'.repeat(50));
  });
});

describe('phone_e164', () => {
  const ph = ghl('contact', 'phone');
  const mob = aro('contact', 'mobile');
  it("reads national numbers in the business's country", () => {
    expect(read('phone_e164', 'other', mob, ph, '0412 345 678').value).toBe('+61412345678');
    expect(
      read('phone_e164', 'other', mob, ph, '021 123 4567', fm('phone_e164'), { ...SYDNEY, country: 'NZ' }).value,
    ).toBe('+64211234567');
    expect(read('phone_e164', 'ghl', ph, mob, '+61412345678').value).toBe('+61412345678');
    expect(write('phone_e164', 'other', mob, ph, '+61412345678')).toBe('+61412345678');
  });
  it('keeps a number that does not parse as typed, with a warning, never blank', () => {
    const r = read('phone_e164', 'other', mob, ph, 'call reception');
    expect(r.value).toBe('call reception');
    expect(r.warning).toMatch(/not a number in AU/);
    const short = read('phone_e164', 'ghl', ph, mob, '12');
    expect(short).toMatchObject({ value: '12', warning: expect.stringContaining('12') });
  });
  it('reads a national number only when it is a real number of that country: an Australian mobile read in the US is kept as typed', () => {
    const us = { ...SYDNEY, country: 'US' as const };
    // '0491 570 156' has a possible length for a US number (+1 049 157 0156) but no US number starts with 0.
    const r = read('phone_e164', 'other', mob, ph, '0491 570 156', fm('phone_e164'), us);
    expect(r).toMatchObject({ value: '0491570156', warning: expect.stringContaining('not a number in US') });
    expect(read('phone_e164', 'other', mob, ph, '(201) 234-5678', fm('phone_e164'), us).value).toBe('+12012345678');
    // Written with its country code, a number stays what it says, wherever the business is.
    expect(read('phone_e164', 'ghl', ph, mob, '+61 491 570 156', fm('phone_e164'), us).value).toBe('+61491570156');
    // Under AU the stored values are unchanged, also for a number in AU's numbering plan no carrier holds yet (the
    // sandbox's 0446… mobiles): possible there, not "valid".
    expect(read('phone_e164', 'other', mob, ph, '0491 570 156').value).toBe('+61491570156');
    expect(read('phone_e164', 'other', mob, ph, '0446 084 031')).toEqual({ value: '+61446084031' });
    expect(
      read('phone_e164', 'other', mob, ph, '07700 900123', fm('phone_e164'), { ...SYDNEY, country: 'GB' }).value,
    ).toBe('+447700900123');
  });
});

describe('name_join and name_split', () => {
  const whole = ghl('contact', 'fullName');
  const fullCustom = ghl('contact', 'custom:cfFull');
  const parts = aro('contact', 'name');
  const oneText = aro('contact', 'clientname');
  it('name_join: HighLevel first + last ⇄ one full-name field', () => {
    expect(read('name_join', 'ghl', whole, oneText, { first: ' Mary  Ann ', last: 'Smith' }).value).toBe(
      'Mary Ann Smith',
    );
    expect(read('name_join', 'other', oneText, whole, 'Mary  Ann Smith ').value).toBe('Mary Ann Smith');
    expect(write('name_join', 'ghl', whole, oneText, 'Mary Ann Smith')).toEqual({ first: 'Mary Ann', last: 'Smith' });
    expect(write('name_join', 'other', oneText, whole, 'Mary Ann Smith')).toBe('Mary Ann Smith');
  });
  it('name_split: one HighLevel full-name field ⇄ the other side’s given names + surname', () => {
    expect(read('name_split', 'ghl', fullCustom, parts, 'Jo Bloggs').value).toBe('Jo Bloggs');
    expect(read('name_split', 'other', parts, fullCustom, { first: 'Jo', last: 'Bloggs' }).value).toBe('Jo Bloggs');
    expect(write('name_split', 'other', parts, fullCustom, 'Jo van Bloggs')).toEqual({
      first: 'Jo van',
      last: 'Bloggs',
    });
    expect(write('name_split', 'other', parts, fullCustom, 'Cher')).toEqual({ first: 'Cher', last: null });
  });
  it('is lossless: toCanon(fromCanon(c)) === c', () => {
    const canon = fc
      .array(fc.stringMatching(/^[A-Za-zÀ-ÿ'-]{1,12}$/), { minLength: 1, maxLength: 4 })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(canon, (c) => {
        expect(read('name_join', 'ghl', whole, oneText, write('name_join', 'ghl', whole, oneText, c)).value).toBe(c);
        expect(
          read('name_split', 'other', parts, fullCustom, write('name_split', 'other', parts, fullCustom, c)).value,
        ).toBe(c);
      }),
    );
  });
});

describe('status_map (the value map)', () => {
  const done = ghl('task', 'completed');
  const status = aro('task', 'status');
  const map = fm('status_map', { valueMap: { true: 'Completed', false: 'In Progress' } });
  it("writes AroFlo's status codes from the map's words", () => {
    expect(write('status_map', 'other', status, done, 'true', map)).toBe('completed');
    expect(write('status_map', 'other', status, done, 'false', map)).toBe('inprogress');
    expect(write('status_map', 'ghl', done, status, 'true', map)).toBe(true);
  });
  it('uses valueMapDefault for values the map does not name, both ways', () => {
    const kind = ghl('contact', 'custom:cfKind');
    const text1 = aro('contact', 'clientname');
    const m = fm('status_map', {
      valueMap: { Home: 'Residential', Office: 'Commercial' },
      valueMapDefault: { toGhl: 'Home', toOther: 'Other' },
    });
    expect(read('status_map', 'other', text1, kind, 'commercial', m).value).toBe('Office');
    expect(read('status_map', 'other', text1, kind, 'Strata', m).value).toBe('Home');
    expect(write('status_map', 'other', text1, kind, 'Office', m)).toBe('Commercial');
    expect(write('status_map', 'other', text1, kind, 'Shed', m)).toBe('Other');
    const noDefault = fm('status_map', { valueMap: { Home: 'Residential' } });
    expect(read('status_map', 'other', text1, kind, 'Strata', noDefault)).toMatchObject({
      value: 'Strata',
      warning: expect.stringContaining('not in the value map'),
    });
    expect(write('status_map', 'other', text1, kind, 'Shed', noDefault)).toBe('Shed');
  });
  it('is lossless for mapped values', () => {
    for (const c of ['true', 'false'])
      expect(
        read('status_map', 'other', status, done, write('status_map', 'other', status, done, c, map), map).value,
      ).toBe(c);
  });
});

describe('date and datetime in the business time zone', () => {
  const due = ghl('task', 'dueDate');
  const ddate = aro('task', 'duedate');
  it("'date': a HighLevel date-time is the day it falls on in Sydney, and a day is written as 09:00 there", () => {
    // 20:00 UTC on the 4th is 07:00 on the 5th in Sydney (UTC+11 in December).
    expect(read('date', 'ghl', due, ddate, '2026-12-04T20:00:00.000Z').value).toBe('2026-12-05');
    expect(read('none', 'ghl', due, ddate, '2026-12-04T20:00:00.000Z').value).toBe('2026-12-04');
    expect(read('date', 'other', ddate, due, '2026/12/05').value).toBe('2026-12-05');
    expect(write('date', 'ghl', due, ddate, '2026-12-05')).toBe('2026-12-04T22:00:00.000Z');
    // July: Sydney is UTC+10.
    expect(write('date', 'ghl', due, ddate, '2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
    expect(write('date', 'other', ddate, due, '2026-12-05')).toBe('2026-12-05');
    expect(read('date', 'other', ddate, due, 'soon')).toMatchObject({
      value: 'soon',
      warning: expect.stringContaining('not a date'),
    });
  });
  it("'date' is lossless: every day written into a date-time reads back as the same day, in any zone", () => {
    const days = fc
      .date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        days,
        fc.constantFrom('Australia/Sydney', 'Pacific/Auckland', 'America/New_York', 'UTC', 'Asia/Kolkata'),
        (c, timeZone) => {
          const env = { ...SYDNEY, timeZone };
          expect(
            read('date', 'ghl', due, ddate, write('date', 'ghl', due, ddate, c, fm('date'), env), fm('date'), env)
              .value,
          ).toBe(c);
        },
      ),
    );
  });
  it("'datetime': a zone-less local time is read in the business's zone; written to text as the local time", () => {
    const dt = { ...due, type: 'datetime' as const };
    const txt = aro('contact', 'clientname');
    expect(read('datetime', 'other', txt, dt, '2026-12-05T09:30:00').value).toBe('2026-12-04T22:30:00.000Z');
    expect(read('datetime', 'other', txt, dt, '2026-07-01 09:00').value).toBe('2026-06-30T23:00:00.000Z');
    expect(read('datetime', 'ghl', dt, txt, '2026-12-04T22:30:00Z').value).toBe('2026-12-04T22:30:00.000Z');
    expect(write('datetime', 'other', txt, dt, '2026-12-04T22:30:00.000Z')).toBe('2026-12-05T09:30:00');
    expect(write('datetime', 'ghl', dt, txt, '2026-12-04T22:30:00.000Z')).toBe('2026-12-04T22:30:00.000Z');
    expect(read('datetime', 'other', txt, dt, 'after lunch')).toMatchObject({
      value: 'after lunch',
      warning: expect.any(String),
    });
    const instants = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2080-01-01'), noInvalidDate: true })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString());
    fc.assert(
      fc.property(instants, (c) => {
        expect(read('datetime', 'other', txt, dt, write('datetime', 'other', txt, dt, c)).value).toBe(c);
      }),
    );
  });
});

describe('address_join and address_split', () => {
  const parts = ghl('contact', 'address');
  const site = ghl('contact', 'custom:cfSite');
  const street = aro('contact', 'address');
  const oneText = aro('contact', 'clientname');
  const a = { line1: '1 Main St', line2: null, city: 'Surry Hills', state: 'NSW', postcode: '2010', country: 'AU' };
  it('address_join: HighLevel address parts ⇄ one text on the other side', () => {
    expect(read('address_join', 'ghl', parts, oneText, a).value).toBe('1 Main St\nSurry Hills, NSW, 2010\nAU');
    expect(write('address_join', 'ghl', parts, oneText, '1 Main St\nSurry Hills, NSW, 2010\nAU')).toEqual(a);
    expect(write('address_join', 'other', oneText, parts, '1 Main St\nSurry Hills, NSW, 2010')).toBe(
      '1 Main St\nSurry Hills, NSW, 2010',
    );
  });
  it('address_split: a HighLevel "Site address" text ⇄ AroFlo street address parts', () => {
    // The street is one line ("line 1, line 2", as HighLevel holds it) and the country its code.
    expect(read('address_split', 'ghl', site, street, ' 1 Main St \n Unit 4 \nSurry Hills, NSW, 2010').value).toBe(
      '1 Main St, Unit 4\nSurry Hills, NSW, 2010',
    );
    expect(write('address_split', 'other', street, site, '1 Main St, Unit 4\nSurry Hills, NSW, 2010')).toEqual({
      ...a,
      line1: '1 Main St, Unit 4',
      country: null,
    });
    expect(
      read('address_split', 'other', street, site, { ...a, line1: '1 Main St, Unit 4', country: 'Australia' }).value,
    ).toBe('1 Main St, Unit 4\nSurry Hills, NSW, 2010\nAU');
    const many = read('address_split', 'ghl', site, street, 'a\nb\nc\nd\ne');
    expect(many.warning).toMatch(/more lines/);
  });
  it('is lossless: toCanon(fromCanon(c)) === c for every canonical address', () => {
    const part = fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ]{0,10}[A-Za-z0-9]$/), { nil: null });
    // A country is a name or a code: letters only (a last line with a digit is read as the locality).
    const country = fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}[A-Za-z]$/), { nil: null });
    fc.assert(
      fc.property(part, part, part, part, part, country, (line1, line2, city, state, postcode, country) => {
        const c = read('address_join', 'ghl', parts, oneText, { line1, line2, city, state, postcode, country }).value;
        expect(
          read('address_split', 'other', street, site, write('address_split', 'other', street, site, c)).value,
        ).toBe(c);
        expect(read('address_join', 'ghl', parts, oneText, write('address_join', 'ghl', parts, oneText, c)).value).toBe(
          c,
        );
      }),
    );
  });
});

describe('set_picklist', () => {
  const tags = ghl('contact', 'tags');
  const kind = ghl('contact', 'custom:cfKind');
  const txt = aro('contact', 'clientname');
  it('a set with one element ⇄ a picklist value; more than one keeps the first, with a warning', () => {
    expect(read('set_picklist', 'ghl', tags, txt, ['vip']).value).toBe('vip');
    expect(read('set_picklist', 'ghl', tags, txt, [])).toEqual({ value: null });
    const two = read('set_picklist', 'ghl', tags, txt, ['vip', 'gold']);
    expect(two).toMatchObject({ value: 'gold', warning: expect.stringContaining('"gold" was kept') });
    expect(write('set_picklist', 'ghl', tags, txt, 'vip')).toEqual(['vip']);
    expect(write('set_picklist', 'other', txt, tags, 'vip')).toBe('vip');
    expect(read('set_picklist', 'other', txt, kind, ' Home ').value).toBe('Home');
  });
  it('is lossless for one value', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\S(.{0,20}\S)?$/), (c) => {
        expect(read('set_picklist', 'ghl', tags, txt, write('set_picklist', 'ghl', tags, txt, c)).value).toBe(c);
      }),
    );
  });
});

it('every TransformId of the contract has a transform with a label and accepted types', () => {
  const ids: TransformId[] = [
    'none',
    'trim',
    'lowercase',
    'uppercase',
    'phone_e164',
    'name_join',
    'name_split',
    'status_map',
    'date',
    'datetime',
    'address_join',
    'address_split',
    'set_picklist',
  ];
  for (const id of ids)
    expect(TRANSFORMS[id]).toMatchObject({
      id,
      label: expect.any(String),
      accepts: expect.arrayContaining([expect.any(Array)]),
    });
});
