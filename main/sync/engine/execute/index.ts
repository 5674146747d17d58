/**
 * Carrying out a plan, crash-safely (main/sync/README.md, "Crash safety").
 *
 * Every write is first recorded in the outbox (intent), then sent, then confirmed: the link, the base snapshot,
 * the outbox row and the audit entries are written by ONE `store.commit.*` call after the remote confirmed. A crash at
 * any point leaves either nothing (the next run plans the same write again) or a pending outbox row (the next run asks
 * the target whether the create happened — `findCreated` — and links what it finds instead of creating a twin).
 * A field's base only moves when every write of that field succeeded, so a failed propagation is retried next run.
 */
import { executeCreates } from './creates.js';
import { execContext, type ExecArgs } from './context.js';
import { executeDeletes } from './deletes.js';
import { executeLocal } from './local.js';
import { executeMerges } from './merges.js';

export { confirmCreate } from './confirm.js';
export {
  conflictSubject,
  createRef,
  emptyCounters,
  type ExecArgs,
  type ExecLogger,
  type RunCounters,
} from './context.js';
export { LinkClashError } from '../../../store/errors.js';

/** Local bookkeeping, then creates, merges and deletes. */
export async function executePlan(args: ExecArgs): Promise<void> {
  const x = execContext(args);
  executeLocal(x);
  await executeCreates(x);
  await executeMerges(x);
  await executeDeletes(x);
}
