/**
 * Side by side (issue 15): the same full read of one location's contacts, tasks and notes, by a script on the official
 * SDK (`@gohighlevel/api-client` 3.1.0, a devDependency) written the careful way — sequential, its own 429 retry on —
 * and by the bridge's connector (its pacer, GHL_CONCURRENCY callers, the location task search). The GHL sandbox runs in
 * a child process with every answer taking `latencyMs` (200 ms at real scale) and the rate limits time-scaled like the
 * rest of the bench; times are printed at that scale and at real scale (× scale).
 *
 * The SDK has no option for its host: its axios instance takes `HighLevel.BASE_URL` (a static, read by the
 * constructor — dist/lib/HighLevel.js), so the script sets that static to the sandbox before it builds the client.
 */
import { performance } from 'node:perf_hooks';
import { GhlClient, PrivateIntegrationAuth } from '../../main/connectors/ghl/index.js';
import { GHL_CONCURRENCY, mapLimit } from '../../main/sync/sides/concurrency.js';
import { Admin, statsDiff } from './admin.js';
import { startRemoteSandboxes } from './sandbox-child.js';

export interface ReadFigures {
  ms: number;
  calls: number;
  rateLimited: number;
  contacts: number;
  tasks: number;
  notes: number;
  error?: string;
}

export interface SdkReport {
  contacts: number;
  scale: number;
  latencyMs: number;
  truth: { contacts: number; tasks: number; notes: number };
  sdk: ReadFigures;
  bridge: ReadFigures;
}

interface SdkContact {
  id: string;
  searchAfter?: unknown[];
}
interface SdkClient {
  contacts: {
    searchContactsAdvanced(body: Record<string, unknown>): Promise<{ contacts: SdkContact[] }>;
    getAllTasks(p: { contactId: string }): Promise<{ tasks: unknown[] }>;
    getAllNotes(p: { contactId: string }): Promise<{ notes: unknown[] }>;
  };
}
type SdkModule = {
  HighLevel: { BASE_URL: string; new (config: Record<string, unknown>): SdkClient };
};

/** The SDK as installed (package.json devDependencies); GHL_SDK_DIR points at another install when given. */
async function loadSdk(): Promise<SdkModule> {
  const dir = process.env.GHL_SDK_DIR;
  const mod = (await import(
    dir ? `${dir}/node_modules/@gohighlevel/api-client/dist/index.js` : '@gohighlevel/api-client'
  )) as SdkModule | { default: SdkModule };
  return 'HighLevel' in mod ? mod : mod.default;
}

