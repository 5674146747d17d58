/**
 * What every Store does (main/store/repositories.ts), whatever it runs on: test/store/contract.test.ts runs this same
 * suite against SQLite and against PostgreSQL on a throwaway cluster (test/support/pg-cluster.ts). A behaviour the
 * engine relies on belongs here, once.
 */
import { expect, it } from 'vitest';
import { LinkClashError } from '../../main/store/errors.js';
import type { CommitRecord, NewLink, Store } from '../../main/store/repositories.js';

/** A fresh, empty database; `open` may be called again to reopen the SAME database (what survives a restart). */
export interface StoreBed {
  open(now?: () => number): Store;
  /** Closes every store this bed opened. */
  close(): void;
}

/** Large enough to need BIGINT on PostgreSQL: ms timestamps are past 2^31. */
const T0 = 1_764_000_000_000;

const link = (over: Partial<NewLink> = {}): NewLink => ({
  pair: 'ghl-aroflo',
  entity: 'contact',
  ghl_id: 'g1',
  other_id: 'o1',
  ghl_parent: null,
  other_parent: null,
  other_kind: 'client',
  label: 'Ann Smith',
  ...over,
});

const rec = (
  id: string,
  label = 'Ann Smith',
  fields: Record<string, string | null> = { name: label },
): CommitRecord => ({
  id,
  label,
  fields,
  email: 'ann@example.com',
  phone: null,
  altKey: null,
});

