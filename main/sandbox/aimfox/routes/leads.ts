/**
 * Leads: details by numeric id, search (start/count honoured, see README), total, facets, and the
 * label attach/detach pair.
 */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import type { Lead } from '../model.js';
import { leadJson } from '../render.js';
import type { SearchFilters } from '../store.js';
import { guidParam, leadIdParam, parseInput } from '../validate.js';

const Ids = z.array(z.union([z.string(), z.number()]).transform(String)).optional();

/** Unknown body fields are ignored (OBS saw `campaign_ids` ignored), not refused. */
const SearchBody = z.object({
  keywords: z.string().optional(),
  current_companies: Ids,
  past_companies: Ids,
  education: Ids,
  interests: Ids,
  labels: Ids,
  languages: Ids,
  locations: Ids,
  origins: Ids,
  skills: Ids,
  lead_of: Ids,
  optimize: z.boolean().optional(),
});

const SearchQuery = z.object({
  start: z.coerce.number().int().min(0).optional(),
  count: z.coerce.number().int().min(1).optional(),
});

export const FACET_NAMES = [
  'lead_of',
  'origins',
  'current_companies',
  'past_companies',
  'locations',
  'labels',
  'interests',
  'skills',
  'languages',
] as const;

type LeadParams = { Params: { lead_id: string } };

export const leadRoutes: RouteModule = (app, ctx) => {
  app.get<LeadParams>('/leads/:lead_id', async (req) => {
    const lead = ctx.store.lead(leadIdParam(req.params.lead_id));
    return { status: 'ok', lead: leadJson(ctx.store, lead) };
  });

  app.post('/leads::search', async (req) => {
    const q = parseInput(SearchQuery, req.query, 'query');
    const filters: SearchFilters = parseInput(SearchBody, req.body, 'body');
    const start = q.start ?? 0;
    const count = Math.min(q.count ?? ctx.searchDefaultCount, ctx.searchMaxCount);
    const page = ctx.store.searchLeads(filters).slice(start, start + count);
    return { status: 'ok', leads: page.map((l) => leadJson(ctx.store, l)) };
  });

  app.post('/leads::search/total', async (req) => {
    const filters: SearchFilters = parseInput(SearchBody, req.body, 'body');
    const accounts_sync: Record<string, boolean> = {};
    for (const a of ctx.store.accounts) accounts_sync[a.id] = true;
    return { status: 'ok', total_leads: ctx.store.searchLeads(filters).length, sync: true, accounts_sync };
  });

  app.post<{ Params: { name: string } }>('/leads::search/facets/:name', async (req) => {
    const { name } = parseInput(z.object({ name: z.enum(FACET_NAMES) }), req.params, 'params');
    const filters: SearchFilters = parseInput(SearchBody, req.body, 'body');
    return { status: 'ok', [name]: facet(ctx.store.searchLeads(filters), name, ctx) };
  });

  // 201 (README "Facts: envelope"). Attaching twice is harmless.
  app.post<{ Params: { lead_id: string; label_id: string } }>(
    '/leads/:lead_id/labels/:label_id',
    async (req, reply) => {
      const leadId = leadIdParam(req.params.lead_id);
      ctx.store.attachLabel(leadId, guidParam('label_id', req.params.label_id));
      return reply.code(201).send({ status: 'ok' });
    },
  );

  app.delete<{ Params: { lead_id: string; label_id: string } }>('/leads/:lead_id/labels/:label_id', async (req) => {
    const leadId = leadIdParam(req.params.lead_id);
    ctx.store.detachLabel(leadId, guidParam('label_id', req.params.label_id));
    return { status: 'ok' };
  });
};

function facet(
  leads: Lead[],
  name: (typeof FACET_NAMES)[number],
  ctx: Parameters<RouteModule>[1],
): Array<{ id: string; name: string; target_count: number }> {
  const counts = new Map<string, { id: string; name: string; target_count: number }>();
  const bump = (id: string, label: string): void => {
    const f = counts.get(id) ?? { id, name: label, target_count: 0 };
    f.target_count++;
    counts.set(id, f);
  };
  for (const lead of leads) {
    const p = ctx.store.profileOf(lead);
    if (name === 'lead_of') for (const a of lead.leadOf) bump(a, a);
    else if (name === 'origins') for (const o of lead.origins) bump(o.id, o.name);
    else if (name === 'labels') for (const l of lead.labelIds) bump(l, ctx.store.labels.get(l)?.name ?? l);
    else if (name === 'current_companies' && p.company) bump(p.company.urn, p.company.name);
    else if (name === 'locations') bump(p.location.urn, p.location.name);
  }
  return [...counts.values()].sort((a, b) => b.target_count - a.target_count);
}
