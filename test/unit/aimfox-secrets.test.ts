import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AimfoxClient } from '../../main/connectors/aimfox/index.js';
import type { ConnectorError } from '../../main/connectors/shared/errors.js';

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

describe('the API key never travels inside errors', () => {
  it('a connection failure (retried, then raised) carries no trace of the key, in the error or in onAttempt', async () => {
    const key = 'sk-aimfox-VERY-SECRET-0123456789';
    const seen: ConnectorError[] = [];
    const port = await closedPort();
    const client = new AimfoxClient({
      baseUrl: `http://127.0.0.1:${port}/api/v2`,
      apiKey: key,
      sleep: async () => undefined,
      onAttempt: (info) => {
        if (info.error) seen.push(info.error);
      },
    });
    const error = await client.listLabels().then(
      () => undefined,
      (e: unknown) => e as ConnectorError,
    );
    expect(error?.kind).toBe('network');
    expect(error?.message).toMatch(/Could not reach Aimfox/);
    expect(seen.length).toBe(5); // a read: retried up to the attempt limit
    for (const e of [error, ...seen]) expect(inspect(e, { depth: 10, showHidden: true })).not.toContain(key);
  });
});
