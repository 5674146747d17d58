import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { clientFor, sandbox, type Sandbox } from './aroflo-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox({ contacts: 60, seed: 5 });
});
afterAll(() => sb?.close());
beforeEach(() => {
  sb.faults.clear();
  sb.resetStats();
});

const kindOf = async (p: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
  throw new Error('expected a ConnectorError');
};

describe('AroFlo retries', () => {
  it('a read that meets a 5xx is retried (with a fresh signature) and succeeds', async () => {
    sb.faults.set('system=aroflo,path=zone=tasks,rate=1,kinds=5xx');
    const attempts: Array<{ attempt: number; status?: number }> = [];
    const c = clientFor(sb, 20, {
      onAttempt: (i) => {
        attempts.push({ attempt: i.attempt, status: i.status });
        sb.faults.clear();
      },
    });
    const tasks = await c.listTasks();
    expect(tasks.items.length).toBe(sb.admin.listTasks().length);
    expect(attempts).toEqual([
      { attempt: 1, status: 500 },
      { attempt: 2, status: 200 },
    ]);
    expect(sb.stats().faults['5xx']).toBe(1);
  });

  it('a read whose connection is reset is retried and succeeds', async () => {
    sb.faults.set('system=aroflo,path=zone=clientnotes,rate=1,kinds=reset');
    let n = 0;
    const c = clientFor(sb, 20, {
      onAttempt: () => {
        n++;
        sb.faults.clear();
      },
    });
    const notes = await c.listClientNotes();
    expect(notes.items.length).toBe(sb.admin.listClientNotes().length);
    expect(n).toBe(2);
    expect(c.budget().requests.retries).toBe(1);
  });

  it('an insert that meets a 5xx or a reset is NOT re-sent: its records are "unknown" (re-read before retrying)', async () => {
    for (const kind of ['5xx', 'reset']) {
      sb.faults.set(`system=aroflo,path=POST,rate=1,kinds=${kind}`);
      let n = 0;
      const c = clientFor(sb, 20, { onAttempt: () => void n++ });
      const name = `Never Twice ${kind}`;
      const out = await c.insertClients([
        { name, firstName: 'N', surname: 'T' },
        { name: `${name} 2`, firstName: 'N', surname: 'T' },
      ]);
      expect(n).toBe(1);
      expect(out.map((o) => o.status)).toEqual(['unknown', 'unknown']);
      expect(out[0]!.error!.kind).toBe(kind === '5xx' ? 'server' : 'network');
      sb.faults.clear();
      expect(sb.admin.listClients().some((x) => x.clientname === name)).toBe(false);
    }
  });

  it('a malformed answer to a read is retried, then becomes a typed malformed error', async () => {
    sb.faults.set('system=aroflo,path=zone=tasks,rate=1,kinds=malformed');
    const c = clientFor(sb, 20, { maxAttempts: 2 });
    const e = await kindOf(c.listTasks());
    expect(e.kind).toBe('malformed');
    expect(sb.stats().faults.malformed).toBe(2);
  });
});

describe('AroFlo sign-in problems are typed errors a person can act on', () => {
  it('a wrong secret key: "signatures do not match — check the secret key"', async () => {
    const c = clientFor(sb, 20);
    const creds = { ...sb.credentials, secretKey: 'not-the-secret' };
    const bad = new (c.constructor as typeof import('../../main/connectors/aroflo/index.js').ArofloClient)({
      baseUrl: sb.baseUrl,
      credentials: creds,
    });
    const e = await kindOf(bad.testConnection());
    expect(e.kind).toBe('signed_out');
    expect(e.status).toBe('-99999');
    expect(e.message).toMatch(/AroFlo says the signatures do not match — check the secret key/);
  });

  it('a secret regenerated in AroFlo signs the old client out', async () => {
    const c = clientFor(sb, 20);
    await c.testConnection();
    sb.admin.regenerateSecret();
    try {
      const e = await kindOf(c.listTasks());
      expect(e.kind).toBe('signed_out');
    } finally {
      sb.reset();
    }
  });

  it("an expired timestamp (this computer's clock is off) says to fix the clock", async () => {
    const skewed = clientFor(sb, 20, { now: () => Date.now() - 20 * 60_000 });
    const e = await kindOf(skewed.listClients());
    expect(e.kind).toBe('config');
    expect(e.detail).toMatch(/Payload has expired/);
    expect(e.message).toMatch(/clock/);
  });

  it('API access switched off for the user: a permission (scope) error; secret not saved: a setup error', async () => {
    const c = clientFor(sb, 20);
    sb.admin.setApiAccess(false);
    try {
      expect((await kindOf(c.listClients())).kind).toBe('scope');
    } finally {
      sb.admin.setApiAccess(true);
    }
    sb.admin.setSecretSaved(false);
    try {
      const e = await kindOf(c.listClients());
      expect(e.kind).toBe('config');
      expect(e.message).toMatch(/generate the secret key again, save/);
    } finally {
      sb.admin.setSecretSaved(true);
    }
  });
});
