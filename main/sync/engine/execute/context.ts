/**
 * What every step of carrying out a plan shares: the entity's wiring, the store, the run's counters.
 */
import { createHash } from 'node:crypto';
import type { EntityKind, PairId, SystemId } from '../../../../preload/contract.js';
import { mirrorScope, type Store } from '../../../store/repositories.js';
import type { EntityConfig, PlanOp, Side } from '../planner.js';
import type { EntitySide, EntityWiring } from '../types.js';

export interface RunCounters {
  created: Partial<Record<EntityKind, number>>;
  updated: Partial<Record<EntityKind, number>>;
  deleted: Partial<Record<EntityKind, number>>;
  conflicts: number;
  newConflicts: number;
  duplicates: number;
  errors: number;
  skipped: number;
  quarantined: number;
}

export const emptyCounters = (): RunCounters => ({
  created: {},
  updated: {},
  deleted: {},
  conflicts: 0,
  newConflicts: 0,
  duplicates: 0,
  errors: 0,
  skipped: 0,
  quarantined: 0,
});

export interface ExecLogger {
  warn(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
}

export interface ExecArgs {
  ops: PlanOp[];
  wiring: EntityWiring;
  config: EntityConfig;
  store: Store;
  runId: string;
  counters: RunCounters;
  logger: ExecLogger;
  fieldLabels: Record<string, string>;
}

export interface ExecContext extends ExecArgs {
  pair: PairId;
  entity: EntityKind;
  otherSystem: SystemId;
  sideOf(s: Side): EntitySide;
  systemOf(s: Side): SystemId;
  scope(s: Side): string;
  label(field: string): string;
}

export function execContext(args: ExecArgs): ExecContext {
  const w = args.wiring;
  const systemOf = (s: Side): SystemId => (s === 'ghl' ? 'ghl' : w.other.system);
  return {
    ...args,
    pair: w.pair,
    entity: w.entity,
    otherSystem: w.other.system,
    sideOf: (s) => (s === 'ghl' ? w.ghl : w.other),
    systemOf,
    scope: (s) => mirrorScope(w.pair, w.entity, systemOf(s)),
    label: (f) => args.fieldLabels[f] ?? f,
  };
}

export const inc = (m: Partial<Record<EntityKind, number>>, e: EntityKind, n = 1): void => {
  m[e] = (m[e] ?? 0) + n;
};

/**
 * The reference a create carries to its target (where the target keeps one): the outbox entry's id and a short hash
 * of what it copies, so an entry id reused by a new profile never points at an old record.
 */
export function createRef(outboxId: number, subject: string): string {
  return `gb${outboxId}-${createHash('sha256').update(subject).digest('hex').slice(0, 6)}`;
}

export function conflictSubject(pair: PairId, entity: EntityKind, linkId: number): string {
  return `conflict:${pair}:${entity}:${linkId}`;
}

/**
 * `send` for the other system and for HighLevel at once: writes to one do not wait on the other's rate limit. Each
 * starts in that order and runs synchronously up to its first request, so what it records before sending is in a
 * fixed order. Both are waited for (each confirms what it sent), then the first failure is thrown.
 */
export async function eachTarget(send: (target: Side) => Promise<void>): Promise<void> {
  const done = await Promise.allSettled((['other', 'ghl'] as const).map((t) => send(t)));
  const failed = done.find((d): d is PromiseRejectedResult => d.status === 'rejected');
  if (failed) throw failed.reason;
}
