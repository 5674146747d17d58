import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenManager, type OAuthTokens, type TokenStore } from '../../main/connectors/ghl/token-manager.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';

/**
 * A stand-in token endpoint with GHL's rotation rule: each refresh token works once, and answers with a new pair.
 * (The full flow against the GHL sandbox is in test/integration/ghl-oauth.test.ts.)
 */
let server: Server;
let tokenUrl: string;
let live = new Set<string>();
let posts: Array<Record<string, string>> = [];
let gen = 0;
let delayMs = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      posts.push(form);
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        const rt = form.refresh_token ?? '';
        if (form.grant_type !== 'refresh_token' || form.client_secret !== 'sec' || !live.has(rt)) {
          res.statusCode = 400;
          res.end(
            JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' }),
          );
          return;
        }
        live.delete(rt);
        gen++;
        live.add(`r${gen}`);
        res.end(
          JSON.stringify({
            access_token: `a${gen}`,
            refresh_token: `r${gen}`,
            expires_in: 86399,
            scope: 'contacts.readonly contacts.write',
            userType: 'Location',
            locationId: 'loc1',
            userId: 'u1',
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => {
  live = new Set(['r0']);
  posts = [];
  gen = 0;
  delayMs = 0;
});

const T0 = 1_800_000_000_000;
const initial = (expiresAt: number): OAuthTokens => ({
  accessToken: 'a0',
  refreshToken: 'r0',
  expiresAt,
  scope: 'contacts.readonly contacts.write',
  locationId: 'loc1',
  userType: 'Location',
});

interface MemoryStore {
  saved?: OAuthTokens;
  failSaves: number;
  log: string[];
  store: TokenStore;
}

function memoryStore(start?: OAuthTokens): MemoryStore {
  const log: string[] = [];
  const s: MemoryStore = {
    saved: start,
    failSaves: 0,
    log,
    store: {
      load: async () => s.saved,
      save: async (t: OAuthTokens) => {
        if (s.failSaves > 0) {
          s.failSaves--;
          log.push(`save-failed:${t.accessToken}`);
          throw new Error('vault locked');
        }
        log.push(`saved:${t.accessToken}`);
        s.saved = t;
      },
    },
  };
  return s;
}

function manager(
  store: TokenStore,
  now = () => T0,
  extra: Partial<ConstructorParameters<typeof TokenManager>[0]> = {},
) {
  const signedOut: string[] = [];
  const tm = new TokenManager({
    tokenUrl,
    clientId: 'cid',
    clientSecret: 'sec',
    store,
    now,
    onSignedOut: (r) => signedOut.push(r),
    ...extra,
  });
  return { tm, signedOut };
}

describe('TokenManager refresh', () => {
  it('ten concurrent calls on an expired token make exactly one refresh, and all get the new token', async () => {
    delayMs = 50;
    const s = memoryStore(initial(T0 - 1000));
    const { tm } = manager(s.store);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => tm.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(['a1']));
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'r0',
      client_id: 'cid',
      client_secret: 'sec',
      user_type: 'Location',
    });
    expect(s.saved).toMatchObject({
      accessToken: 'a1',
      refreshToken: 'r1',
      expiresAt: T0 + 86_399_000,
      locationId: 'loc1',
    });
  });

  it('persists the new pair before handing out the new access token', async () => {
    const s = memoryStore(initial(T0 - 1));
    const { tm } = manager(s.store);
    const token = await tm.accessToken();
    s.log.push(`used:${token}`);
    expect(s.log).toEqual(['saved:a1', 'used:a1']);
  });

  it('refreshes proactively shortly before expiry, not earlier', async () => {
    const s = memoryStore(initial(T0 + 60_000));
    const { tm } = manager(s.store, () => T0, { refreshBeforeMs: 120_000 });
    expect(await tm.accessToken()).toBe('a1');
    const s2 = memoryStore(initial(T0 + 3_600_000));
    const { tm: tm2 } = manager(s2.store);
    expect(await tm2.accessToken()).toBe('a0');
    expect(posts).toHaveLength(1);
  });

  it('ten concurrent 401s on the same token cause one refresh; a 401 on an already-replaced token causes none', async () => {
    delayMs = 30;
    const s = memoryStore(initial(T0 + 3_600_000));
    const { tm } = manager(s.store);
    expect(await tm.accessToken()).toBe('a0');
    const answers = await Promise.all(Array.from({ length: 10 }, () => tm.handleUnauthorized('a0')));
    expect(answers.every(Boolean)).toBe(true);
    expect(posts).toHaveLength(1);
    expect(await tm.accessToken()).toBe('a1');
    expect(await tm.handleUnauthorized('a0')).toBe(true);
    expect(posts).toHaveLength(1);
  });
});

