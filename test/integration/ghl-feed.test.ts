/**
 * The contact change feed (POST /contacts/search sorted by dateUpdated, searchAfter cursor, checkpoint + overlap)
 * against the sandbox with a search index that lags writes. The sandbox clock is injected so the lag is exact.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GhlClient,
  PrivateIntegrationAuth,
  parseCheckpoint,
  type GhlContact,
  type GhlScanCheckpoint,
} from '../../main/connectors/ghl/index.js';
import { startGhlSandbox } from '../../main/sandbox/ghl/index.js';
import { generateWorld } from '../../main/sandbox/world.js';

type Sandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
const LAG_MS = 3000;
const START = Date.parse('2026-11-01T00:00:00.000Z');
let sb: Sandbox;
let ghl: GhlClient;
let now = START;

beforeAll(async () => {
  sb = await startGhlSandbox({
    world: generateWorld({ seed: 3, contacts: 260 }),
    port: 0,
    rateLimits: 'off',
    admin: true,
    searchLagMs: LAG_MS,
    now: () => now,
  });
  ghl = new GhlClient({
    baseUrl: sb.baseUrl,
    auth: new PrivateIntegrationAuth(sb.credentials.privateToken),
    locationId: sb.credentials.locationId,
  });
});
afterAll(async () => sb?.close());
beforeEach(() => {
  now = START;
  sb.reset();
});

/** Run one scan to the end; `between` runs after each page (edits "during the scan"). */
async function scan(
  opts: Parameters<GhlClient['scanContacts']>[0],
  between?: (page: number, items: GhlContact[]) => void,
) {
  const seen: GhlContact[] = [];
  let checkpoint: GhlScanCheckpoint | undefined;
  let pages = 0;
  for await (const page of ghl.scanContacts(opts)) {
    expect(page.rejected).toEqual([]);
    seen.push(...page.items);
    checkpoint = page.checkpoint;
    pages++;
    between?.(pages, page.items);
    expect(pages).toBeLessThan(100);
  }
  return { seen, checkpoint, pages };
}

const ms = (iso: string | null): number => Date.parse(iso ?? '');

