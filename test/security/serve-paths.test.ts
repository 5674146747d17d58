/**
 * Serve mode decides its guards on the route it actually runs, never on the raw text of the URL. The router decodes
 * percent-escapes before matching, so `/%61pi/pause` used to reach the pause handler while the guard, looking for a
 * literal "/api/", waved it through as a static file. This sweep sends every bridge method and the event stream through
 * every spelling of the API path we know of (percent-encoded letters, an encoded slash, double encoding, mixed case,
 * the absolute request form), without credentials and with a foreign Origin, over real HTTP, and checks that none of
 * them runs a handler.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_METHODS } from '../../preload/contract.js';
import type { AppStatus, ConnectionInfo } from '../../preload/contract.js';
import { createService, type Service } from '../../main/service/index.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';

let svc: Service;
let web: WebServer;
const dirs: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-paths-'));
  const staticDir = mkdtempSync(join(tmpdir(), 'ghlb-paths-web-'));
  dirs.push(dir, staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title>');
  svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: 'paths-key-not-secret-0123456789abcdef' },
  });
  web = await startWebServer({ service: svc, staticDir });
});

afterAll(async () => {
  await web?.close();
  await svc?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * One raw request with exactly this request-target (Node sends the path as given, no normalising). The answer is read
 * up to 4 KB and the socket dropped, so an event stream that wrongly opens cannot hang the test.
 */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: web.port,
        method,
        path,
        headers: { host: `127.0.0.1:${web.port}`, ...headers },
        setHost: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        const finish = () => {
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text });
          res.destroy();
        };
        res.on('data', (c: string) => {
          text += c;
          if (text.length > 4096 || String(res.headers['content-type']).startsWith('text/event-stream')) finish();
        });
        res.on('end', finish);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** Every spelling of "/api/<method>" that a lenient decoder or router could take for the API. */
function spellings(method: string): string[] {
  const first = method.charCodeAt(0).toString(16);
  return [
    `/%61pi/${method}`,
    `/a%70i/${method}`,
    `/ap%69/${method}`,
    `/%41%50%49/${method}`,
    `/%2fapi/${method}`,
    `/%2Fapi/${method}`,
    `/api%2f${method}`,
    `/%2561pi/${method}`,
    `/%252fapi/${method}`,
    `/api/%${first}${method.slice(1)}`,
    `/api/${method}%00`,
    `/API/${method}`,
    `/Api/${method}`,
    `/aPi/${method}`,
    `//api/${method}`,
    `/api//${method}`,
    `/api/${method}/`,
    `/api/${method};x`,
    `/./api/${method}`,
    `/x/../api/${method}`,
    `/%2e/api/${method}`,
    `http://127.0.0.1:${web.port}/%61pi/${method}`,
  ];
}

const json = { 'content-type': 'application/json' };
const status = async (): Promise<AppStatus> => svc.api.getStatus();

describe('the encoded-path sweep', () => {
  it('no spelling of /api/<method> runs any bridge method without credentials or from a foreign Origin', async () => {
    const before = await status();
    const failures: string[] = [];
    for (const method of BRIDGE_METHODS) {
      // Arguments that would do something if they got through: a real key, a pause, a sync.
      const arg = JSON.stringify(method === 'saveAimfoxKey' ? { apiKey: 'attacker-key' } : {});
      for (const path of spellings(method)) {
        for (const headers of [json, { ...json, origin: 'http://evil.example' }, {}] as Array<Record<string, string>>) {
          const a = await send('POST', path, headers, Object.keys(headers).length ? arg : undefined);
          if (a.status < 400 || a.status >= 500)
            failures.push(`${path} ${JSON.stringify(headers)} → ${a.status} ${a.body.slice(0, 80)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    const after = await status();
    expect(after.paused).toBe(before.paused);
    expect(after.connections.find((c: ConnectionInfo) => c.system === 'aimfox')?.configured).toBe(false);
  });

  it('an encoded spelling is refused with 400 even with the right token, naming the problem', async () => {
    for (const path of [
      `/%61pi/getStatus`,
      `/a%70i/getStatus`,
      `/%2fapi/getStatus`,
      `/%2561pi/getStatus`,
      `/api/%67etStatus`,
    ]) {
      const a = await send('POST', path, { ...json, authorization: `Bearer ${web.token}` }, '{}');
      expect(a.status, path).toBe(400);
      expect(JSON.parse(a.body).error.message, path).toMatch(/percent-encoded|encoded/i);
    }
    // The plain spelling still works, so the refusals above are about the spelling, not the token.
    expect((await send('POST', '/api/getStatus', { ...json, authorization: `Bearer ${web.token}` }, '{}')).status).toBe(
      200,
    );
  });

  it('no spelling of /api/events opens the event stream without credentials or from a foreign Origin', async () => {
    const failures: string[] = [];
    for (const path of spellings('events')) {
      for (const headers of [
        {},
        { origin: 'http://evil.example' },
        { origin: 'http://evil.example', authorization: `Bearer ${web.token}` },
      ] as Array<Record<string, string>>) {
        const a = await send('GET', path, headers);
        if (a.contentType.startsWith('text/event-stream') || a.status < 400 || a.status >= 500)
          failures.push(`${path} ${JSON.stringify(headers)} → ${a.status} ${a.contentType}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the plain /api/events spelling is refused from a foreign Origin even with the token', async () => {
    const a = await send('GET', '/api/events', { origin: 'http://evil.example', authorization: `Bearer ${web.token}` });
    expect(a.status).toBe(403);
  });

  it('every bridge method refuses a body that is not JSON, even one without a content type (a no-cors request)', async () => {
    for (const method of BRIDGE_METHODS) {
      const bare = await send('POST', `/api/${method}`, { authorization: `Bearer ${web.token}` });
      expect(bare.status, method).toBe(415);
      const text = await send(
        'POST',
        `/api/${method}`,
        { authorization: `Bearer ${web.token}`, 'content-type': 'text/plain' },
        '{}',
      );
      expect(text.status, method).toBe(415);
    }
    expect((await status()).paused).toBe(false);
  });
});