describe('TokenManager on close', () => {
  it('flush() saves a renewed pair whose save failed, so a short command does not exit with only the spent token on disk', async () => {
    const s = memoryStore(initial(T0 - 1));
    s.failSaves = 1;
    const tm = new TokenManager({ tokenUrl, clientId: 'cid', clientSecret: 'sec', store: s.store, now: () => T0 });
    await expect(tm.accessToken()).rejects.toBeInstanceOf(ConnectorError);
    expect(s.saved?.refreshToken).toBe('r0'); // spent on the server, still on disk
    await tm.flush();
    expect(s.saved?.refreshToken).toBe('r1');
    expect(posts).toHaveLength(1);
  });
});

describe('TokenManager when the token endpoint is unreachable', () => {
  const unreachable = 'http://127.0.0.1:9/oauth/token';

  it('keeps using a token that is close to expiry but still valid', async () => {
    const s = memoryStore(initial(T0 + 60_000));
    const tm = new TokenManager({
      tokenUrl: unreachable,
      clientId: 'cid',
      clientSecret: 'sec',
      store: s.store,
      now: () => T0,
    });
    expect(await tm.accessToken()).toBe('a0');
    expect(tm.status().state).toBe('signed_in');
  });

  it('raises a network error (not a sign-out) once the token has expired', async () => {
    const s = memoryStore(initial(T0 - 1));
    const tm = new TokenManager({
      tokenUrl: unreachable,
      clientId: 'cid',
      clientSecret: 'sec',
      store: s.store,
      now: () => T0,
    });
    await expect(tm.accessToken()).rejects.toMatchObject({ kind: 'network' });
    expect(tm.status().state).toBe('signed_in');
  });
});

describe('TokenManager sign-out', () => {
  it('a reused refresh token (invalid_grant) → signed_out error, observable state, callback once, no further traffic', async () => {
    live = new Set(); // r0 was already spent elsewhere
    const s = memoryStore(initial(T0 - 1));
    const { tm, signedOut } = manager(s.store);
    const err = await tm.accessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('signed_out');
    expect((err as ConnectorError).message).toMatch(/sign in again/);
    expect(tm.status()).toMatchObject({ state: 'signed_out' });
    expect(signedOut).toHaveLength(1);
    // no loop: later calls fail fast without touching the network
    await expect(tm.accessToken()).rejects.toMatchObject({ kind: 'signed_out' });
    expect(await tm.handleUnauthorized('a0')).toBe(false);
    expect(posts).toHaveLength(1);
    expect(signedOut).toHaveLength(1);
  });

  it('a freshly issued token refused again signs out instead of refreshing in a loop', async () => {
    const s = memoryStore(initial(T0 + 3_600_000));
    const { tm, signedOut } = manager(s.store);
    await tm.accessToken();
    expect(await tm.handleUnauthorized('a0')).toBe(true); // refresh → a1
    expect(await tm.handleUnauthorized('a1')).toBe(false); // a1 refused at once: access revoked
    expect(posts).toHaveLength(1);
    expect(signedOut).toHaveLength(1);
  });

  it('no stored tokens → signed_out "not signed in"', async () => {
    const { tm } = manager(memoryStore().store);
    await expect(tm.accessToken()).rejects.toMatchObject({ kind: 'signed_out' });
    expect(tm.status()).toEqual({ state: 'signed_out', reason: 'not signed in' });
  });

  it('setTokens after a new login persists, and clears the signed-out state', async () => {
    live = new Set();
    const s = memoryStore(initial(T0 - 1));
    const { tm } = manager(s.store);
    await tm.accessToken().catch(() => undefined);
    await tm.setTokens({ ...initial(T0 + 86_000_000), accessToken: 'fresh' });
    expect(s.saved?.accessToken).toBe('fresh');
    expect(await tm.accessToken()).toBe('fresh');
    expect(tm.status()).toMatchObject({ state: 'signed_in', locationId: 'loc1' });
  });
});

