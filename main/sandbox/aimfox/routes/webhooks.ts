/** Webhook registrations. The sandbox stores them but never delivers (the app polls; README "Facts: webhooks"). */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import { webhookJson } from '../render.js';
import { guidParam, parseInput } from '../validate.js';

export const WEBHOOK_EVENTS = [
  'account_logged_in',
  'account_logged_out',
  'new_connection',
  'view',
  'connect',
  'accepted',
  'inmail',
  'message_request',
  'message',
  'new_reply',
  'reply',
  'inmail_reply',
  'lead_label_added',
  'campaign_created',
  'campaign_started',
  'campaign_ended',
  'campaign_reply',
  'inbox_event',
] as const;

const Url = z.string().refine((s) => /^https?:\/\/\S+$/.test(s), { message: 'must be a valid uri' });
const CreateBody = z.object({
  name: z.string().min(1),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  url: Url,
  integration: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
const PatchBody = z.object({
  name: z.string().min(1).optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
  url: Url.optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

type IdParams = { Params: { webhook_id: string } };

export const webhookRoutes: RouteModule = (app, ctx) => {
  app.get<{ Querystring: { integration?: string } }>('/webhooks', async (req) => {
    let list = [...ctx.store.webhooks.values()];
    if (req.query.integration === 'true' || req.query.integration === 'false')
      list = list.filter((w) => w.integration === (req.query.integration === 'true'));
    return { status: 'ok', webhooks: list.map((w) => webhookJson(ctx.store, w)) };
  });

  app.post('/webhooks', async (req, reply) => {
    const b = parseInput(CreateBody, req.body, 'body');
    return reply.code(201).send({ status: 'ok', webhook: webhookJson(ctx.store, ctx.store.createWebhook(b)) });
  });

  app.patch<IdParams>('/webhooks/:webhook_id', async (req) => {
    const id = guidParam('webhook_id', req.params.webhook_id);
    ctx.store.updateWebhook(id, parseInput(PatchBody, req.body, 'body'));
    return { status: 'ok' };
  });

  app.delete<IdParams>('/webhooks/:webhook_id', async (req) => {
    const id = guidParam('webhook_id', req.params.webhook_id);
    ctx.store.webhook(id);
    ctx.store.webhooks.delete(id);
    return { status: 'ok' };
  });
};
