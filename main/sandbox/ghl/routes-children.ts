/**
 * Everything hanging off one contact (tasks, notes, appointments, tags) and the location's custom-field
 * list (so a client can find the LinkedIn URL field by name).
 */
import type { FastifyInstance } from 'fastify';
import { CUSTOM_FIELDS_READ, type GhlContext, READ, WRITE, assertLocation, contactFor, send } from './context.js';
import { notFound } from './errors.js';
import { id20 } from './ids.js';
import { SUCCESS, eventView, iso, noteView, taskView } from './render.js';
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
    const t = store.createTask(c.id, {
      title: body.title!,
      body: body.body,
      dueDate: body.dueDate!,
      completed: body.completed!,
      assignedTo: body.assignedTo,
    });
    return send(reply, 200, { task: taskView(t) }); // 200 as live [NG create-contact-task]; the spec says 201
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
    return send(reply, 200, { ...SUCCESS });
  });

  // ---- notes ----
  app.get('/contacts/:contactId/notes', { config: { guard: READ } }, async (request, reply) => {
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    return send(reply, 200, { notes: store.listNotes(c.id).map(noteView) });
  });

  app.post('/contacts/:contactId/notes', { config: { guard: WRITE } }, async (request, reply) => {
    const body = parseNoteWrite(request.body, true);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    const n = store.createNote(c.id, {
      body: body.body!,
      userId: body.userId,
      title: body.title,
      color: body.color,
      pinned: body.pinned,
    });
    return send(reply, 200, { note: noteView(n) }); // 200 as live [NG create-contact-note]; the spec says 201
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
    return send(reply, 200, { ...SUCCESS });
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
    // As live [NG add-tags-to-contact]: 200 (the spec says 201), the resulting list and what was really added.
    const before = new Set(c.tags);
    const after = store.changeTags(c, tags, []);
    return send(reply, 200, { tags: after, tagsAdded: after.filter((t) => !before.has(t)) });
  });

  app.delete('/contacts/:contactId/tags', { config: { guard: WRITE } }, async (request, reply) => {
    const tags = parseTags(request.body);
    const c = contactFor(ctx, request, (request.params as ContactParams).contactId);
    // As live [NG remove-tags-from-contact]: the resulting list and what was really removed.
    const before = [...c.tags];
    const after = new Set(store.changeTags(c, [], tags));
    return send(reply, 200, { tags: [...after], tagsRemoved: before.filter((t) => !after.has(t)) });
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
        parentId: id20(ctx.opts.seed, `custom-field-folder:${loc.id}`), // the fields' folder, as live [NG custom-fields]
        model: 'contact',
        locationId: loc.id,
        standard: false,
        dateAdded: iso(f.dateAdded),
      })),
    });
  });
}
