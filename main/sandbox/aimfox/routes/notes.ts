/** Lead notes: one plain-text list per lead; `{id, text, created_at}`, no updated_at. */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import { noteJson } from '../render.js';
import { guidParam, leadIdParam, parseInput } from '../validate.js';

const TextBody = z.object({ text: z.string().min(1) });

type LeadParams = { Params: { lead_id: string } };
type NoteParams = { Params: { lead_id: string; note_id: string } };

export const noteRoutes: RouteModule = (app, ctx) => {
  app.get<LeadParams>('/leads/:lead_id/notes', async (req) => {
    const lead = ctx.store.lead(leadIdParam(req.params.lead_id));
    return { status: 'ok', notes: lead.notes.map(noteJson) };
  });

  app.post<LeadParams>('/leads/:lead_id/notes', async (req, reply) => {
    const leadId = leadIdParam(req.params.lead_id);
    const { text } = parseInput(TextBody, req.body, 'body');
    return reply.code(201).send({ status: 'ok', note: noteJson(ctx.store.createNote(leadId, text)) });
  });

  app.patch<NoteParams>('/leads/:lead_id/notes/:note_id', async (req) => {
    const leadId = leadIdParam(req.params.lead_id);
    const noteId = guidParam('note_id', req.params.note_id);
    const { text } = parseInput(TextBody, req.body, 'body');
    return { status: 'ok', note: noteJson(ctx.store.updateNote(leadId, noteId, text)) };
  });

  app.delete<NoteParams>('/leads/:lead_id/notes/:note_id', async (req) => {
    const leadId = leadIdParam(req.params.lead_id);
    ctx.store.deleteNote(leadId, guidParam('note_id', req.params.note_id));
    return { status: 'ok' };
  });
};
