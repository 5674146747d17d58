/**
 * Bad API answers, fuzzed: for each connector, one record inside an otherwise valid listing gets a wrong type, a
 * missing field, a huge string, odd unicode, an invalid email or phone, or a bad date (served by a loopback proxy in
 * front of the sandbox). Whatever the record looks like, the sync run goes on: it does not fail or crash, it deletes
 * nothing, a record it cannot read is set aside in quarantine (and shown under "needs attention") with a reason, and
 * the rest of the run still syncs — a person created in each system meanwhile reaches the other.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArrays } from './proxy.js';
import { startProxiedBed, type ProxiedBed, type Sys } from './proxied-bed.js';

const ID_KEYS: Record<Sys, string[]> = {
  ghl: ['id'],
  aroflo: ['clientid', 'taskid', 'userid', 'noteid'],
  aimfox: ['id'],
};
/** The listings a full run reads, per system. */
const LISTINGS: Record<Sys, RegExp> = {
  ghl: /\/contacts\/search|\/contacts\/[^/?]+\/(tasks|notes)(\?|$)/,
  aroflo: /zone=(clients|tasks|contacts|notes|clientnotes)/i,
  aimfox: /\/leads:search|\/leads\/[^/?]+\/notes/,
};

const HUGE = 'x'.repeat(200_000);
/** A value that does not belong: `undefined` removes the field. */
const badValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double({ min: -1e15, max: 1e15 }),
  fc.boolean(),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
  fc.constant(HUGE),
  fc.constantFrom('\u202eevil.exe', 'Z̵̡̛a̸l̷g̶o̴', '🙂‍↔️👩🏽‍🔧', '\ud800', '\u0000nul', 'ﷺ', '\u200b', 'Ⅻ'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('not-an-email', 'a@', '@b.com', 'a@b@c', 'x@y', 'mailto:a@b.com'),
  fc.constantFrom('abc', '+', '0000000000000000000000', '+61 4xx xxx xxx', '++61400000000', '١٢٣٤٥'),
  fc.constantFrom('2026-13-45T99:99:99Z', 'yesterday', '0000-00-00', '31/02/2026', -1, '1e309', 'NaN'),
);

/**
 * Numbers beyond the range of a date (1e20 ms). Found by this suite: `new Date(n).toISOString()` threw a RangeError
 * for them and failed the whole run; now such a date reads as absent on that record.
 */
const OUT_OF_RANGE_DATE = 1e20;

interface Mutation {
  element: number;
  field: number;
  value: unknown;
}

let bed: ProxiedBed;
beforeAll(async () => {
  bed = await startProxiedBed(23);
}, 120_000);
afterAll(async () => {
  await bed?.close();
});

let n = 0;
/** One fuzzed run: a person is added in HighLevel and in AroFlo, one record of `sys`'s listings is spoiled. */
async function fuzzedRun(sys: Sys, m: Mutation) {
  const tag = `${sys}${++n}`;
  const ghlEmail = `control.g.${tag}@example.com`;
  const afEmail = `control.a.${tag}@example.com`;
  bed.boxes.ghl.admin.createContact({ firstName: 'Control', lastName: `G${tag}`, email: ghlEmail });
  bed.boxes.aroflo.admin.createClient({
    clientname: `Control A${tag}`,
    firstname: 'Control',
    surname: `A${tag}`,
    email: afEmail,
    orgids: [bed.boxes.aroflo.credentials.businessUnits[0]!.orgid],
  });
  const spoiled = new Set<string>();
  bed.proxies[sys].set((body, req) => {
    if (!LISTINGS[sys].test(req.url)) return undefined;
    for (const arr of recordArrays(body, ID_KEYS[sys])) {
      const candidates = arr.filter((r) => !JSON.stringify(r).includes('control.'));
      const rec = candidates[m.element % Math.max(1, candidates.length)];
      if (!rec) continue;
      // Not the record's identity or its archived flag: another valid id or `archived: true` is a different record
      // or a real archive, not bad input.
      const keys = Object.keys(rec).filter((k) => !/(^|_)id$|id$|^archived$|^deleted$/i.test(k));
      if (!keys.length) continue;
      const key = keys[m.field % keys.length]!;
      spoiled.add(`${String(ID_KEYS[sys].map((k) => rec[k]).find((v) => v !== undefined))}.${key}`);
      if (m.value === undefined) delete rec[key];
      else rec[key] = m.value;
    }
    return body;
  });
  let result;
  try {
    result = await bed.svc.sync.execute({ trigger: 'cli', dryRun: false, full: true });
  } finally {
    bed.proxies[sys].set(undefined);
  }
  return { result, spoiled, ghlEmail, afEmail };
}

