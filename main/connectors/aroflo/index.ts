/** The AroFlo connector's public surface. */
export { ArofloClient } from './client.js';
export type {
  ArofloClientOptions,
  ArofloBudget,
  ArofloConnectionInfo,
  TaskNoteInsert,
  TaskNoteUpdate,
} from './client.js';
export type { ArofloCredentials } from './signer.js';
export { REAL_LIMITS } from './transport.js';
export type { ArofloLimits, CallCategory } from './transport.js';
export type { BudgetStatus } from './budget.js';
export type { Listing } from './fields.js';
export type { ChangeFeed } from './lister.js';
export type { WriteOutcome, WriteStatus } from './batch.js';
export { Where, WhereGroup, orderBy, whereDate, whereDateTime } from './where.js';
export type {
  ArofloAddress,
  ArofloBusinessUnit,
  ArofloChange,
  ArofloClientNoteRecord,
  ArofloClientRecord,
  ArofloContactRecord,
  ArofloTaskNoteRecord,
  ArofloTaskRecord,
  ArofloTaskStatus,
  ArofloTaskType,
} from './records.js';
export type {
  ClientInsert,
  ClientNoteInsert,
  ClientNoteUpdate,
  ClientUpdate,
  ContactWrite,
  NoteFilter,
  TaskInsert,
  TaskNoteWrite,
  TaskUpdate,
} from './writes.js';
