/**
 * What one run leaves the next in the profile (main/sync/README.md, "Hops"; main/store/README.md): the HighLevel
 * contacts whose tasks/notes a pair wrote, to be re-read for the other pair, and the contacts it wrote (echoes). A
 * re-read is recorded as the write goes out, so a crash or a failed run loses none; one is taken only by a run in which
 * every pair that reads it was wired.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GhlClient } from '../../main/connectors/ghl/index.js';
import type { PairId } from '../../main/domain/index.js';
import { openDatabase } from '../../main/store/db.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';
import type { Store } from '../../main/store/repositories.js';
import { createRunContext, PAIR_DECLARATIONS, saveFeedState, type SyncClients } from '../../main/sync/index.js';

const store = (): Store =>
  openSqliteStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'ghlb-feedstate-')), 'profile.db')));
// No request is made: the run context only holds the clients.
const clients = { ghlClient: () => ({}) as GhlClient } as unknown as SyncClients;
const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const context = (s: Store, runId: string) => createRunContext({ clients, store: s, now: () => 1_000, logger, runId });
const readers = (Object.keys(PAIR_DECLARATIONS) as PairId[]).flatMap((p) =>
  PAIR_DECLARATIONS[p].readsAfter.map((r) => ({ pair: p, after: r.pair, entity: r.entity, into: r.into })),
);
const both = [
  { pair: 'ghl-aroflo', kind: 'contact' },
  { pair: 'ghl-aroflo', kind: 'note' },
  { pair: 'ghl-aimfox', kind: 'lead' },
  { pair: 'ghl-aimfox', kind: 'note' },
];
const aroflo = both.filter((w) => w.pair === 'ghl-aroflo');
const ids = (s: Store) => s.feeds.rereads('ghl').map((r) => `${r.pair}|${r.kind}|${r.parentId}`);

describe('feed state between runs', () => {
  it('a contact whose note a pair is writing is recorded for re-read before the run ends (a crash keeps it)', () => {
    const s = store();
    const ctx = context(s, 'run-1');
    ctx.ghl.touch('c-ann', { pair: 'ghl-aroflo', kind: 'note' });
    expect(ids(s)).toEqual(['ghl-aroflo|note|c-ann']);
  });

  it('a failed run keeps the re-reads it carried in, adds those it wrote and merges its echoes into the last run’s', () => {
    const s = store();
    s.feeds.setRereads('ghl', [{ parentId: 'c-old', pair: 'ghl-aroflo', kind: 'note' }], 'run-0');
    s.feeds.setEchoes('ghl', new Map([['c-old', 5]]), 'run-0');
    const ctx = context(s, 'run-1');
    ctx.ghl.touch('c-new', { pair: 'ghl-aroflo', kind: 'note' });
    ctx.ghl.written.set('c-new', 9);
    saveFeedState(ctx, { wired: both, readers, failed: true });
    expect(ids(s).sort()).toEqual(['ghl-aroflo|note|c-new', 'ghl-aroflo|note|c-old']);
    expect(s.feeds.echoes('ghl')).toEqual(
      new Map([
        ['c-old', 5],
        ['c-new', 9],
      ]),
    );
  });

  it('a re-read for a pair that did not run stays; the first run with that pair takes it', () => {
    const s = store();
    s.feeds.setRereads(
      'ghl',
      [
        { parentId: 'c-old', pair: 'ghl-aroflo', kind: 'note' },
        { parentId: 'c-task', pair: 'ghl-aroflo', kind: 'task' },
      ],
      'run-0',
    );
    // HighLevel ⇄ Aimfox switched off: nothing reads the note for it; nothing reads a HighLevel ⇄ AroFlo task at all.
    saveFeedState(context(s, 'run-1'), { wired: aroflo, readers, failed: false });
    expect(ids(s)).toEqual(['ghl-aroflo|note|c-old']);
    saveFeedState(context(s, 'run-2'), { wired: aroflo, readers, failed: false });
    expect(ids(s)).toEqual(['ghl-aroflo|note|c-old']);
    saveFeedState(context(s, 'run-3'), { wired: both, readers, failed: false });
    expect(ids(s)).toEqual([]);
  });

  it('a note a hop carried on is not re-read again; one the pair wrote again this run is', () => {
    const s = store();
    s.feeds.setRereads('ghl', [{ parentId: 'c-1', pair: 'ghl-aroflo', kind: 'note' }], 'run-0');
    const ctx = context(s, 'run-1');
    ctx.ghl.touch('c-1', { pair: 'ghl-aroflo', kind: 'note' });
    ctx.ghl.touch('c-2', { pair: 'ghl-aroflo', kind: 'note' });
    saveFeedState(ctx, { wired: both, readers, failed: false });
    expect(ids(s).sort()).toEqual(['ghl-aroflo|note|c-1', 'ghl-aroflo|note|c-2']);
    const next = context(s, 'run-2');
    next.ghl.touch('c-3', { pair: 'ghl-aroflo', kind: 'note' });
    next.ghl.forget('ghl-aroflo', 'note');
    saveFeedState(next, { wired: both, readers, failed: false });
    expect(ids(s)).toEqual([]);
  });
});