const CRASH = /TypeError|ReferenceError|Cannot read propert|is not a function|undefined is not|Maximum call stack/;

async function check(sys: Sys, m: Mutation): Promise<void> {
  const { result, ghlEmail, afEmail, spoiled } = await fuzzedRun(sys, m);
  const s = result.summary;
  const ctx = `${sys} ${JSON.stringify({ ...m, value: typeof m.value === 'string' ? m.value.slice(0, 40) : m.value })} on ${[...spoiled].slice(0, 4).join(', ')}: ${s.status} ${s.message ?? ''}`;
  // The run went on: not failed, nothing deleted because one record was unreadable.
  expect(['ok', 'partial'], ctx).toContain(s.status);
  const deletes = bed.svc.sync.store.audit.forRun(s.id).filter((a) => a.action === 'delete' || a.action === 'archive');
  expect(
    deletes.map((a) => `${a.system} ${a.entity} ${a.recordId} ${a.before}`),
    ctx,
  ).toEqual([]);
  // No programming error reached people: every problem is a typed one, on its record.
  const recent = bed.svc.logger.list({ level: 'warn', limit: 50 }).filter((l) => l.at >= s.startedAt);
  for (const l of recent) expect(l.message, ctx).not.toMatch(CRASH);
  // The rest of the run continued: the people added meanwhile crossed over.
  const aroEmails = [
    ...bed.boxes.aroflo.admin.listClients().map((c) => c.email),
    ...bed.boxes.aroflo.admin.listContacts().map((c) => c.email),
  ];
  expect(aroEmails, ctx).toContain(ghlEmail);
  expect(
    bed.boxes.ghl.admin.listContacts().map((c) => c.email),
    ctx,
  ).toContain(afEmail);
  // What could not be read is quarantined with a reason, and shown.
  const q = bed.svc.sync.store.quarantine.list(1000);
  for (const row of q) expect(row.reason.length, ctx).toBeGreaterThan(3);
  if (bed.svc.sync.store.quarantine.count() > 0) {
    const status = await bed.svc.api.getStatus();
    expect(
      status.attention.map((a) => a.kind),
      ctx,
    ).toContain('quarantine');
  }
}

const mutation = fc.record({ element: fc.nat(40), field: fc.nat(40), value: badValue });

describe('bad records inside valid answers', () => {
  for (const sys of ['ghl', 'aroflo', 'aimfox'] as const) {
    it(`${sys}: a spoiled record never stops the run, deletes nothing, and is quarantined or read as text`, async () => {
      await fc.assert(
        fc.asyncProperty(mutation, (m) => check(sys, m)),
        {
          numRuns: 12,
          endOnFailure: true,
          ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: '0' } : {}),
        },
      );
    }, 120_000);
  }

  for (const sys of ['ghl', 'aimfox'] as const) {
    it(`${sys}: a date beyond range in one record stays with that record, not a failed run`, async () => {
      // Every field of one record gets the out-of-range number in turn until a date field takes it.
      for (let field = 0; field < 30; field++) await check(sys, { element: 1, field, value: OUT_OF_RANGE_DATE });
    }, 120_000);
  }
});