describe('TokenManager when the vault cannot save', () => {
  it('does not use an unsaved token, and adopts it (without a second refresh) once a save works', async () => {
    const s = memoryStore(initial(T0 - 1));
    s.failSaves = 1;
    const { tm } = manager(s.store);
    await expect(tm.accessToken()).rejects.toMatchObject({ kind: 'config' });
    expect(s.saved?.accessToken).toBe('a0');
    expect(await tm.accessToken()).toBe('a1');
    expect(s.log).toEqual(['save-failed:a1', 'saved:a1']);
    expect(posts).toHaveLength(1); // the spent r0 was never sent again
  });
});

/** A store shared by two managers ("two processes"), with the lock a vault shared across processes provides. */
function sharedStore(start: OAuthTokens): { saved: OAuthTokens | undefined; store: TokenStore } {
  const s: { saved: OAuthTokens | undefined; store: TokenStore } = {
    saved: start,
    store: undefined as unknown as TokenStore,
  };
  let chain: Promise<unknown> = Promise.resolve();
  const io = { load: async () => s.saved, save: async (t: OAuthTokens) => void (s.saved = t) };
  s.store = {
    ...io,
    exclusive: <T>(fn: (x: typeof io) => Promise<T>) => {
      const next = chain.then(() => fn(io));
      chain = next.catch(() => undefined);
      return next;
    },
  };
  return s;
}

describe('TokenManager on a store shared with another process', () => {
  it('two managers that both hold the old pair refresh once: the second adopts the pair the first stored', async () => {
    delayMs = 40;
    const s = sharedStore(initial(T0 - 1000));
    const a = manager(s.store);
    const b = manager(s.store);
    const [ta, tb] = await Promise.all([a.tm.accessToken(), b.tm.accessToken()]);
    expect(ta).toBe('a1');
    expect(tb).toBe('a1');
    expect(posts).toHaveLength(1);
    expect(a.signedOut).toEqual([]);
    expect(b.signedOut).toEqual([]);
    expect(s.saved?.refreshToken).toBe('r1');
  });

  it('a manager whose token was refused adopts the pair another process stored instead of spending its own', async () => {
    const s = sharedStore(initial(T0 + 3_600_000));
    const b = manager(s.store);
    expect(await b.tm.accessToken()).toBe('a0');
    // "Another process" refreshes: r0 is spent, r1 is stored.
    const a = manager(s.store);
    await a.tm.refresh();
    expect(await b.tm.handleUnauthorized('a0')).toBe(true);
    expect(await b.tm.accessToken()).toBe('a1');
    expect(posts.map((p) => p.refresh_token)).toEqual(['r0']);
    expect(b.signedOut).toEqual([]);
  });

  it('when the stored pair was rotated but is due as well, it spends the stored refresh token, never its own', async () => {
    // On disk: a rotated pair (r0) that is itself due. In memory: an older pair whose refresh token is spent.
    const s = sharedStore({ ...initial(T0 - 500), accessToken: 'x' });
    const stale = { ...initial(T0 - 1000), refreshToken: 'spent' };
    const c = manager({ ...s.store, load: async () => stale });
    expect(await c.tm.accessToken()).toBe('a1');
    expect(posts.map((p) => p.refresh_token)).toEqual(['r0']);
  });
});