export function storeContract(fresh: () => StoreBed): void {
  const clock = () => {
    let t = T0;
    return () => (t += 1000);
  };
  const withStore = (fn: (s: Store, bed: StoreBed) => void) => () => {
    const bed = fresh();
    try {
      fn(bed.open(clock()), bed);
    } finally {
      bed.close();
    }
  };

  it(
    'links: inserted ids are numbers, found by either side, patched, counted',
    withStore((s) => {
      const id = s.links.insert(link());
      expect(typeof id).toBe('number');
      expect(s.links.byGhl('ghl-aroflo', 'contact', 'g1')?.id).toBe(id);
      expect(s.links.byOther('ghl-aroflo', 'contact', 'o1')?.id).toBe(id);
      expect(s.links.byGhl('ghl-aimfox', 'contact', 'g1')).toBeUndefined();
      const row = s.links.byId(id)!;
      expect(row).toMatchObject({ id, pair: 'ghl-aroflo', entity: 'contact', state: 'active', label: 'Ann Smith' });
      s.links.update(id, { label: 'Ann Jones', other_parent: 'client:1' });
      expect(s.links.byId(id)).toMatchObject({ label: 'Ann Jones', other_parent: 'client:1' });
      s.links.update(id, {});
      expect(s.links.count('ghl-aroflo', 'contact')).toBe(1);
      expect(s.links.active('ghl-aroflo', 'contact').map((l) => l.id)).toEqual([id]);
      const all = s.links.everything();
      expect(all).toHaveLength(1);
      expect(all[0]!.created_at).toBeGreaterThan(2 ** 31);
      expect(typeof all[0]!.created_at).toBe('number');
    }),
  );

  it(
    'links: one record is linked once (partial unique indexes), an unlinked link frees it, a retired one does not',
    withStore((s) => {
      const first = s.links.insert(link());
      expect(() => s.links.insert(link({ other_id: 'o2' }))).toThrow();
      expect(() => s.links.insert(link({ ghl_id: 'g2' }))).toThrow();
      // Null ids never clash (a link waiting for its create).
      s.links.insert(link({ ghl_id: null, other_id: 'o3' }));
      s.links.insert(link({ ghl_id: null, other_id: 'o4' }));
      // The same ids in another pair or entity are another link.
      s.links.insert(link({ pair: 'ghl-aimfox' }));
      s.links.insert(link({ entity: 'task' }));
      s.links.update(first, { state: 'unlinked' });
      const again = s.links.insert(link());
      expect(s.links.byGhl('ghl-aroflo', 'contact', 'g1')?.id).toBe(again);
      s.links.update(again, { state: 'deleted' });
      expect(() => s.links.insert(link())).toThrow();
      expect(s.links.retired('ghl-aroflo', 'contact')).toEqual({ ghl: new Set(['g1']), other: new Set(['o1']) });
      expect(s.links.count('ghl-aroflo', 'contact')).toBe(2);
      expect(s.links.ghlIdsOf('ghl-aroflo', 'contact')).toEqual(new Set(['g1']));
    }),
  );

  it(
    'links.of: active links of many ids, across the 500-id chunks',
    withStore((s) => {
      const ids: string[] = [];
      for (let i = 0; i < 1200; i++) {
        ids.push(`g${i}`);
        if (i % 3 === 0) s.links.insert(link({ ghl_id: `g${i}`, other_id: `o${i}` }));
      }
      const found = s.links.of('ghl-aroflo', 'contact', 'ghl', ids);
      expect(found).toHaveLength(400);
      expect(s.links.of('ghl-aroflo', 'contact', 'other', ['o3', 'o4', 'o6']).map((l) => l.ghl_id)).toEqual(
        expect.arrayContaining(['g3', 'g6']),
      );
      expect(s.links.of('ghl-aroflo', 'contact', 'ghl', [])).toEqual([]);
    }),
  );

  it(
    'bases: set, replaced, read one, many, and only for active links',
    withStore((s) => {
      const a = s.links.insert(link());
      const b = s.links.insert(link({ ghl_id: 'g2', other_id: 'o2' }));
      s.bases.set(a, { ghl: { name: 'Ann' }, other: { name: 'Ann' } }, 'r1');
      s.bases.set(a, { ghl: { name: 'Ann S' }, other: { name: null } }, 'r2');
      s.bases.set(b, { ghl: { name: 'Bob' }, other: { name: 'Bob' } }, 'r1');
      expect(s.bases.get(a)).toEqual({ ghl: { name: 'Ann S' }, other: { name: null } });
      expect(s.bases.get(999)).toBeUndefined();
      expect([...s.bases.of([a, b, 999]).keys()].sort()).toEqual([a, b].sort());
      s.links.update(b, { state: 'deleted' });
      expect([...s.bases.all('ghl-aroflo', 'contact').keys()]).toEqual([a]);
      expect(s.bases.textsFor('ghl-aroflo', 'contact').get(a)).toEqual({
        ghl: JSON.stringify({ name: 'Ann S' }),
        other: JSON.stringify({ name: null }),
      });
    }),
  );

  it(
    'outbox: an intent survives a reopen and completes there',
    withStore((s, bed) => {
      const id = s.outbox.add({
        runId: 'r1',
        pair: 'ghl-aroflo',
        entity: 'contact',
        system: 'aroflo',
        action: 'create',
        linkId: null,
        subject: 'ghl:g1',
        payload: { name: 'Ann' },
      });
      const second = s.outbox.add({
        runId: 'r1',
        pair: 'ghl-aimfox',
        entity: 'contact',
        system: 'aimfox',
        action: 'update',
        linkId: 1,
        subject: 'ghl:g2',
        payload: {},
      });
      expect(second).toBeGreaterThan(id);
      s.outbox.noteResults([{ id, resultId: 'client:9' }]);

      const after = bed.open(clock());
      const pending = after.outbox.pending();
      expect(pending.map((p) => p.id)).toEqual([id, second]);
      expect(pending[0]).toMatchObject({ state: 'pending', result_id: 'client:9', attempts: 1, subject: 'ghl:g1' });
      expect(JSON.parse(pending[0]!.payload)).toEqual({ name: 'Ann' });
      expect(after.outbox.pending('ghl-aimfox', 'contact').map((p) => p.id)).toEqual([second]);
      after.outbox.settle(id, 'confirmed', 'client:9');
      after.outbox.settle(second, 'failed', null, 'refused');
      // A result noted after an entry ended changes nothing.
      after.outbox.noteResults([{ id: second, resultId: 'x' }]);
      expect(after.outbox.pending()).toEqual([]);
      expect(after.outbox.confirmedCreates()).toEqual([
        { pair: 'ghl-aroflo', entity: 'contact', system: 'aroflo', subject: 'ghl:g1', result_id: 'client:9' },
      ]);
    }),
  );

  it(
    'conflicts: one open item per subject, updated in place, closed, raised again as a new item; filters and paging',
    withStore((s) => {
      const base = {
        kind: 'conflict' as const,
        pair: 'ghl-aroflo' as const,
        entity: 'contact' as const,
        system: 'aroflo' as const,
        linkId: null,
        subject: 'link:1',
        label: 'Ann Smith',
        diffs: [{ field: 'email', label: 'Email', base: 'a', ghl: 'b', other: 'c' }],
        runId: 'r1',
      };
      const first = s.conflicts.upsert(base);
      expect(first.isNew).toBe(true);
      const again = s.conflicts.upsert({ ...base, label: 'Ann S', runId: 'r2' });
      expect(again).toEqual({ id: first.id, isNew: false });
      expect(s.conflicts.openBySubject('link:1')).toMatchObject({ id: first.id, label: 'Ann S', run_id: 'r2' });
      expect(s.conflicts.countOpen('conflict')).toBe(1);
      s.conflicts.close(first.id, 'resolved', { values: { email: 'b' }, applied: false });
      expect(s.conflicts.openBySubject('link:1')).toBeUndefined();
      const third = s.conflicts.upsert({ ...base, runId: 'r3' });
      expect(third.isNew).toBe(true);
      expect(third.id).not.toBe(first.id);
      expect(s.conflicts.latestBySubject('link:1')?.id).toBe(third.id);
      s.conflicts.upsert({ ...base, kind: 'duplicate', subject: 'dup:1', label: 'Bob Brown', system: 'aimfox' });
      expect(s.conflicts.countOpen('duplicate')).toBe(1);
      // The search ignores case, as a person types it.
      expect(s.conflicts.list({ query: 'bob' }).items.map((i) => i.label)).toEqual(['Bob Brown']);
      expect(s.conflicts.list({ system: 'aroflo' }).total).toBe(1);
      expect(s.conflicts.list({ kind: 'duplicate' }).items[0]).toMatchObject({ kind: 'duplicate', fields: ['Email'] });
      const page = s.conflicts.list({ limit: 1, offset: 1 });
      expect(page).toMatchObject({ total: 2 });
      expect(page.items).toHaveLength(1);
      expect(s.conflicts.list({ status: 'resolved' }).total).toBe(1);
      expect(s.conflicts.openRows()).toHaveLength(2);
    }),
  );

  it(
    'conflicts: a resolution a person chose waits for the next run until it is marked applied',
    withStore((s) => {
      const linkId = s.links.insert(link());
      const c = s.conflicts.upsert({
        kind: 'conflict',
        pair: 'ghl-aroflo',
        entity: 'contact',
        system: 'aroflo',
        linkId,
        subject: `link:${linkId}`,
        label: 'Ann',
        diffs: [],
        runId: 'r1',
      });
      s.conflicts.close(c.id, 'resolved', { values: { email: 'ann@x.com' }, applied: false });
      expect(s.conflicts.pendingResolutions('ghl-aroflo', 'contact').get(linkId)).toEqual({
        conflictId: c.id,
        values: { email: 'ann@x.com' },
      });
      s.conflicts.markResolutionApplied(c.id);
      expect(s.conflicts.pendingResolutions('ghl-aroflo', 'contact').size).toBe(0);
      expect(JSON.parse(s.conflicts.get(c.id)!.resolution!)).toEqual({ values: { email: 'ann@x.com' }, applied: true });
    }),
  );

  it(
    'audit: entries per run, undone marks, the export joins the run and the link',
    withStore((s) => {
      const linkId = s.links.insert(link());
      s.runs.start({ id: 'r1', trigger: 'manual', dryRun: false, startedAt: T0 });
      s.audit.add({
        runId: 'r1',
        system: 'aroflo',
        entity: 'contact',
        recordId: 'o1',
        linkId,
        action: 'update',
        field: 'email',
        before: 'a',
        after: 'b',
      });
      s.audit.add({ runId: 'r2', system: 'ghl', entity: 'contact', recordId: 'g1', linkId: null, action: 'create' });
      const [first] = s.audit.forRun('r1');
      expect(first).toMatchObject({ runId: 'r1', field: 'email', before: 'a', after: 'b', undone_by: null, linkId });
      expect(first!.at).toBeGreaterThan(2 ** 31);
      s.audit.markUndone(first!.id, 'undo1');
      expect(s.audit.all().map((a) => a.undone_by)).toEqual(['undo1', null]);
      const exported = [...s.audit.iterate()];
      expect(exported).toHaveLength(2);
      expect(exported[0]).toMatchObject({ trigger: 'manual', record_label: 'Ann Smith', pair: 'ghl-aroflo' });
      expect(exported[1]).toMatchObject({ trigger: null, record_label: null });
      expect(s.stats.auditWrites()).toBe(2);
    }),
  );

  it(
    'runs: started, finished with a plan, listed newest first (ties: the later start first), abandoned ones closed',
    withStore((s) => {
      s.runs.start({ id: 'b-run', trigger: 'manual', dryRun: false, startedAt: T0 });
      s.runs.start({ id: 'a-run', trigger: 'timer', dryRun: false, startedAt: T0 });
      s.runs.start({ id: 'preview', trigger: 'preview', dryRun: true, startedAt: T0 + 5 });
      expect(s.runs.list().map((r) => r.id)).toEqual(['preview', 'a-run', 'b-run']);
      expect(s.runs.list(1)).toHaveLength(1);
      s.runs.finish(
        {
          id: 'b-run',
          trigger: 'manual',
          dryRun: false,
          status: 'ok',
          startedAt: T0,
          finishedAt: T0 + 100,
          durationMs: 100,
          created: { contact: 2 },
          updated: {},
          deleted: {},
          conflicts: 1,
          errors: 0,
          requests: { ghl: 3, aroflo: 2, aimfox: 0 },
        },
        { steps: ['x'] },
      );
      expect(s.runs.get('b-run')).toMatchObject({
        status: 'ok',
        dryRun: false,
        finishedAt: T0 + 100,
        created: { contact: 2 },
        plan: { steps: ['x'] },
      });
      expect(s.runs.get('preview')?.dryRun).toBe(true);
      expect(s.runs.since(T0).map((r) => r.id)).toEqual(['b-run']);
      expect(s.runs.closeAbandoned()).toBe(2);
      expect(s.runs.get('a-run')?.status).toBe('failed');
      expect(s.runs.get('nope')).toBeUndefined();
    }),
  );

  it(
    'mirror: put, found by key, replaced whole, removed, seen-before',
    withStore((s) => {
      const scope = 'ghl-aroflo:contact:ghl';
      s.mirror.put(scope, [
        { id: 'g1', label: 'Ann', fields: { name: 'Ann' }, email: 'ann@x.com', phone: '+61400000000' },
        { id: 'g2', parentId: 'p', kind: 'k', label: 'Bob', fields: { name: 'Bob' }, altKey: 'alt' },
      ]);
      s.mirror.put(scope, [{ id: 'g1', label: 'Ann S', fields: { name: 'Ann S' }, email: 'ann@x.com' }]);
      expect(s.mirror.count(scope)).toBe(2);
      expect(s.mirror.get(scope, ['g1', 'zz']).get('g1')).toEqual({
        id: 'g1',
        parentId: undefined,
        kind: undefined,
        label: 'Ann S',
        fields: { name: 'Ann S' },
        email: 'ann@x.com',
        phone: null,
        altKey: null,
      });
      expect(s.mirror.findBy(scope, 'email', 'ann@x.com').map((r) => r.id)).toEqual(['g1']);
      expect(s.mirror.findBy(scope, 'alt_key', 'alt')[0]).toMatchObject({ id: 'g2', parentId: 'p', kind: 'k' });
      expect(s.mirror.seenBefore(scope, 'g1', T0 + 10_000_000)).toBe(true);
      expect(s.mirror.seenBefore(scope, 'g1', T0)).toBe(false);
      s.mirror.remove(scope, ['g2']);
      expect(s.mirror.all(scope).map((r) => r.id)).toEqual(['g1']);
      s.mirror.replaceAll(scope, [{ id: 'g9', label: 'Zed', fields: {} }]);
      expect(s.mirror.all(scope).map((r) => r.id)).toEqual(['g9']);
      expect(s.mirror.count('other:scope')).toBe(0);
    }),
  );

  it(
    'feeds: cursors, echoes replaced or added, re-reads de-duplicated and consumed, counters',
    withStore((s) => {
      expect(s.feeds.cursor('ghl', 'contacts')).toBeUndefined();
      s.feeds.setCursor('ghl', 'contacts', 'c1');
      s.feeds.setCursor('ghl', 'contacts', 'c2');
      expect(s.feeds.cursor('ghl', 'contacts')).toBe('c2');
      s.feeds.setEchoes('ghl', new Map([['a', T0]]), 'r1');
      s.feeds.setEchoes('ghl', new Map([['b', T0 + 1]]), 'r2');
      s.feeds.addEchoes(
        'ghl',
        new Map([
          ['c', T0 + 2],
          ['b', T0 + 3],
        ]),
        'r3',
      );
      expect(s.feeds.echoes('ghl')).toEqual(
        new Map([
          ['b', T0 + 3],
          ['c', T0 + 2],
        ]),
      );
      expect(s.feeds.echoes('aroflo').size).toBe(0);
      s.feeds.setRereads('ghl', [{ parentId: 'p1', pair: 'ghl-aroflo', kind: 'task' }, { parentId: 'p2' }], 'r1');
      s.feeds.addRereads('ghl', [{ parentId: 'p1', pair: 'ghl-aroflo', kind: 'task' }, { parentId: 'p3' }], 'r2');
      expect(s.feeds.rereads('ghl')).toEqual([
        { parentId: 'p1', pair: 'ghl-aroflo', kind: 'task' },
        { parentId: 'p2' },
        { parentId: 'p3' },
      ]);
      s.feeds.removeRereads('ghl', [{ parentId: 'p2' }]);
      expect(s.feeds.rereads('ghl').map((r) => r.parentId)).toEqual(['p1', 'p3']);
      expect(s.feeds.counter('runs_since_full')).toBe(0);
      s.feeds.setCounter('runs_since_full', 3);
      s.feeds.setCounter('runs_since_full', 4);
      expect(s.feeds.counter('runs_since_full')).toBe(4);
    }),
  );

  it(
    'rules, kept-apart pairs, meta',
    withStore((s) => {
      expect(s.rules.baselineAt('rule_task')).toBeUndefined();
      s.rules.setBaseline('rule_task', '2026-11-01T00:00:00Z', ['n1', 'n2', 'n1']);
      s.rules.setBaseline('rule_task', '2026-11-02T00:00:00Z', ['n3']);
      expect(s.rules.baselineAt('rule_task')).toBe('2026-11-02T00:00:00Z');
      expect(['n1', 'n3', 'n4'].map((n) => s.rules.seen('rule_task', n))).toEqual([true, true, false]);
      s.apart.add('ghl-aroflo', 'contact', [
        ['g1', 'client:1:2'],
        ['g1', 'client:1:2'],
      ]);
      expect(s.apart.has('ghl-aroflo', 'contact', 'g1', 'client:1:2')).toBe(true);
      expect(s.apart.has('ghl-aroflo', 'contact', 'client:1:2', 'g1')).toBe(false);
      s.meta.set('k', 'v1');
      s.meta.set('k', 'v2');
      expect(s.meta.get('k')).toBe('v2');
      s.meta.set('k', undefined);
      expect(s.meta.get('k')).toBeUndefined();
    }),
  );

  it(
    'activity, quarantine, logs, stats',
    withStore((s) => {
      s.activity.add({ at: T0, system: 'ghl', kind: 'contact', action: 'created', summary: 'Created Ann', ref: 'x' });
      s.activity.add({ at: T0 + 1, system: 'ghl', kind: 'contact', action: 'created', summary: 'Dup', ref: 'x' });
      s.activity.add({
        at: T0 + 2,
        system: 'aroflo',
        kind: 'task',
        action: 'updated',
        summary: 'Task Fix',
        runId: 'r',
      });
      expect(s.activity.list({}).map((a) => a.summary)).toEqual(['Task Fix', 'Created Ann']);
      expect(s.activity.list({ query: 'ANN' }).map((a) => a.summary)).toEqual(['Created Ann']);
      expect(s.activity.list({ system: 'aroflo' })[0]).toMatchObject({ kind: 'task', runId: 'r', at: T0 + 2 });
      expect(s.activity.list({ before: T0 + 2 })).toHaveLength(1);
      expect(typeof s.activity.list({})[0]!.id).toBe('string');

      s.quarantine.add({ system: 'ghl', entity: 'contact', recordId: 'g1', reason: 'bad', raw: { a: 1 }, runId: 'r' });
      s.quarantine.add({ system: 'ghl', entity: 'contact', recordId: 'g1', reason: 'worse', runId: 'r2' });
      expect(s.quarantine.count()).toBe(1);
      expect(s.quarantine.list()[0]).toMatchObject({ record_id: 'g1', reason: 'worse' });
      s.quarantine.release('ghl', 'contact', 'g1');
      expect(s.quarantine.count()).toBe(0);

      for (let i = 0; i < 5; i++) s.logs.add({ at: T0 + i, level: i % 2 ? 'warn' : 'info', message: `Message ${i}` });
      s.logs.add({ at: T0 + 9, level: 'error', message: 'boom', context: { Detail: 'Disk' } });
      expect(s.logs.list({ levels: ['error'], limit: 10 })).toEqual([
        { at: T0 + 9, level: 'error', message: 'boom', context: { Detail: 'Disk' } },
      ]);
      expect(s.logs.list({ levels: ['info', 'warn', 'error'], query: 'disk', limit: 10 })).toHaveLength(1);
      s.logs.prune(3);
      expect(s.logs.list({ levels: ['info', 'warn', 'error'], limit: 10 }).map((l) => l.message)).toEqual([
        'boom',
        'Message 4',
        'Message 3',
      ]);
      expect(s.stats.conflicts()).toEqual({ conflicts: 0, duplicates: 0, open: 0 });
    }),
  );

  const creation = (s: Store, over: { outboxId: number; source?: CommitRecord; created?: CommitRecord }) => ({
    pair: 'ghl-aroflo' as const,
    entity: 'contact' as const,
    runId: 'r1',
    outboxId: over.outboxId,
    target: 'other' as const,
    source: over.source ?? rec('g1'),
    created: over.created ?? rec('client:1'),
    base: { ghl: { name: 'Ann Smith' }, other: { name: 'Ann Smith' } },
    otherSystem: 'aroflo' as const,
    scope: 'ghl-aroflo:contact:aroflo',
  });
  const intent = (s: Store) =>
    s.outbox.add({
      runId: 'r1',
      pair: 'ghl-aroflo',
      entity: 'contact',
      system: 'aroflo',
      action: 'create',
      linkId: null,
      subject: 'ghl:g1',
      payload: {},
    });

  it(
    'commit.created: link, base, outbox confirmed, audit and mirror together; a clash writes none of it',
    withStore((s) => {
      const outboxId = intent(s);
      const linkId = s.commit.created(creation(s, { outboxId }));
      expect(s.links.byId(linkId)).toMatchObject({ ghl_id: 'g1', other_id: 'client:1', state: 'active' });
      expect(s.bases.get(linkId)).toEqual({ ghl: { name: 'Ann Smith' }, other: { name: 'Ann Smith' } });
      expect(s.outbox.pending()).toEqual([]);
      expect(s.audit.all()).toMatchObject([{ action: 'create', system: 'aroflo', recordId: 'client:1', linkId }]);
      expect(s.mirror.count('ghl-aroflo:contact:aroflo')).toBe(1);

      // Another source record whose create came back as the same AroFlo record: never link it twice.
      const second = intent(s);
      expect(() => s.commit.created(creation(s, { outboxId: second, source: rec('g2', 'Ann Twin') }))).toThrow(
        LinkClashError,
      );
      expect(s.links.everything()).toHaveLength(1);
      expect(s.outbox.pending().map((p) => p.id)).toEqual([second]);
      expect(s.audit.all()).toHaveLength(1);
    }),
  );

  it(
    'commit.*: a throw inside rolls back every write of the transaction (links, bases, audit, outbox, conflicts, mirror)',
    withStore((s) => {
      const outboxId = intent(s);
      const scope = 'ghl-aroflo:contact:ghl';
      expect(() =>
        s.commit.merged({
          pair: 'ghl-aroflo',
          entity: 'contact',
          runId: 'r1',
          otherSystem: 'aroflo',
          ghl: rec('g1'),
          other: rec('client:1'),
          label: 'Ann Smith',
          base: { ghl: {}, other: {} },
          audits: [{ system: 'ghl', entity: 'contact', recordId: 'g1', action: 'update', field: 'email' }],
          outbox: [{ id: outboxId, state: 'confirmed', resultId: 'client:1' }],
          conflict: {
            diffs: [{ field: 'email', label: 'Email', base: null, ghl: 'a', other: 'b' }],
            subject: () => {
              throw new Error('the engine failed halfway');
            },
          },
          resolutionApplied: false,
          mirror: [{ scope, record: rec('g1') }],
        }),
      ).toThrow('the engine failed halfway');
      expect(s.links.everything()).toEqual([]);
      expect(s.audit.all()).toEqual([]);
      expect(s.outbox.pending().map((p) => p.id)).toEqual([outboxId]);
      expect(s.conflicts.openRows()).toEqual([]);
      expect(s.mirror.count(scope)).toBe(0);

      // The store is usable after the rollback, and the same merge goes through.
      const done = s.commit.merged({
        pair: 'ghl-aroflo',
        entity: 'contact',
        runId: 'r1',
        otherSystem: 'aroflo',
        ghl: rec('g1'),
        other: rec('client:1'),
        label: 'Ann Smith',
        base: { ghl: { email: 'a' }, other: { email: 'b' } },
        audits: [],
        outbox: [{ id: outboxId, state: 'confirmed', resultId: 'client:1' }],
        conflict: {
          diffs: [{ field: 'email', label: 'Email', base: null, ghl: 'a', other: 'b' }],
          subject: (id) => `link:${id}`,
        },
        resolutionApplied: false,
        mirror: [{ scope, record: rec('g1') }],
      });
      expect(done.conflict).toEqual({ isNew: true });
      expect(s.conflicts.openBySubject(`link:${done.linkId}`)).toBeDefined();
      expect(s.audit.all().map((a) => a.action)).toEqual(['link']);
      expect(s.mirror.count(scope)).toBe(1);

      // Both sides agree now: the open item is closed.
      s.commit.merged({
        pair: 'ghl-aroflo',
        entity: 'contact',
        runId: 'r2',
        otherSystem: 'aroflo',
        link: s.links.byId(done.linkId),
        ghl: rec('g1'),
        other: rec('client:1'),
        label: 'Ann Smith',
        base: { ghl: { email: 'a' }, other: { email: 'a' } },
        audits: [],
        outbox: [],
        conflict: { diffs: [], subject: (id) => `link:${id}` },
        resolutionApplied: false,
        mirror: [],
      });
      expect(s.conflicts.openRows()).toEqual([]);
      expect(s.stats.conflicts()).toEqual({ conflicts: 1, duplicates: 0, open: 0 });
    }),
  );

  it(
    'commit.deleted, unlinked, undone, linkedByHand',
    withStore((s) => {
      const a = s.links.insert(link());
      const b = s.links.insert(link({ ghl_id: 'g2', other_id: 'o2' }));
      const c = s.links.insert(link({ ghl_id: 'g3', other_id: 'o3' }));
      const scope = 'ghl-aroflo:contact:aroflo';
      s.mirror.put(scope, [{ id: 'o1', label: 'Ann', fields: {} }]);
      const del = s.outbox.add({
        runId: 'r1',
        pair: 'ghl-aroflo',
        entity: 'contact',
        system: 'aroflo',
        action: 'delete',
        linkId: a,
        subject: 'link:a',
        payload: {},
      });
      const audit = { runId: 'r1', system: 'aroflo' as const, entity: 'contact' as const, recordId: 'o1', linkId: a };
      s.commit.deleted({
        linkId: a,
        audit: { ...audit, action: 'delete' },
        outbox: { id: del, state: 'confirmed' },
        scope,
        recordId: 'o1',
      });
      expect(s.links.byId(a)?.state).toBe('deleted');
      expect(s.mirror.count(scope)).toBe(0);
      expect(s.outbox.pending()).toEqual([]);
      s.commit.unlinked({ linkId: b, retire: false, audit: { ...audit, linkId: b, action: 'unlink' } });
      s.commit.unlinked({ linkId: c, retire: true, audit: { ...audit, linkId: c, action: 'unlink' } });
      expect([s.links.byId(b)?.state, s.links.byId(c)?.state]).toEqual(['unlinked', 'deleted']);
      const [first] = s.audit.all();
      const d = s.links.insert(link({ ghl_id: 'g4', other_id: 'o4' }));
      s.commit.undone({
        audits: [{ ...audit, runId: 'u1', action: 'update', field: 'name', before: 'x', after: 'y' }],
        undone: [first!.id],
        undoRunId: 'u1',
        retireLink: d,
      });
      expect(s.audit.all()[0]!.undone_by).toBe('u1');
      expect(s.links.byId(d)?.state).toBe('deleted');
      const byHand = s.commit.linkedByHand({
        link: link({ ghl_id: 'g5', other_id: 'o5' }),
        apart: [['g5', 'o6']],
      });
      expect(s.links.byId(byHand)?.ghl_id).toBe('g5');
      expect(s.apart.has('ghl-aroflo', 'contact', 'g5', 'o6')).toBe(true);
      // A hand link that clashes with an existing one: neither the link nor its kept-apart pairs are written.
      expect(() =>
        s.commit.linkedByHand({ link: link({ ghl_id: 'g5', other_id: 'o7' }), apart: [['g5', 'o8']] }),
      ).toThrow();
      expect(s.apart.has('ghl-aroflo', 'contact', 'g5', 'o8')).toBe(false);
    }),
  );
}
