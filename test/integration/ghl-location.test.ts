/**
 * The HighLevel location through the connector, over real HTTP against the GHL sandbox (main/connectors/ghl/README.md,
 * "The location"): its country and time zone, and a refusal that makes the run fall back to AU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhlClient, PrivateIntegrationAuth } from '../../main/connectors/ghl/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { defaultMapping } from '../../main/sync/engine/mapping.js';
import { LocationReads, runTransformEnv } from '../../main/sync/sides/env.js';

let sb: Awaited<ReturnType<typeof startGhlSandbox>>;
const client = (locationId: string) =>
  new GhlClient({
    baseUrl: sb.baseUrl,
    auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
    locationId,
    rateLimits: { timeScale: 50 },
  });

beforeAll(async () => {
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 11, contacts: 20 }),
    port: 0,
    rateLimits: 50,
    admin: true,
  });
});
afterAll(async () => sb?.close());

describe('getLocation', () => {
  it("reads the location's country and time zone", async () => {
    sb.admin.setLocation({ country: 'NZ', timezone: 'Pacific/Auckland' });
    const l = await client(sb.credentials.locationId).getLocation();
    expect(l).toMatchObject({ id: sb.credentials.locationId, country: 'NZ', timezone: 'Pacific/Auckland' });
    const r = await runTransformEnv(
      defaultMapping('ghl-aroflo'),
      new LocationReads(client(sb.credentials.locationId), { warn: () => undefined }),
    );
    expect([r.env.country, r.env.timeZone, r.source]).toEqual(['NZ', 'Pacific/Auckland', 'location']);
  });

  it('a location the token may not read is refused as a scope error, and the run falls back to AU', async () => {
    const other = client(sb.credentials.otherLocationId);
    const e = await other.getLocation().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).kind).toBe('scope');
    const warned: string[] = [];
    const r = await runTransformEnv(
      defaultMapping('ghl-aroflo'),
      new LocationReads(other, { warn: (m) => warned.push(m) }),
    );
    expect([r.env.country, r.source]).toEqual(['AU', 'fallback']);
    expect(warned).toHaveLength(1);
  });
});
