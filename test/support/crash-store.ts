/**
 * A Store decorator that dies the way a killed process does: after the Nth write has gone out and its target has
 * answered, but before the bridge confirmed it. The engine keeps no test hooks for this (test/soak/README.md): it counts the
 * outbox entries the engine records before sending (`outbox.add`, optionally only those `when` picks), and at the first
 * call that would settle the Nth one or a later one (`outbox.settle`, `commit.created|merged|deleted`) every method of
 * every repository starts throwing StoreDeadError. Even the run's own bookkeeping (`runs.finish`) then fails, so the
 * error leaves the run as a crash would, with the outbox entry pending — the same path as a disk that stops answering.
 *
 * `tap` sees each entry as it is recorded (just before its request goes) and each answer as it is noted, for tests
 * that change the sandboxes' faults around one kind of write.
 */
import type { NewOutbox, Store } from '../../main/store/repositories.js';

export class StoreDeadError extends Error {
  constructor(message = 'the store died (crash-store): the process is as good as killed') {
    super(message);
    this.name = 'StoreDeadError';
  }
}

export interface CrashPlan {
  /** Die at the settling of the `after`-th matching outbox entry (1 = the first), or of any later one. */
  after: number;
  /** Which entries count (default: every one). */
  when?: (row: NewOutbox) => boolean;
}

export interface StoreTap {
  /** An entry was recorded: its request goes out next. */
  added?(row: NewOutbox & { id: number }): void;
  /** The target answered a batch (the ids it answered with are noted, or its entries are settled). */
  answered?(): void;
}

export interface CrashControl {
  /** Start counting for a crash (replaces an earlier plan; counting starts again at 0). */
  arm(plan: CrashPlan): void;
  /** No crash planned. */
  disarm(): void;
  /** A restarted process: the store answers again and nothing is planned. */
  revive(): void;
  readonly dead: boolean;
  tap?: StoreTap;
}

export type CrashStore = Store & { crash: CrashControl };

export function crashStore(inner: Store, plan?: CrashPlan): CrashStore {
  let current = plan;
  let matched = 0;
  let dead = false;
  const doomed = new Set<number>();
  const control: CrashControl = {
    arm(p) {
      current = p;
      matched = 0;
      doomed.clear();
    },
    disarm() {
      current = undefined;
      doomed.clear();
    },
    revive() {
      dead = false;
      control.disarm();
    },
    get dead() {
      return dead;
    },
  };
  /** The moment a doomed entry would be settled: the process "dies" instead. */
  const settling = (ids: number[]) => {
    control.tap?.answered?.();
    if (ids.some((id) => doomed.has(id))) {
      dead = true;
      throw new StoreDeadError();
    }
  };
  const guard = <T extends object>(repo: T, intercept: Partial<Record<keyof T, (...args: never[]) => void>> = {}): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (dead) throw new StoreDeadError();
          (intercept[key as keyof T] as ((...a: unknown[]) => void) | undefined)?.(...args);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });

  const outbox: Store['outbox'] = {
    ...inner.outbox,
    add(o) {
      if (dead) throw new StoreDeadError();
      const id = inner.outbox.add(o);
      if (current && (current.when?.(o) ?? true) && ++matched >= current.after) doomed.add(id);
      control.tap?.added?.({ ...o, id });
      return id;
    },
  };
  const store: Store = {
    links: guard(inner.links),
    budget: guard(inner.budget),
    bases: guard(inner.bases),
    outbox: guard(outbox, {
      settle: (id: number) => settling([id]),
      noteResults: () => control.tap?.answered?.(),
    }),
    conflicts: guard(inner.conflicts),
    audit: guard(inner.audit),
    runs: guard(inner.runs),
    mirror: guard(inner.mirror),
    feeds: guard(inner.feeds),
    rules: guard(inner.rules),
    apart: guard(inner.apart),
    activity: guard(inner.activity),
    quarantine: guard(inner.quarantine),
    logs: guard(inner.logs),
    stats: guard(inner.stats),
    meta: guard(inner.meta),
    commit: guard(inner.commit, {
      created: (c: { outboxId: number }) => settling([c.outboxId]),
      merged: (m: { outbox: Array<{ id: number }> }) => settling(m.outbox.map((o) => o.id)),
      deleted: (d: { outbox: { id: number } }) => settling([d.outbox.id]),
    }),
  };
  return { ...store, crash: control };
}
