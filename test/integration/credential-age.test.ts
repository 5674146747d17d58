/**
 * Credential age and replacing a credential (main/service/README.md, "Credential age"), over real HTTP against the
 * sandboxes: the vault dates each credential, Needs attention reminds to replace an old one, and a replacement for
 * the same account keeps every link, while one for another account is refused and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIAL_DATES } from '../../main/service/connections.js';
import { createService, type Service } from '../../main/service/index.js';
import { startAimfoxSandbox } from '../../main/sandbox/aimfox/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { startBed, writesOf, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
/** Other processes on the bed's profile (a restarted app, the CLI), and other sandboxes. */
const extra: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const x of extra.splice(0)) await x.close().catch(() => undefined);
  await bed?.close();
  bed = undefined;
});

const KEY = { GHL_BRIDGE_VAULT_KEY: 'f771c15a585fdac8305cfbb3d1fd1cab3b413ab7c6b004cc2683dd7e4c69c4b5' };
/** Another process on the bed's profile: the CLI, or the app started again. */
async function process2(b: Bed): Promise<Service> {
  const s = await createService({ profileDir: b.profileDir, env: KEY });
  extra.push(s);
  return s;
}
/** Another Aimfox workspace: the sandbox binds one workspace to one server, so it is another server's key and address. */
async function otherWorkspace(b: Bed, svc: Service) {
  const other = await startAimfoxSandbox({
    world: generateWorld({ seed: 99, contacts: 5 }),
    rateLimits: 200,
    admin: true,
  } as never);
  extra.push(other);
  expect(other.credentials.workspaceId).not.toBe(b.boxes.aimfox.credentials.workspaceId);
  // Only the address a new key is tried at moves (live Aimfox has one address for every workspace).
  (svc.connections as unknown as { updateCfg(f: (c: { aimfox: { baseUrl: string } }) => void): void }).updateCfg(
    (c) => (c.aimfox.baseUrl = other.baseUrl),
  );
  return other;
}

const DAY = 86_400_000;
const rotateItems = async (b: Bed) => (await b.svc.api.getStatus()).attention.filter((a) => a.kind === 'rotate');
const conn = async (b: Bed, s: 'ghl' | 'aroflo' | 'aimfox') =>
  (await b.svc.api.getConnections()).find((c) => c.system === s)!;

