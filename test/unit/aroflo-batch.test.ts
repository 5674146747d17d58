import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { matchInserts, matchUpdates, parsePostResults, type Sent } from '../../main/connectors/aroflo/batch.js';
import { parseEnvelope } from '../../main/connectors/aroflo/envelope.js';
import { nestedEchoes, nestedOutcomes } from '../../main/connectors/aroflo/nested.js';
import { writeBatched } from '../../main/connectors/aroflo/writer.js';
import { checkClientInsert, checkTaskUpdate } from '../../main/connectors/aroflo/writes.js';

type C = { name: string };
const sent = (names: string[]): Array<Sent<C>> => names.map((name, index) => ({ index, input: { name } }));
const spec = {
  idKey: 'clientid',
  describe: (c: C) => `client "${c.name}"`,
  fields: (c: C) => ({ clientname: c.name }),
};
const results = (body: unknown) => parsePostResults(parseEnvelope(body, 'POST clients'), 'POST clients');

describe('postresults (FACTS §6)', () => {
  it('reads the documented shape, with status "0" and a non-empty errors[]; key case varies', () => {
    const pr = results({
      status: '0',
      statusmessage: 'Login OK',
      zoneresponse: {
        postresults: {
          inserttotal: '1',
          inserts: { clientnotes: [{ NOTEID: 'N==', content: 'x' }] },
          updatetotal: 0,
          updates: { tasks: [] },
          errors: {
            message: 'Unable to make changes to Database',
            code: '209',
            detail: 'Client already exists',
            type: 'Database',
          },
        },
      },
    });
    expect(pr.insertTotal).toBe(1);
    expect(pr.inserts.clientnotes).toEqual([{ noteid: 'N==', content: 'x' }]);
    expect(pr.errors).toEqual([
      { message: 'Unable to make changes to Database', code: '209', detail: 'Client already exists', type: 'Database' },
    ]);
  });

  it('a write answer without postresults is malformed (outcome unknown)', () => {
    expect(() => results({ status: '0', zoneresponse: {} })).toThrowError(/no postresults/);
  });
});

describe('matching inserts back to inputs', () => {
  it('one duplicate name among many: the others get their ids, the duplicate gets the error text', () => {
    const s = sent(['A', 'B', 'Dup', 'C']);
    const { outcomes } = matchInserts(
      s,
      [
        { clientid: 'a==', clientname: 'A' },
        { CLIENTID: 'b==', clientname: 'B' },
        { clientid: 'c==', clientname: 'C' },
      ].map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k.toLowerCase(), v]))),
      [
        {
          message: 'Unable to make changes to Database',
          code: '209',
          detail: 'Client already exists',
          type: 'Database',
        },
      ],
      spec,
      'POST clients',
    );
    expect(outcomes.map((o) => [o.index, o.status, o.id])).toEqual([
      [0, 'ok', 'a=='],
      [1, 'ok', 'b=='],
      [2, 'failed', undefined],
      [3, 'ok', 'c=='],
    ]);
    expect(outcomes[2]!.error).toBeInstanceOf(ConnectorError);
    expect(outcomes[2]!.error!.kind).toBe('rejected');
    expect(outcomes[2]!.error!.message).toBe(
      'AroFlo rejected client "Dup": Client already exists (Unable to make changes to Database, code 209) — check the record and the field mapping.',
    );
  });

  it('matching ignores case, spacing and the ]]> break; it keeps order for equal names', () => {
    const s = sent(['Zoë  Smith', 'a ]]> b', 'Same', 'Same']);
    const { outcomes } = matchInserts(
      s,
      [
        { clientid: '1', clientname: 'zoë smith' },
        { clientid: '2', clientname: 'A ]] > B' },
        { clientid: '3', clientname: 'same' },
        { clientid: '4', clientname: 'same' },
      ],
      [],
      spec,
      'op',
    );
    expect(outcomes.map((o) => o.id)).toEqual(['1', '2', '3', '4']);
  });

  it('echoes carrying only ids are paired by position when nothing failed', () => {
    const { outcomes } = matchInserts(sent(['A', 'B']), [{ clientid: '1' }, { clientid: '2' }], [], spec, 'op');
    expect(outcomes.map((o) => [o.status, o.id])).toEqual([
      ['ok', '1'],
      ['ok', '2'],
    ]);
  });

  it('an echo we cannot place makes the unplaced inputs "unknown" (re-read before retrying), not "failed"', () => {
    const { outcomes } = matchInserts(
      sent(['A', 'B', 'C']),
      [
        { clientid: '1', clientname: 'A' },
        { clientid: '9', clientname: 'Something else' },
      ],
      [{ detail: 'Boom' }],
      spec,
      'op',
    );
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'unknown', 'unknown']);
    expect(outcomes[1]!.error!.message).toMatch(/may have been written/);
  });

  it('several errors for several failures: each failure lists all the texts, honestly', () => {
    const { outcomes } = matchInserts(
      sent(['A', 'B', 'C']),
      [{ clientid: '1', clientname: 'B' }],
      [{ detail: 'Client already exists', code: '209' }, { detail: 'Field too long' }],
      spec,
      'op',
    );
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'ok', 'failed']);
    expect(outcomes[0]!.error!.detail).toMatch(/one of: Client already exists \(code 209\); Field too long/);
  });

  it('a per-record error inside inserts fails that record', () => {
    const { outcomes } = matchInserts(sent(['A']), [{ clientname: 'A', error: 'Invalid state' }], [], spec, 'op');
    expect(outcomes[0]).toMatchObject({ status: 'failed' });
    expect(outcomes[0]!.error!.detail).toBe('Invalid state');
  });

  it('not echoed and no error at all: unknown, never silently "failed" (a retry could make a twin)', () => {
    const { outcomes } = matchInserts(sent(['A', 'B']), [{ clientid: '1', clientname: 'A' }], [], spec, 'op');
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'unknown']);
  });
});

