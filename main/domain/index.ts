/**
 * The domain types: systems and pairs, entity kinds, mappings, field catalogue views and records. Plain types and
 * constants that import nothing outside this folder; preload/contract.ts re-exports them for the window and main.
 */
export * from './systems.js';
export * from './entities.js';
export type * from './mapping.js';
export type * from './fields.js';
export type * from './records.js';
export type * from './changes.js';
export * from './defaults.js';
