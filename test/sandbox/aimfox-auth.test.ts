/**
 * Aimfox sandbox: key auth (FACTS §1) and the response envelope (FACTS §2), over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;

async function call(method: string, path: string, auth?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sb.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeAll(async () => {
  sb = await startAimfoxSandbox({ world: generateWorld({ contacts: 60, seed: 3 }), rateLimits: 'off', admin: true });
});
afterAll(() => sb.close());

describe('Aimfox sandbox auth', () => {
  it('serves on 127.0.0.1 under /api/v2', () => {
    expect(sb.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    expect(sb.name).toBe('aimfox');
  });

  it('answers a workspace key with the ok envelope', async () => {
    const r = await call('GET', '/accounts', `Bearer ${sb.credentials.apiKey}`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(Array.isArray(r.body.accounts)).toBe(true);
  });

  it('refuses a request without a key with 401 in the fail envelope', async () => {
    const r = await call('GET', '/accounts');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ status: 'fail', error: { code: 401, type: 'Unauthorized' } });
    expect(typeof r.body.error.message).toBe('string');
  });

  it('refuses an unknown key with 401, and a non-Bearer scheme too', async () => {
    expect((await call('GET', '/campaigns', 'Bearer not-a-real-key')).status).toBe(401);
    expect((await call('GET', '/campaigns', `Basic ${sb.credentials.apiKey}`)).status).toBe(401);
  });

  it('answers the master key on a workspace route with HTTP 500 (wrong key type)', async () => {
    const r = await call('GET', '/accounts', `Bearer ${sb.credentials.masterKey}`);
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ status: 'fail', error: { code: 500 } });
    expect((await call('POST', '/leads:search', `Bearer ${sb.credentials.masterKey}`, {})).status).toBe(500);
  });

  it('answers the workspace key on a master route with HTTP 500, and the master key there with 200', async () => {
    const path = `/workspaces/${sb.credentials.workspaceId}/tokens`;
    expect((await call('GET', path, `Bearer ${sb.credentials.apiKey}`)).status).toBe(500);
    const ok = await call('GET', path, `Bearer ${sb.credentials.masterKey}`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('ok');
  });

  it('answers POST /token with the capitalised "OK" seen live', async () => {
    const r = await call('POST', '/token', `Bearer ${sb.credentials.apiKey}`, {});
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('OK');
    expect(typeof r.body.token).toBe('string');
  });

  it('answers an unknown route with 404 in the fail envelope', async () => {
    const r = await call('GET', '/no-such-thing', `Bearer ${sb.credentials.apiKey}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'fail', error: { code: 404, type: 'Not Found' } });
  });

  it('answers a body that is not JSON with 400 ValidationError', async () => {
    const res = await fetch(`${sb.baseUrl}/labels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.credentials.apiKey}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'fail', error: { code: 400, data: 'ValidationError' } });
  });

  it('lets a revoke fault kill the key for later calls, and reset() bring it back', async () => {
    sb.admin.setFaults('system=aimfox,path=/campaigns,rate=1,kinds=revoke');
    const revoked = await call('GET', '/campaigns', `Bearer ${sb.credentials.apiKey}`);
    expect(revoked.status).toBe(401);
    sb.admin.setFaults(undefined);
    expect((await call('GET', '/accounts', `Bearer ${sb.credentials.apiKey}`)).status).toBe(401);
    sb.reset();
    expect((await call('GET', '/accounts', `Bearer ${sb.credentials.apiKey}`)).status).toBe(200);
  });
});

describe('Aimfox sandbox accounts', () => {
  it('lists one LoggedIn account (the credentials) and its workspace', async () => {
    const r = await call('GET', '/accounts', `Bearer ${sb.credentials.apiKey}`);
    const mine = r.body.accounts.find((a: { id: string }) => a.id === sb.credentials.accountId);
    expect(mine).toMatchObject({ state: 'LoggedIn', workspace_id: sb.credentials.workspaceId });
    expect(mine.id).toMatch(/^\d+$/);
    expect(mine.urn).toMatch(/^ACoAA/);
    expect(r.body.accounts.some((a: { state: string }) => a.state === 'LoggedOut')).toBe(true);
  });

  it('shows an account logged out from the admin', async () => {
    sb.admin.setAccountState(sb.credentials.accountId, 'LoggedOut');
    const r = await call('GET', '/accounts', `Bearer ${sb.credentials.apiKey}`);
    expect(r.body.accounts.find((a: { id: string }) => a.id === sb.credentials.accountId).state).toBe('LoggedOut');
    sb.reset();
  });
});
