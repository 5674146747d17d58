/** Workspace labels. Colors come from the documented set; names are unique (case- and accent-insensitive). */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import { validationError } from '../errors.js';
import { LABEL_COLORS } from '../model.js';
import { labelJson } from '../render.js';
import { guidParam, parseInput } from '../validate.js';

const CreateBody = z.object({ name: z.string().trim().min(1), color: z.enum(LABEL_COLORS) });
const PatchBody = z.object({ name: z.string().trim().min(1).optional(), color: z.enum(LABEL_COLORS).optional() });

type IdParams = { Params: { label_id: string } };

export const labelRoutes: RouteModule = (app, ctx) => {
  app.get('/labels', async () => ({
    status: 'ok',
    labels: [...ctx.store.labels.values()].map((l) => labelJson(ctx.store, l, true)),
  }));

  app.post('/labels', async (req, reply) => {
    const b = parseInput(CreateBody, req.body, 'body');
    return reply
      .code(201)
      .send({ status: 'ok', label: labelJson(ctx.store, ctx.store.createLabel(b.name, b.color), false) });
  });

  app.patch<IdParams>('/labels/:label_id', async (req) => {
    const id = guidParam('label_id', req.params.label_id);
    const b = parseInput(PatchBody, req.body, 'body');
    if (b.name === undefined && b.color === undefined)
      throw validationError('"body" must contain at least one of [name, color]');
    return { status: 'ok', label: labelJson(ctx.store, ctx.store.updateLabel(id, b), false) };
  });

  app.delete<IdParams>('/labels/:label_id', async (req) => {
    ctx.store.deleteLabel(guidParam('label_id', req.params.label_id));
    return { status: 'ok' };
  });
};