describe('credential age', () => {
  it('a 91-day-old Private Integration token is flagged; a token for another location is refused; a new one for the same location clears it and keeps all sync state', async () => {
    bed = await startBed({ contacts: 20 });
    await bed.run({ full: true });
    const ghl = await conn(bed, 'ghl');
    expect(ghl.storedAtKnown).toBe(true);
    expect(ghl.rotateAfterDays).toBe(90);
    expect(ghl.rotateDue).toBe(false);
    expect(await rotateItems(bed)).toEqual([]);

    // The test seam: the token was stored 91 days ago.
    await bed.svc.connections.setCredentialDate('ghl', Date.now() - 91 * DAY);
    const due = await rotateItems(bed);
    expect(due).toHaveLength(1);
    expect(due[0]!.message).toMatch(/HighLevel: the Private Integration token is 91 days old — HighLevel advises/);
    expect(due[0]!.screen).toBe('connections');

    const store = bed.svc.sync.store;
    const links = store.links.active('ghl-aroflo', 'contact').length;
    expect(links).toBeGreaterThan(0);

    // A working token, but made in another sub-account: refused, nothing changes.
    const other = bed.boxes.ghl.admin.otherLocationPrivateToken();
    await expect(bed.svc.api.replaceCredential({ system: 'ghl', token: other })).rejects.toThrow(
      /another sub-account.*Nothing was changed/,
    );
    expect(await rotateItems(bed)).toHaveLength(1);
    expect((await bed.run()).summary.status).toBe('ok');

    // Rotated in HighLevel: the old token stops working at once; the new one is swapped in.
    const fresh = bed.boxes.ghl.admin.rotatePrivateToken();
    await expect(bed.svc.api.replaceCredential({ system: 'ghl', token: 'pit-not-a-real-token' })).rejects.toThrow(
      /refused this token/,
    );
    const after = await bed.svc.api.replaceCredential({ system: 'ghl', token: fresh });
    expect(after.health).toBe('ok');
    expect(after.rotateDue).toBe(false);
    expect(Date.now() - after.storedAt!).toBeLessThan(DAY);
    expect(await rotateItems(bed)).toEqual([]);
    // Links, mappings and everything else as they were: the next sync writes nothing.
    expect(store.links.active('ghl-aroflo', 'contact')).toHaveLength(links);
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
    expect(writesOf(r.summary)).toBe(0);
  });

  it('AroFlo and Aimfox keys: reminded after the configured age; keys of another AroFlo organisation are refused', async () => {
    bed = await startBed({ contacts: 10 });
    expect((await conn(bed, 'aimfox')).rotateAfterDays).toBe(180);
    await bed.svc.connections.setCredentialDate('aimfox', Date.now() - 181 * DAY);
    expect((await rotateItems(bed)).map((a) => a.message)).toEqual([
      expect.stringMatching(/^Aimfox: the API key is 181 days old — replace it every 180 days \(Settings\)/),
    ]);
    await bed.svc.api.saveSettings({ settings: { keyRotationDays: 365 } });
    expect(await rotateItems(bed)).toEqual([]);

    const a = bed.boxes.aroflo.credentials;
    await expect(
      bed.svc.api.replaceCredential({
        system: 'aroflo',
        aroflo: { uEncoded: a.uEncoded, pEncoded: a.pEncoded, orgEncoded: `${a.orgEncoded}x`, secretKey: a.secretKey },
      }),
    ).rejects.toThrow(/another organisation.*Nothing was changed/);
    const same = await bed.svc.api.replaceCredential({
      system: 'aroflo',
      aroflo: { uEncoded: a.uEncoded, pEncoded: a.pEncoded, orgEncoded: a.orgEncoded, secretKey: a.secretKey },
    });
    expect(same.health).toBe('ok');
    const key = await bed.svc.api.replaceCredential({ system: 'aimfox', apiKey: bed.boxes.aimfox.credentials.apiKey });
    expect(key.rotateDue).toBe(false);
  });

  it('a vault stored before dates were kept: the age is counted from the first start that saw it, and marked so', async () => {
    bed = await startBed({ contacts: 10 });
    await bed.svc.vault.delete(CREDENTIAL_DATES);
    await bed.svc.connections.load();
    const ghl = await conn(bed, 'ghl');
    expect(ghl.storedAtKnown).toBe(false);
    expect(Date.now() - ghl.storedAt!).toBeLessThan(DAY);
    // Kept in the vault: the next start counts from the same day.
    await bed.svc.connections.load();
    expect((await conn(bed, 'ghl')).storedAt).toBe(ghl.storedAt);
  });

  it('a vault stored before workspaces were kept: a key of another Aimfox workspace is still refused, and a test records the workspace', async () => {
    bed = await startBed({ contacts: 10 });
    await bed.run({ full: true });
    // The vault as an earlier version left it: no dates entry, so no workspace remembered; then a fresh process.
    await bed.svc.vault.delete(CREDENTIAL_DATES);
    const svc = await process2(bed);
    const other = await otherWorkspace(bed, svc);
    await expect(svc.api.replaceCredential({ system: 'aimfox', apiKey: other.credentials.apiKey })).rejects.toThrow(
      /another Aimfox workspace/,
    );
    expect(await svc.vault.get('aimfox.apiKey')).toBe(bed.boxes.aimfox.credentials.apiKey);
    // Testing the stored key (refused above, or the Connections screen's Test) records its workspace in the vault.
    const dates = JSON.parse((await svc.vault.get(CREDENTIAL_DATES))!) as { aimfox?: { workspaceId?: string } };
    expect(dates.aimfox?.workspaceId).toBe(bed.boxes.aimfox.credentials.workspaceId);
  });

  it('a dated vault: a key of another Aimfox workspace is refused after a restart', async () => {
    bed = await startBed({ contacts: 10 });
    const svc = await process2(bed);
    const other = await otherWorkspace(bed, svc);
    await expect(svc.api.replaceCredential({ system: 'aimfox', apiKey: other.credentials.apiKey })).rejects.toThrow(
      /another Aimfox workspace/,
    );
  });

  it("a token replaced from the CLI while the app runs: the app's next credential save keeps the new token's date", async () => {
    bed = await startBed({ contacts: 10 });
    await bed.run({ full: true });
    await bed.svc.connections.setCredentialDate('ghl', Date.now() - 91 * DAY);
    const cli = await process2(bed);
    const fresh = bed.boxes.ghl.admin.rotatePrivateToken();
    expect((await cli.api.replaceCredential({ system: 'ghl', token: fresh })).rotateDue).toBe(false);
    await cli.close();
    // The app, still running, saves the Aimfox key again (Connections → Replace keys…).
    await bed.svc.api.saveAimfoxKey({ apiKey: bed.boxes.aimfox.credentials.apiKey });
    expect((await conn(bed, 'ghl')).rotateDue).toBe(false);
    // The next start reads the same.
    const later = await process2(bed);
    expect((await later.api.getConnections()).find((c) => c.system === 'ghl')!.rotateDue).toBe(false);
  });

  it('a token replaced from the CLI while the app runs: the running app syncs with the new token', async () => {
    bed = await startBed({ contacts: 10 });
    await bed.run({ full: true });
    const cli = await process2(bed);
    const fresh = bed.boxes.ghl.admin.rotatePrivateToken();
    await cli.api.replaceCredential({ system: 'ghl', token: fresh });
    await cli.close();
    const r = await bed.run();
    expect(r.summary.status).toBe('ok');
  });
});
