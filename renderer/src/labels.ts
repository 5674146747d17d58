/**
 * The plain words the window uses for the contract's codes: systems, record types, directions, actions. One place,
 * so every screen says "contacts" and "HighLevel ⇄ AroFlo" the same way and never shows an internal name.
 */
import type {
  ConflictDefault,
  DeletePolicy,
  Direction,
  EntityKind,
  LogLevel,
  PairId,
  PlanItem,
  RunTrigger,
  SystemId,
  TransformId,
} from '../../preload/contract.js';
import { PAIRS } from '../../preload/contract.js';

export const SYSTEM_LABEL: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

export const systemLabel = (s: string): string => SYSTEM_LABEL[s as SystemId] ?? (s === 'bridge' ? 'GHL Bridge' : s);

/** The system on the other side of a pair. */
export const otherSystem = (pair: PairId): SystemId => PAIRS[pair].other;

export const PAIR_LABEL: Record<PairId, string> = {
  'ghl-aroflo': 'HighLevel ⇄ AroFlo',
  'ghl-aimfox': 'HighLevel → Aimfox',
};

const ENTITY: Record<EntityKind, { one: string; many: string }> = {
  contact: { one: 'contact', many: 'contacts' },
  task: { one: 'task', many: 'tasks' },
  note: { one: 'note', many: 'notes' },
  lead: { one: 'lead', many: 'leads' },
  label: { one: 'label', many: 'labels' },
  appointment: { one: 'appointment', many: 'appointments' },
  business: { one: 'business', many: 'businesses' },
  rule_task: { one: 'follow-up task', many: 'follow-up tasks' },
};

export const entityOne = (e: string): string => ENTITY[e as EntityKind]?.one ?? e;
export const entityMany = (e: string): string => ENTITY[e as EntityKind]?.many ?? `${e}s`;
export const capital = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** What a person filters by: the kinds systems hold (a follow-up task the rule made is a task). */
export const ENTITY_KINDS = (Object.keys(ENTITY) as EntityKind[]).filter((k) => k !== 'rule_task');

/** Direction choices, worded for a pair: "HighLevel → AroFlo". */
export function directionLabel(d: Direction, pair: PairId): string {
  const other = SYSTEM_LABEL[otherSystem(pair)];
  switch (d) {
    case 'both':
      return 'Both ways';
    case 'to_other':
      return `HighLevel to ${other} only`;
    case 'to_ghl':
      return `${other} to HighLevel only`;
    default:
      return 'Not synced';
  }
}

export const DIRECTION_SYMBOL: Record<Direction, string> = { to_other: '→', to_ghl: '←', both: '⇄', off: 'off' };
export const DIRECTIONS: Direction[] = ['to_other', 'to_ghl', 'both', 'off'];

export const TRANSFORM_LABEL: Record<TransformId, string> = {
  none: 'Copy as is',
  trim: 'Trim spaces',
  lowercase: 'Lower case',
  uppercase: 'Upper case',
  phone_e164: 'Phone in international format',
  name_join: 'Join first and last name',
  name_split: 'Split a full name',
  status_map: 'Translate values',
  date: 'Date (in the business time zone)',
  datetime: 'Date and time (in the business time zone)',
  address_join: 'Join address lines',
  address_split: 'Split an address',
  set_picklist: 'List ⇄ one choice',
};

/** Where the country and time zone transforms use came from (CatalogueView.env.source). */
export const ENV_SOURCE: Record<'mapping' | 'location' | 'fallback', string> = {
  mapping: 'set on this screen',
  location: 'from your HighLevel location',
  fallback: 'a default, because your HighLevel location could not be read',
};

export function conflictDefaultLabel(c: ConflictDefault, pair: PairId): string {
  if (c === 'prefer_ghl') return 'HighLevel wins';
  if (c === 'prefer_other') return `${SYSTEM_LABEL[otherSystem(pair)]} wins`;
  return 'Ask me';
}

export function deletePolicyLabel(p: DeletePolicy, pair: PairId): string {
  void pair;
  if (p === 'propagate') return `Delete it in the other system too`;
  if (p === 'archive') return 'Archive it in the other system';
  return 'Stop syncing it, keep both records';
}

export const PLAN_ACTION: Record<PlanItem['action'], string> = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  archive: 'Archive',
  link: 'Link',
  conflict: 'Conflict',
  duplicate: 'Possible duplicate',
  skip: 'Skip',
};

export const TRIGGER_LABEL: Record<RunTrigger, string> = {
  timer: 'Scheduled',
  manual: 'Started by you',
  cli: 'Command line',
  preview: 'Preview',
  undo: 'Undo',
  resolution: 'After a decision',
  record: 'One record',
};

/** The sync's phases (progress events) in words. */
const PHASE: Record<string, string> = {
  reading: 'reading the systems',
  planning: 'working out what changed',
  writing: 'writing changes',
  done: 'finishing',
};
export const phaseLabel = (phase: string): string => PHASE[phase] ?? phase;

/** Run ids mean nothing to people: "Undo of run_20261123_ab12cd" → "Undo of an earlier sync". */
export const plainMessage = (text: string): string => text.replace(/\brun_\d{8,14}_[0-9a-f]+\b/g, 'an earlier sync');

export const LEVEL_LABEL: Record<LogLevel, string> = { debug: 'Detail', info: 'Info', warn: 'Warning', error: 'Error' };

/** The default mapping's field keys in words (main/sync/fields/defaults.ts); other keys are shown as they are. */
const FIELD_WORDS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  address1: 'Street address',
  city: 'City / suburb',
  state: 'State',
  postalCode: 'Postcode',
  title: 'Title',
  dueDate: 'Due date',
  body: 'Text',
  completed: 'Completed',
  labels: 'Tags / labels',
};
export const fieldWords = (key: string): string => FIELD_WORDS[key] ?? key;
