/**
 * The kinds of records the bridge links, and the kinds of rule output it keeps links for. A rule's output is an
 * entity kind of its own (its links, outbox rows and activity carry it), not a record kind cast into one.
 */

/** Records that exist in the systems: what the ID map links and people see. */
export type RecordKind = 'contact' | 'task' | 'note' | 'lead' | 'label' | 'appointment' | 'business';
/** What a sync rule makes: 'rule_task' is a HighLevel task the notes-to-tasks rule made from an AroFlo note. */
export type RuleKind = 'rule_task';
export type EntityKind = RecordKind | RuleKind;

export const RECORD_KINDS = [
  'contact',
  'task',
  'note',
  'lead',
  'label',
  'appointment',
  'business',
] as const satisfies readonly RecordKind[];
export const RULE_KINDS = ['rule_task'] as const satisfies readonly RuleKind[];
export const ENTITY_KINDS = [...RECORD_KINDS, ...RULE_KINDS] as const satisfies readonly EntityKind[];

export const isRuleKind = (e: string): e is RuleKind => (RULE_KINDS as readonly string[]).includes(e);
