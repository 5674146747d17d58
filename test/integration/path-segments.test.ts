/**
 * Ids become URL path segments in the GHL and Aimfox clients. "." and ".." are dot segments (the URL parser turns
 * `/contacts/..` into `/`, another endpoint) and an empty id addresses the collection instead of a record: each is
 * refused with a typed ConnectorError (rejected) before any request reaches the service — checked against the
 * sandboxes over real HTTP by their request counters. AroFlo builds no paths from ids (one endpoint, ids travel in
 * the signed query or the XML body), so it has nothing to refuse here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhlClient, PrivateIntegrationAuth } from '../../main/connectors/ghl/index.js';
import { AimfoxClient } from '../../main/connectors/aimfox/index.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { startAimfoxSandbox } from '../../main/sandbox/aimfox/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

let ghlBox: Awaited<ReturnType<typeof startGhlSandbox>>;
let aimfoxBox: Awaited<ReturnType<typeof startAimfoxSandbox>>;
let ghl: GhlClient;
let aimfox: AimfoxClient;

beforeAll(async () => {
  const world = generateWorld({ seed: 5, contacts: 5 });
  ghlBox = await startGhlSandbox({ world, port: 0, rateLimits: 'off' });
  aimfoxBox = await startAimfoxSandbox({ world, port: 0, rateLimits: 'off' });
  ghl = new GhlClient({
    baseUrl: ghlBox.baseUrl,
    auth: new PrivateIntegrationAuth(ghlBox.credentials.privateToken),
    locationId: ghlBox.credentials.locationId,
  });
  aimfox = new AimfoxClient({ baseUrl: aimfoxBox.baseUrl, apiKey: aimfoxBox.credentials.apiKey });
});

afterAll(async () => {
  await ghlBox?.close();
  await aimfoxBox?.close();
});

async function refusedBeforeSending(
  call: () => Promise<unknown>,
  requests: () => number,
  label: string,
): Promise<void> {
  const before = requests();
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, label).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).kind, label).toBe('rejected');
  expect((err as ConnectorError).message, label).toMatch(/nothing was sent/);
  expect(requests(), label).toBe(before);
}

const BAD = ['.', '..', ''];

describe('ids that are not path segments', () => {
  it('GHL: contacts, tasks and notes refuse ".", ".." and "" before a request goes out', async () => {
    const count = () => ghlBox.stats().requests;
    for (const bad of BAD) {
      await refusedBeforeSending(() => ghl.getContact(bad), count, `getContact ${bad}`);
      await refusedBeforeSending(() => ghl.updateContact(bad, { firstName: 'X' }), count, `updateContact ${bad}`);
      await refusedBeforeSending(() => ghl.deleteContact(bad), count, `deleteContact ${bad}`);
      await refusedBeforeSending(() => ghl.addTags(bad, ['x']), count, `addTags ${bad}`);
      await refusedBeforeSending(() => ghl.tasks.list(bad), count, `tasks.list ${bad}`);
      await refusedBeforeSending(() => ghl.tasks.delete('c1', bad), count, `tasks.delete ${bad}`);
      await refusedBeforeSending(() => ghl.notes.get('c1', bad), count, `notes.get ${bad}`);
      await refusedBeforeSending(() => ghl.notes.delete(bad, 'n1'), count, `notes.delete ${bad}`);
    }
    // A real id still goes through.
    const first = (await ghl.searchContacts({ pageLimit: 1 })).items[0]!;
    expect((await ghl.getContact(first.id)).id).toBe(first.id);
  });

  it('Aimfox: campaigns, labels and notes refuse ".", ".." and "" before a request goes out', async () => {
    const count = () => aimfoxBox.stats().requests;
    for (const bad of BAD) {
      await refusedBeforeSending(() => aimfox.getCampaign(bad), count, `getCampaign ${bad}`);
      await refusedBeforeSending(() => aimfox.deleteLabel(bad), count, `deleteLabel ${bad}`);
      await refusedBeforeSending(() => aimfox.updateLabel(bad, { name: 'x' }), count, `updateLabel ${bad}`);
      await refusedBeforeSending(() => aimfox.deleteNote('123', bad), count, `deleteNote ${bad}`);
      await refusedBeforeSending(() => aimfox.removeFromAudience(bad, 'someone'), count, `removeFromAudience ${bad}`);
    }
  });
});
