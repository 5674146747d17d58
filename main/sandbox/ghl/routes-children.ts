/**
 * Everything hanging off one contact (tasks, notes, appointments, tags) and the location's custom-field
 * list (so a client can find the LinkedIn URL field by name).
 */
import type { FastifyInstance } from 'fastify';
import { CUSTOM_FIELDS_READ, type GhlContext, READ, WRITE, assertLocation, contactFor, send } from './context.js';
import { notFound } from './errors.js';
import { eventView, iso, noteView, taskView } from './render.js';
import { parseNoteWrite, parseTaskCompleted, parseTaskWrite, parseTags } from './write-dto.js';

type ContactParams = { contactId: string };
type TaskParams = { contactId: string; taskId: string };
type NoteParams = { contactId: string; id: string };

export function childRoutes(app: FastifyInstance, ctx: GhlContext): void {
  const { store } = ctx;
  const task = (contactId: string, taskId: string) => {
    const t = store.findTask(contactId, taskId);
    if (!t) throw notFound(ctx.opts.notFoundStatus, 'Task');
    return t;
  };
  const note = (contactId: string, id: string) => {
    const n = store.findNote(contactId, id);
    if (!n) throw notFound(ctx.opts.notFoundStatus, 'Note');
    return n;
  };

  // ---- tasks ----
  app.get('/contacts/:contactId/tasks', { config: { guard: READ } }, async (request, reply) => {
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    return send(reply, 200, { tasks: store.listTasks(c.id).map(taskView) });
  });

  app.post('/contacts/:contactId/tasks', { config: { guard: WRITE } }, async (request, reply) => {
    const body = parseTaskWrite(request.body, true);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    const t = store.createTask(c.id, { title: body.title!, body: body.body, dueDate: body.dueDate!, completed: body.completed!, assignedTo: body.assignedTo });
    return send(reply, 201, { task: taskView(t) });
  });

  app.get('/contacts/:contactId/tasks/:taskId', { config: { guard: READ } }, async (request, reply) => {
    const { contactId, taskId } = request.params as TaskParams;
    const c = contactFor(ctx, request, contactId);
    return send(reply, 200, { task: taskView(task(c.id, taskId)) });
  });

  app.put('/contacts/:contactId/tasks/:taskId', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId, taskId } = request.params as TaskParams;
    const body = parseTaskWrite(request.body, false);
    const c = contactFor(ctx, request, contactId);
    return send(reply, 200, { task: taskView(store.updateTask(task(c.id, taskId), body)) });
  });

  app.put('/contacts/:contactId/tasks/:taskId/completed', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId, taskId } = request.params as TaskParams;
    const completed = parseTaskCompleted(request.body);
    const c = contactFor(ctx, request, contactId);
    return send(reply, 200, { task: taskView(store.updateTask(task(c.id, taskId), { completed })) });
  });

  app.delete('/contacts/:contactId/tasks/:taskId', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId, taskId } = request.params as TaskParams;
    const c = contactFor(ctx, request, contactId);
    task(c.id, taskId);
    store.deleteTask(c.id, taskId);
    return send(reply, 200, { succeded: true });
  });

  // ---- notes ----
  app.get('/contacts/:contactId/notes', { config: { guard: READ } }, async (request, reply) => {
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    return send(reply, 200, { notes: store.listNotes(c.id).map(noteView) });
  });

  app.post('/contacts/:contactId/notes', { config: { guard: WRITE } }, async (request, reply) => {
    const body = parseNoteWrite(request.body, true);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    const n = store.createNote(c.id, { body: body.body!, userId: body.userId, title: body.title, color: body.color, pinned: body.pinned });
    return send(reply, 201, { note: noteView(n) });
  });

  app.get('/contacts/:contactId/notes/:id', { config: { guard: READ } }, async (request, reply) => {
    const { contactId, id } = request.params as NoteParams;
    const c = contactFor(ctx, request, contactId);
    return send(reply, 200, { note: noteView(note(c.id, id)) });
  });

  app.put('/contacts/:contactId/notes/:id', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId, id } = request.params as NoteParams;
    const body = parseNoteWrite(request.body, false);
    const c = contactFor(ctx, request, contactId);
    return send(reply, 200, { note: noteView(store.updateNote(note(c.id, id), body)) });
  });

  app.delete('/contacts/:contactId/notes/:id', { config: { guard: WRITE } }, async (request, reply) => {
    const { contactId, id } = request.params as NoteParams;
    const c = contactFor(ctx, request, contactId);
    note(c.id, id);
    store.deleteNote(c.id, id);
    return send(reply, 200, { succeded: true });
  });

  // ---- appointments ----
  app.get('/contacts/:contactId/appointments', { config: { guard: READ } }, async (request, reply) => {
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    const tz = store.location(c.locationId)?.timezone ?? 'UTC';
    return send(reply, 200, { events: (store.events.get(c.id) ?? []).map((e) => eventView(e, tz)) });
  });

  // ---- tags ----
  app.post('/contacts/:contactId/tags', { config: { guard: WRITE } }, async (request, reply) => {
    const tags = parseTags(request.body);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    return send(reply, 201, { tags: store.changeTags(c, tags, []) });
  });

  app.delete('/contacts/:contactId/tags', { config: { guard: WRITE } }, async (request, reply) => {
    const tags = parseTags(request.body);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    return send(reply, 200, { tags: store.changeTags(c, [], tags) });
  });

  // ---- custom fields of a location ----
  app.get('/locations/:locationId/customFields', { config: { guard: CUSTOM_FIELDS_READ } }, async (request, reply) => {
    const { locationId } = request.params as { locationId: string };
    assertLocation(request, locationId);
    const loc = store.location(locationId)!;
    return send(reply, 200, {
      customFields: loc.customFields.map((f) => ({
        id: f.id,
        name: f.name,
        fieldKey: f.fieldKey,
        placeholder: f.placeholder,
        dataType: f.dataType,
        position: f.position,
        ...(f.picklistOptions ? { picklistOptions: [...f.picklistOptions] } : {}),
        documentType: 'field',
        model: 'contact',
        locationId: loc.id,
        standard: false,
        dateAdded: iso(f.dateAdded),
      })),
    });
  });
}
