/**
 * Each window's calls carry the location it shows (main/service/README.md "Locations"), over real HTTP against serve
 * mode with the location hub (what `ghl-bridge serve` runs: main/cli/serve.ts): one GHL sandbox serving two locations.
 * Two clients ("tabs" of one browser, one session cookie) show different locations; tab 2 choosing B changes nothing
 * for tab 1: tab 1's mapping edit lands in A, B's events never reach tab 1's event stream, and a call naming a location
 * that is not open is refused (4xx) with nothing changed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeEvent, LocationsView, PairMapping } from '../../preload/contract.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { createService } from '../../main/service/index.js';
import { openLocationHub, type LocationHub } from '../../main/service/location-hub.js';
import { ProfileLocations } from '../../main/service/locations.js';
import { startWebServer, type WebServer } from '../../main/web/server.js';

const env = { GHL_BRIDGE_VAULT_KEY: '5d2b8a1c9e0f4a6b8c0d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a0b2c4d6e8f0a1b' };
let tmp: string;
let ghl: Awaited<ReturnType<typeof startGhlSandbox>>;
let hub: LocationHub;
let web: WebServer;
let cookie: string;
let idA: string;
let idB: string;

/** One browser tab: the calls it makes name the location it shows, as the window's API client does. */
class Tab {
  location: string | undefined;
  readonly events: BridgeEvent[] = [];
  private abort?: AbortController;

