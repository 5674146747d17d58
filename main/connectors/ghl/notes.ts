/**
 * Notes of a contact (/contacts/{contactId}/notes…). Notes carry only `dateAdded`; reading them costs one request
 * per contact. Create is not retried after a server error or timeout (it may have worked).
 */
import type { GhlList, GhlNote } from './records.js';
import { envelopes, normalizeNote, rawNoteSchema, splitItems } from './schemas.js';
import { seg, type GhlTransport } from './transport.js';

export interface GhlNoteCreate {
  body: string;
  /** GHL user id shown as the author. */
  userId?: string;
  title?: string;
  /** e.g. "#FFAA00". */
  color?: string;
  pinned?: boolean;
}

export type GhlNoteUpdate = Partial<GhlNoteCreate>;

const NOTE_FIELDS = ['body', 'userId', 'title', 'color', 'pinned'] as const;

function noteBody(input: GhlNoteUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of NOTE_FIELDS) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

export class GhlNotes {
  constructor(private readonly t: GhlTransport) {}

  private path(contactId: string, noteId?: string): string {
    return `/contacts/${seg(contactId)}/notes${noteId === undefined ? '' : `/${seg(noteId)}`}`;
  }

  async list(contactId: string): Promise<GhlList<GhlNote>> {
    const r = await this.t.request(
      { method: 'GET', path: this.path(contactId), operation: 'GET /contacts/{id}/notes' },
      envelopes.notes,
    );
    return splitItems(r.notes, rawNoteSchema, (x) => normalizeNote(x, contactId));
  }

  async get(contactId: string, noteId: string): Promise<GhlNote> {
    const r = await this.t.request(
      { method: 'GET', path: this.path(contactId, noteId), operation: 'GET /contacts/{id}/notes/{noteId}' },
      envelopes.note,
    );
    return normalizeNote(r.note, contactId);
  }

  async create(contactId: string, input: GhlNoteCreate): Promise<GhlNote> {
    const r = await this.t.request(
      {
        method: 'POST',
        path: this.path(contactId),
        operation: 'POST /contacts/{id}/notes',
        json: noteBody(input),
        idempotent: false,
      },
      envelopes.note,
    );
    return normalizeNote(r.note, contactId);
  }

  async update(contactId: string, noteId: string, patch: GhlNoteUpdate): Promise<GhlNote> {
    const r = await this.t.request(
      {
        method: 'PUT',
        path: this.path(contactId, noteId),
        operation: 'PUT /contacts/{id}/notes/{noteId}',
        json: noteBody(patch),
      },
      envelopes.note,
    );
    return normalizeNote(r.note, contactId);
  }

  async delete(contactId: string, noteId: string): Promise<void> {
    await this.t.request(
      { method: 'DELETE', path: this.path(contactId, noteId), operation: 'DELETE /contacts/{id}/notes/{noteId}' },
      envelopes.deleted,
    );
  }
}