export async function runSdkSideBySide(opts: {
  contacts: number;
  seed: number;
  scale: number;
  latencyMs: number;
  log: (s: string) => void;
}): Promise<SdkReport> {
  const remote = await startRemoteSandboxes({
    seed: opts.seed,
    contacts: opts.contacts,
    scale: opts.scale,
    latencyMs: opts.latencyMs / opts.scale,
  });
  const admin = new Admin(remote.hello);
  const g = remote.hello.ghl;
  try {
    const all = await admin.call<{ contacts: Array<{ id: string }> }>('ghl', 'GET', '/contacts');
    const tasks = await admin.call<{ tasks: unknown[] }>('ghl', 'GET', '/tasks');
    let notes = 0;
    for (const c of all.contacts)
      notes += (await admin.call<{ notes: unknown[] }>('ghl', 'GET', `/contacts/${encodeURIComponent(c.id)}/notes`))
        .notes.length;
    const truth = { contacts: all.contacts.length, tasks: tasks.tasks.length, notes };
    opts.log(`  truth: ${truth.contacts} contacts, ${truth.tasks} tasks, ${truth.notes} notes`);

    const measure = async (read: () => Promise<Omit<ReadFigures, 'ms' | 'calls' | 'rateLimited'>>) => {
      const before = await admin.stats();
      const t0 = performance.now();
      let got: Omit<ReadFigures, 'ms' | 'calls' | 'rateLimited'>;
      try {
        got = await read();
      } catch (e) {
        got = { contacts: 0, tasks: 0, notes: 0, error: (e as Error).message };
      }
      const ms = performance.now() - t0;
      const d = statsDiff(before, await admin.stats()).ghl;
      return { ms, calls: d.requests, rateLimited: d.rateLimited, ...got };
    };

    // The SDK, the careful way: one request at a time, its 429 retry on.
    const { HighLevel } = await loadSdk();
    HighLevel.BASE_URL = g.baseUrl.replace(/\/+$/, '');
    const sdk = new HighLevel({ privateIntegrationToken: g.credentials.privateToken, rateLimitRetry: true });
    const sdkRead = await measure(async () => {
      const ids: string[] = [];
      let after: unknown[] | undefined;
      for (;;) {
        const page = await sdk.contacts.searchContactsAdvanced({
          locationId: g.credentials.locationId,
          pageLimit: 500,
          ...(after ? { searchAfter: after } : {}),
        });
        ids.push(...page.contacts.map((c) => c.id));
        if (page.contacts.length < 500) break;
        after = page.contacts[page.contacts.length - 1]!.searchAfter;
      }
      let t = 0;
      let n = 0;
      for (const contactId of ids) {
        t += (await sdk.contacts.getAllTasks({ contactId })).tasks.length;
        n += (await sdk.contacts.getAllNotes({ contactId })).notes.length;
      }
      return { contacts: ids.length, tasks: t, notes: n };
    });
    opts.log(`  SDK script: ${(sdkRead.ms / 1000).toFixed(1)} s, ${sdkRead.calls} calls, ${sdkRead.rateLimited} × 429`);

    // One after the other on the same location's bucket: let the SDK's last burst window pass first (HighLevel's
    // 100 requests / 10 s, time-scaled), so neither starts in a window the other filled.
    await new Promise((r) => setTimeout(r, (2 * 10_000) / opts.scale));
    // The bridge: its connector as the sync uses it (pacer, concurrency, the location task search).
    const bridge = new GhlClient({
      baseUrl: g.baseUrl,
      auth: new PrivateIntegrationAuth(g.credentials.privateToken),
      locationId: g.credentials.locationId,
      rateLimits: { timeScale: opts.scale },
    });
    const bridgeRead = await measure(async () => {
      const ids: string[] = [];
      for await (const page of bridge.scanContacts({ pageLimit: 500 })) ids.push(...page.items.map((c) => c.id));
      let t = 0;
      for await (const page of bridge.scanTasks({})) t += page.items.length;
      const lists = await mapLimit(ids, GHL_CONCURRENCY, (id) => bridge.notes.list(id));
      return { contacts: ids.length, tasks: t, notes: lists.reduce((a, l) => a + l.items.length, 0) };
    });
    opts.log(
      `  bridge: ${(bridgeRead.ms / 1000).toFixed(1)} s, ${bridgeRead.calls} calls, ${bridgeRead.rateLimited} × 429`,
    );
    return {
      contacts: opts.contacts,
      scale: opts.scale,
      latencyMs: opts.latencyMs,
      truth,
      sdk: sdkRead,
      bridge: bridgeRead,
    };
  } finally {
    await remote.close();
  }
}

export function sdkBlock(r: SdkReport): string[] {
  const row = (name: string, f: ReadFigures) =>
    `  ${name.padEnd(34)} ${(f.ms / 1000).toFixed(1).padStart(7)} s (${((f.ms * r.scale) / 60_000).toFixed(1)} min at real scale)  ${String(f.calls).padStart(6)} calls  ${f.rateLimited} × 429  read ${f.contacts}/${r.truth.contacts} contacts, ${f.tasks}/${r.truth.tasks} tasks, ${f.notes}/${r.truth.notes} notes${f.error ? `  FAILED: ${f.error.slice(0, 120)}` : ''}`;
  const speed = r.bridge.ms > 0 ? r.sdk.ms / r.bridge.ms : 0;
  return [
    `== SDK side by side: one full read of contacts + tasks + notes, ${r.truth.contacts} contacts, each answer ${r.latencyMs} ms (real scale; limits and latency ÷${r.scale})`,
    row('@gohighlevel/api-client 3.1.0 (sequential, 429 retry on)', r.sdk),
    row('the bridge (pacer, task search)', r.bridge),
    `  the bridge is ${speed.toFixed(1)}× faster with ${r.sdk.calls - r.bridge.calls} fewer calls (target ≥ 2×, fewer calls, no 429s)`,
  ];
}
