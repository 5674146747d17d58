/**
 * What was wrong with a record that did not fit a connector's schema, without any of its values: the field path
 * (array positions written as `[]`, a key that is not a plain name written as `?`) and the kind of issue. Rejection
 * reasons (`reason`) are for the person's own log and may quote a value; these are safe to send on (`ghl-bridge smoke`).
 */
import type { z } from 'zod';

export interface FieldIssue {
  path: string;
  kind: string;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const path =
      i.path
        .map((k) => (typeof k === 'number' ? '[]' : typeof k === 'string' && PLAIN_KEY.test(k) ? k : '?'))
        .join('.')
        .replace(/\.\[\]/g, '[]') || '(record)';
    const kind =
      i.code === 'invalid_type'
        ? `expected ${String(i.expected)}`
        : i.code === 'custom'
          ? 'unreadable value'
          : i.code.replace(/_/g, ' ');
    return { path, kind };
  });
}