describe('matching updates by id', () => {
  type U = { id: string };
  const uspec = { idKey: 'taskid', describe: (u: U) => `task ${u.id}`, fields: () => ({}) };
  const us = (ids: string[]): Array<Sent<U>> => ids.map((id, index) => ({ index, input: { id } }));

  it('echoed ids are ok, the missing one takes the error', () => {
    const { outcomes } = matchUpdates(
      us(['t1', 't2']),
      [{ taskid: 't2' }],
      [{ detail: 'Task is locked' }],
      1,
      uspec,
      'op',
    );
    expect(outcomes.map((o) => [o.status, o.error?.detail])).toEqual([
      ['failed', 'Task is locked'],
      ['ok', undefined],
    ]);
  });

  it('no echo at all: trust updatetotal when there are no errors, else unknown', () => {
    expect(matchUpdates(us(['t1', 't2']), [], [], 2, uspec, 'op').outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(matchUpdates(us(['t1', 't2']), [], [], undefined, uspec, 'op').outcomes.map((o) => o.status)).toEqual([
      'unknown',
      'unknown',
    ]);
  });
});

describe('nested contacts', () => {
  it('reads nested echoes wrapped or not, and matches inserted contacts by their fields', () => {
    expect(nestedEchoes({ contacts: { contact: { userid: 'u1' } } }, 'contacts', 'contact')).toEqual([
      { userid: 'u1' },
    ]);
    expect(nestedEchoes({ contacts: [{ userid: 'u1' }] }, 'contacts', 'contact')).toEqual([{ userid: 'u1' }]);
    expect(nestedEchoes({}, 'contacts', 'contact')).toBeUndefined();
    type K = { id?: string; givenNames?: string; email?: string };
    const kspec = {
      idKey: 'userid',
      idOf: (k: K) => k.id,
      fields: (k: K) => ({ email: k.email, givennames: k.givenNames }),
      describe: (k: K) => `contact ${k.givenNames}`,
    };
    const out = nestedOutcomes(
      { index: 0, status: 'ok', id: 'c1' },
      [
        { givenNames: 'Ann', email: 'a@x' },
        { id: 'u9', givenNames: 'Old' },
        { givenNames: 'Bob', email: 'b@x' },
      ],
      [
        { userid: 'u9', givennames: 'Old' },
        { userid: 'u2', givennames: 'Bob', email: 'B@x' },
        { userid: 'u1', givennames: 'Ann', email: 'a@x' },
      ],
      kspec,
      'op',
    );
    expect(out.map((o) => [o.status, o.id])).toEqual([
      ['ok', 'u1'],
      ['ok', 'u9'],
      ['ok', 'u2'],
    ]);
    const failedParent = nestedOutcomes(
      { index: 0, status: 'failed', error: new ConnectorError({ system: 'aroflo', kind: 'rejected' }) },
      [{ givenNames: 'Ann' }],
      [],
      kspec,
      'op',
    );
    expect(failedParent[0]!.status).toBe('failed');
    expect(
      nestedOutcomes({ index: 0, status: 'ok', id: 'c' }, [{ givenNames: 'Ann' }], undefined, kspec, 'op')[0]!.status,
    ).toBe('unknown');
  });
});

describe('batched writes', () => {
  const describeC = (c: C) => `client "${c.name}"`;
  const refuse = (c: C, p: string[]) =>
    new ConnectorError({
      system: 'aroflo',
      kind: 'rejected',
      detail: p.join('; '),
      message: `${describeC(c)}: ${p.join('; ')}`,
    });
  const okAll = async (chunk: Array<Sent<C>>) =>
    chunk.map((s) => ({ index: s.index, status: 'ok' as const, id: `id-${s.input.name}` }));

  it('errors AroFlo reports on a call whose records it all confirmed are told once per call, not kept silently', async () => {
    const told: string[][] = [];
    const out = await writeBatched(
      [{ name: 'a' }, { name: 'b' }],
      () => [],
      describeC,
      refuse,
      async (chunk) => (await okAll(chunk)).map((o) => ({ ...o, warnings: ['Field "fax" was truncated'] })),
      {
        batchSize: 2,
        maxIsolationCalls: 0,
        onWarnings: (w) => told.push(w),
      },
    );
    expect(out.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(told).toEqual([['Field "fax" was truncated']]);
  });

  it('chunks to the batch size and keeps input order; records failing our checks are not sent', async () => {
    const calls: string[][] = [];
    const inputs = ['a', 'b', '', 'c', 'd', 'e'].map((name) => ({ name }));
    const out = await writeBatched(
      inputs,
      (c) => (c.name ? [] : ['client name is required']),
      describeC,
      refuse,
      async (chunk) => {
        calls.push(chunk.map((s) => s.input.name));
        return okAll(chunk);
      },
      { batchSize: 2, maxIsolationCalls: 0 },
    );
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(out.map((o) => o.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok', 'ok']);
    expect(out[2]!.error!.message).toMatch(/client name is required/);
    expect(out.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a call AroFlo refuses as unreadable is split until the poisoned record is found; the rest are written', async () => {
    const calls: string[][] = [];
    const inputs = ['a', 'b', 'c', 'POISON', 'e', 'f', 'g', 'h'].map((name) => ({ name }));
    const out = await writeBatched(
      inputs,
      () => [],
      describeC,
      refuse,
      async (chunk) => {
        calls.push(chunk.map((s) => s.input.name));
        if (chunk.some((s) => s.input.name === 'POISON'))
          throw new ConnectorError({
            system: 'aroflo',
            kind: 'rejected',
            status: '99',
            detail: 'Invalid postxml value',
          });
        return okAll(chunk);
      },
      { batchSize: 8, maxIsolationCalls: 12 },
    );
    expect(out.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'ok', 'ok', 'ok', 'ok']);
    expect(out[3]!.error!.message).toBe(
      'AroFlo rejected client "POISON": Invalid postxml value — check the record and the field mapping.',
    );
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * 3);
  });

  it('a limit or sign-in failure stops the batch: that chunk and the later ones are not_sent', async () => {
    let n = 0;
    const out = await writeBatched(
      [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      () => [],
      describeC,
      refuse,
      async (chunk) => {
        if (++n === 2) throw new ConnectorError({ system: 'aroflo', kind: 'quota_exhausted' });
        return okAll(chunk);
      },
      { batchSize: 1, maxIsolationCalls: 0 },
    );
    expect(out.map((o) => o.status)).toEqual(['ok', 'not_sent', 'not_sent']);
    expect(n).toBe(2);
  });

  it('a server or network failure during a write leaves that chunk unknown (it may have been written)', async () => {
    const out = await writeBatched(
      [{ name: 'a' }, { name: 'b' }],
      () => [],
      describeC,
      refuse,
      async () => {
        throw new ConnectorError({ system: 'aroflo', kind: 'network', detail: 'ECONNRESET' });
      },
      { batchSize: 1, maxIsolationCalls: 0 },
    );
    expect(out.map((o) => o.status)).toEqual(['unknown', 'not_sent']);
  });
});

describe('write checks', () => {
  it('client inserts need name, first name and surname, and fit AroFlo lengths', () => {
    expect(checkClientInsert({ name: 'A', firstName: 'F', surname: 'S' })).toEqual([]);
    expect(checkClientInsert({ name: '', firstName: 'F', surname: '' })).toEqual([
      'client name is required',
      'surname is required',
    ]);
    expect(checkClientInsert({ name: 'x'.repeat(51), firstName: 'F', surname: 'S' })).toEqual([
      "client name is longer than AroFlo's 50 characters",
    ]);
    expect(checkClientInsert({ name: 'A', firstName: 'F', surname: 'S', address: { state: 'VIC' } })).toEqual([
      'state and country must be given together',
    ]);
  });

  it('a task update that changes description or due date is refused, not silently dropped', () => {
    expect(checkTaskUpdate({ id: 't', status: 'completed' })).toEqual([]);
    expect(checkTaskUpdate({ id: 't', status: 'completed', dueDate: '2026-12-01' })).toEqual([
      "AroFlo cannot change a task's due date after it is created (add a note instead)",
    ]);
    expect(checkTaskUpdate({ id: 't', description: 'new' })[0]).toMatch(/cannot change a task's description/);
    expect(checkTaskUpdate({ id: 't', status: 'quote' })).toEqual(['status "quote" cannot be set through the API']);
  });
});
