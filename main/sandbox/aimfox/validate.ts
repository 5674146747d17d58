/**
 * Request validation with zod, reported the way Aimfox's (Joi-based) validator words it:
 * HTTP 400, `error.data = "ValidationError"`, message like `"params.lead_id" must be a number`.
 */
import type { z } from 'zod';
import { validationError } from './errors.js';
import { GUID_RE } from './ids.js';

type Where = 'body' | 'query' | 'params';

const ARTICLE: Record<string, string> = {
  array: 'an array',
  object: 'of type object',
  int: 'an integer',
  boolean: 'a boolean',
};

function joiMessage(issue: z.core.$ZodIssue, where: Where): string {
  const path = [where, ...issue.path.map(String)];
  const label = `"${path.join('.')}"`;
  switch (issue.code) {
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) return `${label} is required`;
      return `${label} must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case 'unrecognized_keys':
      return `"${[...path, issue.keys[0] ?? ''].join('.')}" is not allowed`;
    case 'invalid_value':
      return `${label} must be one of [${issue.values.map(String).join(', ')}]`;
    case 'too_small':
      if (issue.origin === 'string') return `${label} is not allowed to be empty`;
      if (issue.origin === 'array') return `${label} must contain at least ${String(issue.minimum)} items`;
      return `${label} must be greater than or equal to ${String(issue.minimum)}`;
    case 'too_big':
      return `${label} must be less than or equal to ${String(issue.maximum)}`;
    default:
      return `${label} ${issue.message}`;
  }
}

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: Where): T {
  const input = value === undefined || value === null ? {} : value;
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw validationError(issue ? joiMessage(issue, where) : `"${where}" is invalid`);
}

/** Lead ids are LinkedIn member ids: digits only. */
export function leadIdParam(value: string | undefined): string {
  if (!value || !/^\d+$/.test(value)) throw validationError('"params.lead_id" must be a number');
  return value;
}

/** Campaign, label, note and webhook ids are UUIDs. */
export function guidParam(name: string, value: string | undefined): string {
  if (!value || !GUID_RE.test(value)) throw validationError(`"params.${name}" must be a valid GUID`);
  return value.toLowerCase();
}
