/**
 * The admin over HTTP, under /__admin (only when `admin: true`). Every request needs
 * `x-sandbox-admin: <adminToken>`. Exempt from the rate limit and from faults. Errors use the same envelope
 * as the API.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AimfoxAdmin } from './admin.js';
import { failBody } from './errors.js';
import { AUDIENCE_STATES, CAMPAIGN_STATES, LABEL_COLORS } from './model.js';
import { parseInput } from './validate.js';

const ProfileBody = z.object({
  exists: z.boolean(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  jobTitle: z.string().optional(),
  companyName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  hasPicture: z.boolean().optional(),
  openProfile: z.boolean().optional(),
  blocked: z.boolean().optional(),
});
const TextBody = z.object({ text: z.string().min(1) });

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerAdminRoutes(app: FastifyInstance, admin: AimfoxAdmin, token: string): void {
  app.register(
    async (r) => {
      r.addHook('onRequest', async (req, reply) => {
        const given = req.headers['x-sandbox-admin'];
        if (!sameToken(typeof given === 'string' ? given : undefined, token)) {
          return reply
            .code(401)
            .send(failBody(401, 'Admin routes need the x-sandbox-admin header with the sandbox admin token'));
        }
        return undefined;
      });
      type Lead = { Params: { lead_id: string } };
      type LeadNote = { Params: { lead_id: string; note_id: string } };
      type LeadLabel = { Params: { lead_id: string; label_id: string } };
      type Campaign = { Params: { campaign_id: string } };

      r.get('/leads', async () => ({ leads: admin.listLeads() }));
      r.get<Lead>('/leads/:lead_id', async (req, reply) => {
        const lead = admin.getLead(req.params.lead_id);
        return lead ? { lead } : reply.code(404).send(failBody(404, `Lead ${req.params.lead_id} not found`));
      });
      r.post<Lead>('/leads/:lead_id/notes', async (req, reply) =>
        reply.code(201).send({ note: admin.addNote(req.params.lead_id, parseInput(TextBody, req.body, 'body').text) }),
      );
      r.patch<LeadNote>('/leads/:lead_id/notes/:note_id', async (req) => ({
        note: admin.editNote(req.params.lead_id, req.params.note_id, parseInput(TextBody, req.body, 'body').text),
      }));
      r.delete<LeadNote>('/leads/:lead_id/notes/:note_id', async (req) => {
        admin.deleteNote(req.params.lead_id, req.params.note_id);
        return { status: 'ok' };
      });
      r.post<LeadLabel>('/leads/:lead_id/labels/:label_id', async (req) => {
        admin.addLabel(req.params.lead_id, req.params.label_id);
        return { status: 'ok' };
      });
      r.delete<LeadLabel>('/leads/:lead_id/labels/:label_id', async (req) => {
        admin.removeLabel(req.params.lead_id, req.params.label_id);
        return { status: 'ok' };
      });
      r.put<Lead>('/leads/:lead_id/public-identifier', async (req) => ({
        lead: admin.changePublicIdentifier(
          req.params.lead_id,
          parseInput(z.object({ public_identifier: z.string().min(3) }), req.body, 'body').public_identifier,
        ),
      }));
      r.put<Lead>('/leads/:lead_id/connected', async (req) => ({
        lead: admin.setConnected(
          req.params.lead_id,
          parseInput(z.object({ connected: z.boolean() }), req.body, 'body').connected,
        ),
      }));

      r.get('/labels', async () => ({ labels: admin.listLabels() }));
      r.post('/labels', async (req, reply) => {
        const b = parseInput(
          z.object({ name: z.string().trim().min(1), color: z.enum(LABEL_COLORS).optional() }),
          req.body,
          'body',
        );
        return reply.code(201).send({ label: admin.createLabel(b.name, b.color) });
      });

      r.get<{ Params: { public_id: string } }>('/profiles/:public_id', async (req, reply) => {
        const profile = admin.getProfile(req.params.public_id);
        return profile
          ? { profile }
          : reply.code(404).send(failBody(404, `No LinkedIn profile "${req.params.public_id}" is known`));
      });
      r.put<{ Params: { public_id: string } }>('/profiles/:public_id', async (req) => ({
        profile: admin.setProfile(req.params.public_id, parseInput(ProfileBody, req.body, 'body')),
      }));

      r.get('/campaigns', async () => ({ campaigns: admin.listCampaigns() }));
      r.get<Campaign>('/campaigns/:campaign_id/audience', async (req) => ({
        audience: admin.audience(req.params.campaign_id),
      }));
      r.put<Campaign>('/campaigns/:campaign_id/state', async (req) => ({
        campaign: admin.setCampaignState(
          req.params.campaign_id,
          parseInput(z.object({ state: z.enum(CAMPAIGN_STATES) }), req.body, 'body').state,
        ),
      }));
      r.put<{ Params: { campaign_id: string; lead_id: string } }>(
        '/campaigns/:campaign_id/audience/:lead_id/state',
        async (req) => {
          const b = parseInput(
            z.object({ state: z.enum(AUDIENCE_STATES), connected: z.boolean().optional() }),
            req.body,
            'body',
          );
          return { entry: admin.setAudienceState(req.params.campaign_id, req.params.lead_id, b.state, b.connected) };
        },
      );
      r.put<{ Params: { account_id: string } }>('/accounts/:account_id/state', async (req) => {
        admin.setAccountState(
          req.params.account_id,
          parseInput(z.object({ state: z.enum(['LoggedIn', 'LoggedOut']) }), req.body, 'body').state,
        );
        return { status: 'ok' };
      });

      r.put('/faults', async (req) => {
        admin.setFaults(parseInput(z.object({ spec: z.string() }), req.body, 'body').spec);
        return { status: 'ok' };
      });
      r.delete('/faults', async () => {
        admin.setFaults(undefined);
        return { status: 'ok' };
      });
      r.get('/stats', async () => admin.stats());
      r.delete('/stats', async () => {
        admin.resetStats();
        return { status: 'ok' };
      });
      r.post('/reset', async () => {
        admin.reset();
        return { status: 'ok' };
      });
    },
    { prefix: '/__admin' },
  );
}
