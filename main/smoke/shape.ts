/**
 * Shape pins: the keys and types an answer must have, written as plain data (main/smoke/pins/*.ts) so the sandbox
 * tests (test/sandbox/shape-pins/) and `ghl-bridge smoke` compare answers with exactly the same expectations.
 *
 * A shape is
 *   - a type name: 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'any', or several joined by
 *     '|' ('string|null');
 *   - `[item]`: an array whose every element has the shape `item`;
 *   - `{ key: shape, 'key?': shape }`: an object with these keys (a trailing '?' marks a key that may be absent);
 *     other keys are allowed (the real services send many more than the bridge reads);
 *   - `oneOf(a, b)`: either shape (e.g. an object or null).
 * Differences name key paths and types only, never values, so a report can be sent on without personal data.
 */
export type Shape = string | Shape[] | { [key: string]: Shape } | OneOf;

export interface OneOf {
  readonly $oneOf: Shape[];
}

export const oneOf = (...shapes: Shape[]): OneOf => ({ $oneOf: shapes });

export interface ShapePin {
  /** "METHOD /path/{param}" as the bridge's operation names read. */
  call: string;
  /** The status a successful answer carries. */
  status: number;
  /** Where the shape comes from: a recorded live answer or a spec schema (see main/sandbox/ghl/README.md). */
  evidence: string;
  shape: Shape;
}

const isOneOf = (s: Shape): s is OneOf => typeof s === 'object' && !Array.isArray(s) && '$oneOf' in s;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The differences between `value` and `shape`, as "path: expected …, got …" lines (empty = it fits). */
export function diffShape(shape: Shape, value: unknown, path = '$'): string[] {
  if (typeof shape === 'string') {
    const allowed = shape.split('|');
    const t = typeOf(value);
    return allowed.includes('any') || allowed.includes(t) ? [] : [`${path}: expected ${shape}, got ${t}`];
  }
  if (isOneOf(shape)) {
    const tries = shape.$oneOf.map((s) => diffShape(s, value, path));
    if (tries.some((d) => d.length === 0)) return [];
    return tries.reduce((a, b) => (b.length < a.length ? b : a));
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: expected array, got ${typeOf(value)}`];
    const item = shape[0];
    if (item === undefined) return [];
    const out: string[] = [];
    // Report each distinct problem once, not once per element.
    for (let i = 0; i < value.length; i++)
      for (const d of diffShape(item, value[i], `${path}[]`)) if (!out.includes(d)) out.push(d);
    return out;
  }
  if (typeOf(value) !== 'object') return [`${path}: expected object, got ${typeOf(value)}`];
  const obj = value as Record<string, unknown>;
  const out: string[] = [];
  for (const [rawKey, sub] of Object.entries(shape)) {
    const optional = rawKey.endsWith('?');
    const key = optional ? rawKey.slice(0, -1) : rawKey;
    if (!(key in obj)) {
      if (!optional) out.push(`${path}.${key}: missing`);
      continue;
    }
    out.push(...diffShape(sub, obj[key], `${path}.${key}`));
  }
  return out;
}

/** Status and shape of one answer against its pin. */
export function checkPin(pin: ShapePin, status: number, body: unknown): string[] {
  const out: string[] = [];
  if (status !== pin.status) out.push(`status: expected ${pin.status}, got ${status}`);
  out.push(...diffShape(pin.shape, body));
  return out;
}