describe('change feed', () => {
  it('a full scan reads every contact once, oldest change first, and ends with a checkpoint at the newest', async () => {
    const { seen, checkpoint } = await scan({ pageLimit: 50 });
    const all = sb.admin.listContacts();
    expect(seen.length).toBe(all.length);
    expect(new Set(seen.map((c) => c.id)).size).toBe(all.length);
    for (let i = 1; i < seen.length; i++)
      expect(ms(seen[i]!.dateUpdated)).toBeGreaterThanOrEqual(ms(seen[i - 1]!.dateUpdated));
    const last = seen.at(-1)!;
    expect(checkpoint).toEqual({ v: 1, dateUpdatedMs: ms(last.dateUpdated), id: last.id });
  });

  it('resumes from a stored checkpoint after an interruption: nothing lost, only the overlap re-read', async () => {
    const first: GhlContact[] = [];
    let stored: unknown;
    for await (const page of ghl.scanContacts({ pageLimit: 40, maxPages: 2 })) {
      first.push(...page.items);
      stored = JSON.parse(JSON.stringify(page.checkpoint)); // persisted as JSON, as the engine would
    }
    expect(first).toHaveLength(80);
    const checkpoint = parseCheckpoint(stored)!;
    const overlapMs = 30 * 86_400_000; // a wide overlap so the re-read is visible in seeded data
    const { seen: rest } = await scan({ checkpoint, pageLimit: 40, overlapMs });
    const union = new Set([...first, ...rest].map((c) => c.id));
    expect(union.size).toBe(sb.admin.listContacts().length);
    const reread = rest.filter((c) => first.some((f) => f.id === c.id));
    // exactly the contacts updated within the overlap before the checkpoint were read again
    expect(reread.length).toBe(first.filter((c) => ms(c.dateUpdated) >= checkpoint.dateUpdatedMs - overlapMs).length);
    expect(rest.every((c) => ms(c.dateUpdated) >= checkpoint.dateUpdatedMs - overlapMs)).toBe(true);
  });

  it('sees an edit made during the scan (by the end of the scan, or by the next one once the index caught up)', async () => {
    let edited: string | undefined;
    const { seen, checkpoint } = await scan({ pageLimit: 50 }, (page, items) => {
      if (page !== 1) return;
      edited = items[3]!.id; // already read on this page
      now += 1000;
      sb.admin.updateContact(edited, { city: 'Edited during scan' });
    });
    // the index lags: the edit is not visible yet, the old version was read
    expect(seen.filter((c) => c.id === edited).map((c) => c.city)).not.toContain('Edited during scan');
    now += LAG_MS + 1000; // the index catches up
    const next = await scan({ checkpoint, pageLimit: 50 });
    expect(next.seen.find((c) => c.id === edited)?.city).toBe('Edited during scan');
  });

  it('an edit that reaches the index while the scan is still running is read again at the end of the same scan', async () => {
    let edited: string | undefined;
    const { seen } = await scan({ pageLimit: 50 }, (page, items) => {
      if (page !== 1) return;
      edited = items[0]!.id;
      now += 1000;
      sb.admin.updateContact(edited, { city: 'Edited mid-scan' });
      now += LAG_MS; // indexed before the next page is asked for
    });
    const versions = seen.filter((c) => c.id === edited);
    expect(versions).toHaveLength(2);
    expect(versions[1]!.city).toBe('Edited mid-scan');
    expect(seen.at(-1)!.id).toBe(edited);
  });

  it('a write indexed after a newer one was read is still caught thanks to the overlap (and missed without it)', async () => {
    const all = sb.admin.listContacts();
    const [a, b] = [all[10]!, all[20]!];
    const { checkpoint: base } = await scan({ pageLimit: 100 });
    now += 10_000;
    sb.admin.updateContact(b.id, { city: 'B edited' });
    now += LAG_MS + 1;
    const first = await scan({ checkpoint: base, pageLimit: 100, overlapMs: 0 });
    // new since the base checkpoint: only B (the contacts stamped at the checkpoint's own instant are re-read too)
    expect(first.seen.filter((c) => ms(c.dateUpdated) > base!.dateUpdatedMs).map((c) => c.id)).toEqual([b.id]);
    const checkpoint = first.checkpoint!;
    expect(checkpoint.dateUpdatedMs).toBe(ms(sb.admin.getContact(b.id)!.dateUpdated));

    // A write stamped 2 s BEFORE B but indexed only after the scan above read B (real search indexes lag by a
    // varying amount; the sandbox's lag is fixed, so the stamp is made by stepping its clock back).
    const resume = now;
    now = checkpoint.dateUpdatedMs - 2000;
    sb.admin.updateContact(a.id, { city: 'A edited late' });
    now = resume + LAG_MS + 1;

    const withoutOverlap = await scan({ checkpoint, pageLimit: 100, overlapMs: 0 });
    expect(withoutOverlap.seen.map((c) => c.id)).not.toContain(a.id);
    const withOverlap = await scan({ checkpoint, pageLimit: 100 }); // default overlap: 5 s
    expect(withOverlap.seen.find((c) => c.id === a.id)?.city).toBe('A edited late');
    expect(withOverlap.checkpoint).toEqual(checkpoint); // re-reading the overlap never moves the checkpoint back
  });

  it('filters narrow the feed (contacts with a tag)', async () => {
    const { seen } = await scan({ pageLimit: 20, filter: { tag: 'vip' } });
    expect(seen.length).toBe(sb.admin.listContacts().filter((c) => c.tags.includes('vip')).length);
    expect(seen.every((c) => c.tags.includes('vip'))).toBe(true);
  });
});