  async call<T = unknown>(method: string, arg: unknown = {}, location = this.location): Promise<T> {
    const res = await this.raw(method, arg, location);
    const body = (await res.json()) as T & { error?: { message: string } };
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${body.error?.message ?? ''}`);
    return body;
  }

  raw(method: string, arg: unknown, location = this.location): Promise<Response> {
    const q = location === undefined ? '' : `?location=${encodeURIComponent(location)}`;
    return fetch(`${web.origin}/api/${method}${q}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(arg),
    });
  }

  /** Opens the page: learns the location a new tab shows (the one last chosen) and opens its event stream. */
  async open(): Promise<void> {
    this.location = (await this.call<LocationsView>('listLocations', {}, undefined)).current;
    await this.listen();
  }

  async choose(id: string): Promise<void> {
    this.location = (await this.call<LocationsView>('switchLocation', { id })).current;
    await this.listen();
  }

  /** Reads the SSE stream into `events` (one `data:` line per event). */
  private async listen(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const res = await fetch(`${web.origin}/api/events?location=${encodeURIComponent(this.location!)}`, {
      headers: { cookie },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buf = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buf += decoder.decode(value, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            for (const line of frame.split('\n'))
              if (line.startsWith('data: ')) this.events.push(JSON.parse(line.slice(6)) as BridgeEvent);
          }
        }
      } catch {
        /* aborted */
      }
    })();
  }

  close(): void {
    this.abort?.abort();
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const noteMatch = async (svc: { api: { getMappings(): Promise<PairMapping[]> } }) =>
  (await svc.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!.noteToTask?.match;
const rule = (match: string) => ({ enabled: false, match, titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 });

beforeAll(async () => {
  ghl = await startGhlSandbox({
    world: generateWorld({ seed: 71, contacts: 4 }),
    rateLimits: 'real',
    admin: true,
    extraLocations: [{ name: 'Bay Electrical', world: generateWorld({ seed: 72, contacts: 3 }) }],
  });
  tmp = mkdtempSync(join(tmpdir(), 'ghlb-serve-locations-'));
  const root = join(tmp, 'profile');
  const a = await createService({ profileDir: root, env, create: true });
  a.connections.setEndpoints({ ghl: ghl.baseUrl, ghlAuthorize: ghl.credentials.oauth.authorizeUrl });
  await a.api.saveGhlPrivateToken({ token: ghl.credentials.privateToken, locationId: ghl.credentials.locationId });
  await a.close();
  const registry = new ProfileLocations(root, { env });
  const bay = ghl.credentials.locations[1]!;
  await registry.addWithPrivateToken({ token: bay.privateToken, locationId: bay.locationId });
  idA = ghl.credentials.locationId;
  idB = bay.locationId;

  const staticDir = join(tmp, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GHL Bridge</title>');
  hub = await openLocationHub(registry, {});
  web = await startWebServer({ service: hub, staticDir });
  const res = await fetch(web.launchUrl(), { redirect: 'manual' });
  cookie = String(res.headers.get('set-cookie')).split(';')[0]!;
}, 120_000);

afterAll(async () => {
  await web?.close();
  await hub?.close();
  await ghl?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('two tabs on one serve, each showing its own location', () => {
  const tab1 = new Tab();
  const tab2 = new Tab();
  afterAll(() => {
    tab1.close();
    tab2.close();
  });

  it('a new tab opens the location last chosen; choosing another in tab 2 leaves tab 1 where it is', async () => {
    await tab1.open();
    expect(tab1.location).toBe(idA);
    await tab2.open();
    await tab2.choose(idB);
    expect(tab2.location).toBe(idB);
    // Tab 1 still shows A, and every call it makes says so.
    expect((await tab1.call<LocationsView>('listLocations')).current).toBe(idA);
    expect((await tab2.call<LocationsView>('listLocations')).current).toBe(idB);
    // The default for a tab opened now is the one last chosen (B).
    const tab3 = new Tab();
    await tab3.open();
    expect(tab3.location).toBe(idB);
    tab3.close();
  });

  it("tab 1's mapping edit lands in A, not in B which tab 2 chose since", async () => {
    const [a, b] = [hub.services().get(idA)!, hub.services().get(idB)!];
    const beforeB = await noteMatch(b);
    const m = structuredClone(
      (await tab1.call<PairMapping[]>('getMappings')).find((x) => x.pair === 'ghl-aroflo')!,
    ) as PairMapping;
    m.noteToTask = rule('saved-from-tab-1');
    await tab1.call('saveMapping', { mapping: m });
    expect(await noteMatch(a)).toBe('saved-from-tab-1');
    expect(await noteMatch(b)).toBe(beforeB);
    // Read back through each tab: each sees its own location's mapping.
    const seen = async (t: Tab) =>
      (await t.call<PairMapping[]>('getMappings')).find((x) => x.pair === 'ghl-aroflo')!.noteToTask?.match;
    expect(await seen(tab1)).toBe('saved-from-tab-1');
    expect(await seen(tab2)).toBe(beforeB);
  });

  it("B's events reach tab 2's stream and never tab 1's", async () => {
    tab1.events.length = 0;
    tab2.events.length = 0;
    // Pausing B publishes B's status (paused) to B's listeners.
    await tab2.call('pause');
    await until("tab 2 to hear B's pause", () => tab2.events.some((e) => e.type === 'status' && e.status.paused));
    // Then an event of A: tab 1's stream delivers in order, so anything of B's would have come before it.
    await tab1.call('saveSettings', { settings: {} });
    await until("tab 1 to hear A's status", () => tab1.events.some((e) => e.type === 'status'));
    expect(tab1.events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status.paused)).toEqual([
      false,
    ]);
    expect(tab1.events.some((e) => e.type === 'location')).toBe(false);
    // And A's event did not reach tab 2.
    expect(tab2.events.filter((e) => e.type === 'status').every((e) => e.type === 'status' && e.status.paused)).toBe(
      true,
    );
    expect((await hub.services().get(idA)!.api.getStatus()).paused).toBe(false);
    await tab2.call('resume');
  });

  it('a call naming a location that is not open is a clear 4xx and changes nothing', async () => {
    const a = hub.services().get(idA)!;
    const b = hub.services().get(idB)!;
    const before = [await noteMatch(a), await noteMatch(b)];
    const m = structuredClone((await a.api.getMappings()).find((x) => x.pair === 'ghl-aroflo')!) as PairMapping;
    m.noteToTask = rule('lost');
    const res = await tab1.raw('saveMapping', { mapping: m }, 'no-such-location');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { kind: string; message: string } };
    expect(body.error.kind).toBe('no_location');
    expect(body.error.message).toMatch(/no-such-location/);
    expect(body.error.message).toMatch(/not open/);
    expect([await noteMatch(a), await noteMatch(b)]).toEqual(before);
    // Nor does it open an event stream, or choose a location for new tabs.
    const events = await fetch(`${web.origin}/api/events?location=no-such-location`, { headers: { cookie } });
    expect(events.status).toBe(404);
    expect((await tab1.raw('pause', {}, 'no-such-location')).status).toBe(404);
    expect((await a.api.getStatus()).paused).toBe(false);
    expect((await b.api.getStatus()).paused).toBe(false);
    // A location given twice is not a location.
    const twice = await fetch(`${web.origin}/api/getStatus?location=${idA}&location=${idB}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(twice.status).toBe(400);
  });
});
