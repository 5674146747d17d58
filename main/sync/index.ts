/**
 * The sync layer's one entry: what main/service (and the CLI through it) uses to run, preview and undo a sync. A
 * person who must change sync behaviour starts at main/sync/README.md.
 */
export {
  runSync,
  planCounts,
  scopeKey,
  type RunResult,
  type RunOptions,
  type RunDeps,
  type RunScope,
  type WiredEntity,
} from './engine/run.js';
export { undoRun } from './engine/undo.js';
export { demandOf } from './engine/reread.js';
export { nextDelay } from './engine/scheduler.js';
export { auditCsv } from './engine/audit-export.js';
export { defaultMapping, mappingFingerprint, needsPreview, validateMapping, MappingError } from './engine/mapping.js';
export { createRunContext, saveFeedState, type RunContext, type SyncClients } from './context.js';
export { taskSearchRefused } from './sides/ghl-tasks.js';
export { calendarReadRefused } from './rules/appointment-notes.js';
export { PAIR_DECLARATIONS, pairOrder, wireEntities, type PairDeclaration } from './pairs/index.js';
export { checkLinked, type CheckMismatch } from './engine/check.js';
export { entityConfig, entityMapping, fieldLabels } from './engine/mapping.js';
