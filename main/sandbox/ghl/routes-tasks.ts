/**
 * POST /locations/{locationId}/tasks/search: HighLevel's location-wide task search (`locations.json`, operation
 * `task-search`, scope `locations/tasks.readonly`). The body filters and `limit`/`skip` paging follow the spec's
 * TaskSearchParamsDto; everything the spec leaves open (largest `limit`, largest `contactId` list, the item shape,
 * the order, `skip` past the end) is decided in TASK_SEARCH below and nowhere else (README "Location task search").
 */
import type { FastifyInstance } from 'fastify';
import { type GhlContext, type GuardConfig, assertLocation, principalOf, send } from './context.js';
import { unprocessable } from './errors.js';
import type { ContactRec, TaskRec } from './records.js';
import { iso, taskView } from './render.js';

/** Only the scope the spec lists for this operation (`security: bearer [locations/tasks.readonly]`). */
export const TASKS_READ = { scopes: ['locations/tasks.readonly'] } satisfies GuardConfig;

/** Unverified — change here (README "Location task search"). */
export const TASK_SEARCH = {
  /** The spec's default `limit`. */
  defaultLimit: 25,
  /** Largest `limit` accepted; above it → 422 "limit must not be greater than …" (unverified). */
  maxLimit: 100,
  /** Largest `contactId` list accepted in one call; above it → 422 (unverified). */
  maxContactIds: 100,
  /** Order of the whole result before `skip`/`limit`: due date, then id (unverified; stable, so paging is exact). */
  compare: (a: TaskRec, b: TaskRec): number =>
    a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  /** One item: the per-contact task shape (always with `contactId`, as a maintainer confirmed [I#332]) plus `dateAdded`. */
  item: (t: TaskRec): Record<string, unknown> => ({ ...taskView(t), dateAdded: iso(t.dateAdded) }),
  // `skip` at or past the end → 200 `{tasks: []}` (unverified).
} as const;

const FIELDS = ['contactId', 'completed', 'assignedTo', 'query', 'limit', 'skip', 'businessId'];

interface TaskSearchBody {
  contactId?: string[];
  completed?: boolean;
  assignedTo?: string[];
  query?: string;
  limit: number;
  skip: number;
  businessId?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** class-validator style: every problem collected into one 422 (README "Order of checks"). No body reads as `{}`. */
export function parseTaskSearch(body: unknown): TaskSearchBody {
  if (body !== undefined && !isObject(body)) throw unprocessable(['body must be an object']);
  const input = body ?? {};
  const errors: string[] = [];
  for (const key of Object.keys(input)) if (!FIELDS.includes(key)) errors.push(`property ${key} should not exist`);
  const list = (name: string): void => {
    const v = input[name];
    if (v === undefined) return;
    if (!Array.isArray(v)) errors.push(`${name} must be an array`);
    else if (!v.every((x) => typeof x === 'string')) errors.push(`each value in ${name} must be a string`);
  };
  list('contactId');
  list('assignedTo');
  if (Array.isArray(input.contactId) && input.contactId.length > TASK_SEARCH.maxContactIds) {
    errors.push(`contactId must contain no more than ${TASK_SEARCH.maxContactIds} elements`);
  }
  if (input.completed !== undefined && typeof input.completed !== 'boolean')
    errors.push('completed must be a boolean value');
  for (const name of ['query', 'businessId'])
    if (input[name] !== undefined && typeof input[name] !== 'string') errors.push(`${name} must be a string`);
  const int = (name: string, min: number, max: number): void => {
    const v = input[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v))
      errors.push(`${name} must be a number conforming to the specified constraints`);
    else if (v < min) errors.push(`${name} must not be less than ${min}`);
    else if (v > max) errors.push(`${name} must not be greater than ${max}`);
  };
  int('limit', 1, TASK_SEARCH.maxLimit);
  int('skip', 0, Number.MAX_SAFE_INTEGER);
  if (errors.length) throw unprocessable(errors);
  return {
    ...(input.contactId !== undefined ? { contactId: input.contactId as string[] } : {}),
    ...(input.completed !== undefined ? { completed: input.completed as boolean } : {}),
    ...(input.assignedTo !== undefined ? { assignedTo: input.assignedTo as string[] } : {}),
    ...(input.query !== undefined ? { query: input.query as string } : {}),
    ...(input.businessId !== undefined ? { businessId: input.businessId as string } : {}),
    limit: (input.limit as number | undefined) ?? TASK_SEARCH.defaultLimit,
    skip: (input.skip as number | undefined) ?? 0,
  };
}

export function taskSearchRoutes(app: FastifyInstance, ctx: GhlContext): void {
  const { store } = ctx;

  /** Every task of the location's contacts that passes the filters, in TASK_SEARCH order. */
  const matching = (locationId: string, p: TaskSearchBody): TaskRec[] => {
    const inLocation = (c: ContactRec | undefined): c is ContactRec => c !== undefined && c.locationId === locationId;
    const contactIds = p.contactId ? [...new Set(p.contactId)] : [...store.tasks.keys()];
    const query = p.query?.trim().toLowerCase();
    const assignees = p.assignedTo ? new Set(p.assignedTo) : undefined;
    const out: TaskRec[] = [];
    for (const contactId of contactIds) {
      const contact = store.contacts.get(contactId);
      if (!inLocation(contact)) continue;
      if (p.businessId !== undefined && contact.businessId !== p.businessId) continue;
      for (const t of store.listTasks(contactId)) {
        if (p.completed !== undefined && t.completed !== p.completed) continue;
        if (assignees && (t.assignedTo === undefined || !assignees.has(t.assignedTo))) continue;
        if (query && !`${t.title}\n${t.body ?? ''}`.toLowerCase().includes(query)) continue;
        out.push(t);
      }
    }
    return out.sort(TASK_SEARCH.compare);
  };

  app.post('/locations/:locationId/tasks/search', { config: { guard: TASKS_READ } }, async (request, reply) => {
    const p = parseTaskSearch(request.body);
    const { locationId } = request.params as { locationId: string };
    assertLocation(request, locationId);
    const page = matching(principalOf(request).locationId, p).slice(p.skip, p.skip + p.limit);
    return send(reply, 200, { tasks: page.map(TASK_SEARCH.item) });
  });
}
