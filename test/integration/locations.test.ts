/**
 * Several locations in one profile (README "Several locations"; main/service/locations.ts): one GHL sandbox serving two
 * sub-accounts, each paired with its own AroFlo sandbox. Both sync (at the same time), no record crosses from one
 * location to the other, each keeps its own conflicts and pacing files, and removing a location removes its data only
 * after confirmation. Everything over real HTTP against main/sandbox.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import got from 'got';
import type { PairMapping } from '../../preload/contract.js';
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { createService, type Service } from '../../main/service/index.js';
import { LocationError, ProfileLocations } from '../../main/service/locations.js';
import { consentForm } from '../support/consent-page.js';
import { freePort } from '../support/ports.js';

const env = { GHL_BRIDGE_VAULT_KEY: 'f771c15a585fdac8305cfbb3d1fd1cab3b413ab7c6b004cc2683dd7e4c69c4b5' };
const worldA = generateWorld({ seed: 31, contacts: 14 });
const worldB = generateWorld({ seed: 32, contacts: 11 });

let ghl: Awaited<ReturnType<typeof startGhlSandbox>>;
let arofloA: Awaited<ReturnType<typeof startArofloSandbox>>;
let arofloB: Awaited<ReturnType<typeof startArofloSandbox>>;
let root: string;
let registry: ProfileLocations;
let a: Service;
let b: Service;
let idB: string;
let redirectUri: string;

/** Point a location at its AroFlo, sign it in, and turn on its HighLevel ⇄ AroFlo pair (as a person would). */
async function pairWithAroflo(svc: Service, box: typeof arofloA): Promise<void> {
  svc.connections.setEndpoints({ aroflo: box.baseUrl });
  const c = box.credentials;
  await svc.api.saveArofloCredentials({
    uEncoded: c.uEncoded,
    pEncoded: c.pEncoded,
    orgEncoded: c.orgEncoded,
    secretKey: c.secretKey,
  });
  const m = structuredClone((await svc.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!) as PairMapping;
  m.defaults = {
    ...m.defaults,
    arofloBusinessUnitId: c.businessUnits[0]?.orgid,
    arofloTaskTypeId: c.taskTypes[0]?.tasktypeid,
  };
  await svc.api.saveMapping({ mapping: m });
  await svc.api.previewMapping({ pair: 'ghl-aroflo' });
  await svc.api.setSyncEnabled({ pair: 'ghl-aroflo', enabled: true });
}

const run = (svc: Service) => svc.sync.execute({ trigger: 'cli', dryRun: false });

beforeAll(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`;
  ghl = await startGhlSandbox({
    world: worldA,
    rateLimits: 'real',
    admin: true,
    redirectUris: [redirectUri],
    extraLocations: [{ name: 'Bay Electrical', world: worldB }],
  });
  arofloA = await startArofloSandbox({ world: worldA, rateLimits: 'real', admin: true });
  arofloB = await startArofloSandbox({ world: worldB, rateLimits: 'real', admin: true });
  root = mkdtempSync(join(tmpdir(), 'ghlb-locations-'));
  // The first location is the profile itself, set up exactly as a one-location desktop is.
  a = await createService({ profileDir: root, env });
  a.connections.setEndpoints({ ghl: ghl.baseUrl, ghlAuthorize: ghl.credentials.oauth.authorizeUrl });
  await a.api.saveGhlPrivateToken({ token: ghl.credentials.privateToken, locationId: ghl.credentials.locationId });
  await pairWithAroflo(a, arofloA);
  // The second: added with its own Private Integration token; its name comes from HighLevel.
  registry = new ProfileLocations(root, { env });
  const bay = ghl.credentials.locations[1]!;
  const added = await registry.addWithPrivateToken({ token: bay.privateToken, locationId: bay.locationId });
  expect(added).toEqual({ id: bay.locationId, name: 'Bay Electrical', primary: false });
  idB = bay.locationId;
  b = (await registry.open(idB)) as Service;
  await pairWithAroflo(b, arofloB);
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close().catch(() => undefined);
  await Promise.all([ghl?.close(), arofloA?.close(), arofloB?.close()]);
  rmSync(root, { recursive: true, force: true });
});

describe('two locations in one profile', () => {
  it('lists both, the profile root first; refuses to add one already there', async () => {
    const all = await registry.list();
    expect(all.map((l) => [l.id, l.primary])).toEqual([
      [ghl.credentials.locationId, true],
      [idB, false],
    ]);
    expect(registry.resolve('bay electrical').location.id).toBe(idB);
    await expect(
      registry.addWithPrivateToken({ token: ghl.credentials.locations[1]!.privateToken, locationId: idB }),
    ).rejects.toThrow(/already in this profile/);
  });

  it('a location cannot be signed into another HighLevel location (two folders would sync one); nothing changes', async () => {
    // The Connections screen of "Bay Electrical" with the first location's token and id pasted, and the reverse.
    await expect(
      b.api.saveGhlPrivateToken({ token: ghl.credentials.privateToken, locationId: ghl.credentials.locationId }),
    ).rejects.toThrow(/this location is Bay Electrical .*Add it as a new location instead/);
    await expect(
      a.api.saveGhlPrivateToken({ token: ghl.credentials.locations[1]!.privateToken, locationId: idB }),
    ).rejects.toThrow(/Add it as a new location instead/);
    expect(b.config.read().connections.ghl.locationId).toBe(idB);
    expect(a.config.read().connections.ghl.locationId).toBe(ghl.credentials.locationId);
    // Signing in again to its own location still works.
    await b.api.saveGhlPrivateToken({ token: ghl.credentials.locations[1]!.privateToken, locationId: idB });
  });

  it('both sync at once, and no record crosses from one location to the other', async () => {
    const [ra, rb] = await Promise.all([run(a), run(b)]);
    expect(ra.summary.status).toBe('ok');
    expect(rb.summary.status).toBe('ok');
    expect(ra.summary.created.contact).toBeGreaterThan(0);
    expect(rb.summary.created.contact).toBeGreaterThan(0);

    const ghlIds = (locationId: string) => new Set(ghl.admin.listContacts(locationId).map((c) => c.id));
    const inA = ghlIds(ghl.credentials.locationId);
    const inB = ghlIds(idB);
    const clientsA = new Set(arofloA.admin.listClients().map((c) => c.clientid));
    const clientsB = new Set(arofloB.admin.listClients().map((c) => c.clientid));
    const check = (svc: Service, ghlSide: Set<string>, arofloSide: Set<string>, label: string) => {
      const links = svc.sync.store.links.active('ghl-aroflo', 'contact');
      expect(links.length, label).toBeGreaterThan(0);
      for (const l of links) {
        expect(ghlSide.has(l.ghl_id!), `${label}: GHL ${l.ghl_id} is in its own location`).toBe(true);
        expect(arofloSide.has(l.other_id!.split(':')[1]!), `${label}: AroFlo ${l.other_id} is in its own AroFlo`).toBe(
          true,
        );
      }
    };
    check(a, inA, clientsA, 'first location');
    check(b, inB, clientsB, 'second location');
    // The names each AroFlo holds come from its own location's people only.
    const namesOf = (w: typeof worldA) => new Set(w.people.map((p) => `${p.firstName} ${p.lastName}`.toLowerCase()));
    const onlyB = [...namesOf(worldB)].filter((n) => !namesOf(worldA).has(n));
    const inArofloA = new Set(arofloA.admin.listClients().map((c) => `${c.firstname} ${c.surname}`.toLowerCase()));
    expect(onlyB.filter((n) => inArofloA.has(n))).toEqual([]);
  }, 120_000);

  it('each location has its own conflicts, pacing files and request budget', async () => {
    await Promise.all([run(a), run(b)]);
    const link = b.sync.store.links.active('ghl-aroflo', 'contact').find((l) => l.other_kind === 'client')!;
    expect(link).toBeTruthy();
    const clientId = link.other_id!.split(':')[1]!;
    ghl.admin.updateContact(link.ghl_id!, { firstName: 'FromGHL' });
    arofloB.admin.updateClient(clientId, {
      firstname: 'FromAroFlo',
      clientname: `FromAroFlo ${arofloB.admin.getClient(clientId)!.surname}`,
    });
    const before = (await a.api.getStatus()).connections.find((c) => c.system === 'ghl');
    const rb = await run(b);
    expect(rb.summary.conflicts).toBe(1);
    expect((await b.api.listConflicts({})).total).toBe(1);
    expect((await a.api.listConflicts({})).total).toBe(0);
    // The first location's HighLevel budget did not pay for the second's run.
    const after = (await a.api.getStatus()).connections.find((c) => c.system === 'ghl');
    expect(before?.quota?.length).toBeGreaterThan(0);
    expect(after?.quota).toEqual(before?.quota);
    // Pace-share files under each location's own folder.
    expect(readdirSync(join(root, 'pacing')).sort()).toEqual(expect.arrayContaining(['aroflo.json', 'ghl.json']));
    expect(readdirSync(join(registry.dirOf(idB), 'pacing')).sort()).toEqual(
      expect.arrayContaining(['aroflo.json', 'ghl.json']),
    );
  }, 120_000);

  it('removing a location needs confirmation, then removes its data and only its data', async () => {
    const dirB = registry.dirOf(idB);
    await b.close();
    await expect(registry.remove(idB, false)).rejects.toThrow(LocationError);
    expect(existsSync(join(dirB, 'ghl-bridge.db'))).toBe(true);
    await expect(registry.remove(ghl.credentials.locationId, true)).rejects.toThrow(/first location/);
    await registry.remove('Bay Electrical', true);
    expect(existsSync(dirB)).toBe(false);
    expect((await registry.list()).map((l) => l.id)).toEqual([ghl.credentials.locationId]);
    // The first location is untouched: its links and history are all there.
    expect(a.sync.store.links.active('ghl-aroflo', 'contact').length).toBeGreaterThan(0);
    expect((await a.api.listRuns({})).length).toBeGreaterThan(0);
  });
});

/** The agency's browser on the consent page: choose the agency, Allow, follow the redirect to the loopback listener. */
async function agencyBrowser(url: string): Promise<void> {
  const page = await got(url, { throwHttpErrors: false });
  const { action, fields, options } = consentForm(page.body);
  expect(options).toContain('__company');
  const res = await got.post(new URL(action, url).toString(), {
    form: { ...fields, locationId: '__company', decision: 'allow' },
    followRedirect: false,
    throwHttpErrors: false,
  });
  await got(res.headers.location as string, { throwHttpErrors: false });
}

describe('locations from an agency install', () => {
  it('the agency signs in once; every installed location is added with its own minted token; again adds none', async () => {
    const root2 = mkdtempSync(join(tmpdir(), 'ghlb-agency-'));
    try {
      const svc = await createService({ profileDir: root2, env });
      svc.connections.setEndpoints({ ghl: ghl.baseUrl, ghlAuthorize: ghl.credentials.oauth.authorizeUrl });
      await svc.api.saveGhlOAuthApp({
        clientId: ghl.credentials.oauth.clientId,
        clientSecret: ghl.credentials.oauth.clientSecret,
        redirectUri,
      });
      await svc.close();
      const agency = new ProfileLocations(root2, { env });
      const first = await agency.addFromAgency({ openBrowser: agencyBrowser });
      expect(first.failed).toEqual([]);
      // Every sub-account of the company (the sandbox's main one, its second and the extra one).
      expect(first.added.map((l) => l.name).sort()).toEqual([
        'Bay Electrical',
        'Harbour Plumbing & Electrical',
        'Harbour Plumbing & Electrical — Geelong',
      ]);
      // Each added location reads its own HighLevel location with its own (OAuth) token.
      for (const l of first.added) {
        const s = (await agency.open(l.id)) as Service;
        try {
          expect(s.config.read().connections.ghl).toMatchObject({ mode: 'oauth', locationId: l.id });
          expect((await s.api.testConnection({ system: 'ghl' })).health).toBe('ok');
          expect(await s.connections.ghlLocationName()).toBe(l.name);
        } finally {
          await s.close();
        }
      }
      const again = await agency.addFromAgency({ openBrowser: agencyBrowser });
      expect(again.added).toEqual([]);
      expect(again.skipped.map((l) => l.id).sort()).toEqual(first.added.map((l) => l.id).sort());
    } finally {
      rmSync(root2, { recursive: true, force: true });
    }
  }, 120_000);
});
