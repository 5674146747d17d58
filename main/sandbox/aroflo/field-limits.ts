/**
 * Field length limits and what happens past them. README "Facts: writes" gives the lengths; BARA saw *silent truncation*
 * on short person/phone text fields, so those truncate; every other documented limit is refused with an error
 * (code 202) so a client learns about it. Change a row here to change the behaviour.
 * Lengths count Unicode code points.
 */
export type OverLimit = 'truncate' | 'error';

export const FIELD_LIMITS: Record<string, Record<string, { max: number; over: OverLimit }>> = {
  client: {
    clientname: { max: 50, over: 'error' },
    firstname: { max: 50, over: 'error' },
    surname: { max: 50, over: 'error' },
    shortname: { max: 6, over: 'error' },
    email: { max: 250, over: 'error' },
    externalid: { max: 100, over: 'error' },
  },
  contact: {
    givennames: { max: 50, over: 'truncate' },
    surname: { max: 50, over: 'truncate' },
    phone: { max: 50, over: 'truncate' },
    mobile: { max: 50, over: 'truncate' },
    fax: { max: 50, over: 'truncate' },
    username: { max: 40, over: 'truncate' },
    email: { max: 250, over: 'error' },
  },
  task: {
    taskname: { max: 50, over: 'error' },
    contactname: { max: 50, over: 'truncate' },
    contactphone: { max: 50, over: 'truncate' },
  },
  clientnote: {
    content: { max: 1000, over: 'error' },
  },
};

export class FieldTooLong extends Error {
  constructor(
    readonly entity: string,
    readonly field: string,
    readonly max: number,
  ) {
    super(`${field} is longer than ${max} characters`);
  }
}

/** The value as it will be stored: unchanged, truncated, or refused (throws FieldTooLong). */
export function fit(entity: string, field: string, value: string): string {
  const rule = FIELD_LIMITS[entity]?.[field];
  if (!rule) return value;
  const points = [...value];
  if (points.length <= rule.max) return value;
  if (rule.over === 'truncate') return points.slice(0, rule.max).join('');
  throw new FieldTooLong(entity, field, rule.max);
}
