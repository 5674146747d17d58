/**
 * The HighLevel app form (saveGhlOAuthApp, through the bridge API of a real service) accepts a redirect URI on
 * 127.0.0.1 only (RFC 8252 §8.3); "localhost" gets a message naming the address to use instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../main/service/index.js';

let svc: Service;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ghlb-redirect-'));
  svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: 'redirect-key-not-secret-0123456789abcdef' },
  });
});

afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OAuth redirect URI in the HighLevel app form', () => {
  it('refuses localhost, naming the 127.0.0.1 address to register instead', async () => {
    for (const redirectUri of ['http://localhost:47321/oauth/callback', 'http://LOCALHOST:5000/cb']) {
      await expect(svc.api.saveGhlOAuthApp({ clientId: 'c', clientSecret: 's', redirectUri })).rejects.toThrow(
        /"localhost".*use http:\/\/127\.0\.0\.1:\d+\/\S+ instead/,
      );
    }
  });

  it('refuses anything else that is not http://127.0.0.1:<port>/…', async () => {
    for (const redirectUri of [
      'https://127.0.0.1:47321/cb',
      'http://[::1]:47321/cb',
      'http://127.0.0.1/cb',
      'http://example.com:47321/cb',
    ]) {
      await expect(
        svc.api.saveGhlOAuthApp({ clientId: 'c', clientSecret: 's', redirectUri }),
        redirectUri,
      ).rejects.toThrow(/must be http:\/\/127\.0\.0\.1 with a port/);
    }
  });

  it('accepts http://127.0.0.1:<port>/…', async () => {
    const info = await svc.api.saveGhlOAuthApp({
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'http://127.0.0.1:47999/oauth/callback',
    });
    expect(info.oauthAppSaved).toBe(true);
    expect(svc.config.read().connections.ghl.redirectUri).toBe('http://127.0.0.1:47999/oauth/callback');
  });
});
