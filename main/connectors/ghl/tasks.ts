/**
 * Tasks of a contact (/contacts/{contactId}/tasks…). GHL tasks have no updated timestamp and no paging; the
 * per-contact list is the whole list. Create is not retried after a server error or timeout (it may have worked).
 */
import type { GhlList, GhlTask } from './records.js';
import { envelopes, normalizeTask, rawTaskSchema, splitItems } from './schemas.js';
import { seg, type GhlTransport } from './transport.js';

export interface GhlTaskCreate {
  title: string;
  /** ISO 8601 date-time. */
  dueDate: string;
  completed?: boolean;
  body?: string;
  /** GHL user id. */
  assignedTo?: string;
}

export type GhlTaskUpdate = Partial<Pick<GhlTaskCreate, 'title' | 'body' | 'dueDate' | 'completed' | 'assignedTo'>>;

const TASK_FIELDS = ['title', 'body', 'dueDate', 'completed', 'assignedTo'] as const;

/** Only the fields GHL accepts, undefined ones left out. */
function taskBody(input: GhlTaskUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of TASK_FIELDS) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

export class GhlTasks {
  constructor(private readonly t: GhlTransport) {}

  private path(contactId: string, taskId?: string): string {
    return `/contacts/${seg(contactId)}/tasks${taskId === undefined ? '' : `/${seg(taskId)}`}`;
  }

  async list(contactId: string): Promise<GhlList<GhlTask>> {
    const r = await this.t.request(
      { method: 'GET', path: this.path(contactId), operation: 'GET /contacts/{id}/tasks' },
      envelopes.tasks,
    );
    return splitItems(r.tasks, rawTaskSchema, (x) => normalizeTask(x, contactId));
  }

  async get(contactId: string, taskId: string): Promise<GhlTask> {
    const r = await this.t.request(
      { method: 'GET', path: this.path(contactId, taskId), operation: 'GET /contacts/{id}/tasks/{taskId}' },
      envelopes.task,
    );
    return normalizeTask(r.task, contactId);
  }

  async create(contactId: string, input: GhlTaskCreate): Promise<GhlTask> {
    const json = { ...taskBody(input), completed: input.completed ?? false };
    const r = await this.t.request(
      { method: 'POST', path: this.path(contactId), operation: 'POST /contacts/{id}/tasks', json, idempotent: false },
      envelopes.task,
    );
    return normalizeTask(r.task, contactId);
  }

  async update(contactId: string, taskId: string, patch: GhlTaskUpdate): Promise<GhlTask> {
    const r = await this.t.request(
      {
        method: 'PUT',
        path: this.path(contactId, taskId),
        operation: 'PUT /contacts/{id}/tasks/{taskId}',
        json: taskBody(patch),
      },
      envelopes.task,
    );
    return normalizeTask(r.task, contactId);
  }

  /** PUT …/tasks/{taskId}/completed. */
  async setCompleted(contactId: string, taskId: string, completed: boolean): Promise<GhlTask> {
    const r = await this.t.request(
      {
        method: 'PUT',
        path: `${this.path(contactId, taskId)}/completed`,
        operation: 'PUT /contacts/{id}/tasks/{taskId}/completed',
        json: { completed },
      },
      envelopes.task,
    );
    return normalizeTask(r.task, contactId);
  }

  async delete(contactId: string, taskId: string): Promise<void> {
    await this.t.request(
      { method: 'DELETE', path: this.path(contactId, taskId), operation: 'DELETE /contacts/{id}/tasks/{taskId}' },
      envelopes.deleted,
    );
  }
}
