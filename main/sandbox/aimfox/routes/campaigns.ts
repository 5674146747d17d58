/** Campaign list/create/get/patch/delete and metrics. */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import { OUTREACH_TYPES } from '../model.js';
import { campaignDetailJson, campaignMetricsJson, campaignSummaryJson } from '../render.js';
import { guidParam, parseInput } from '../validate.js';

const ListQuery = z.object({
  outreach_type: z.enum(['inbound', 'outbound']).optional(),
  accepts_profiles: z.enum(['true', 'false']).optional(),
});

const CreateBody = z.object({
  name: z.string().min(1).optional(),
  type: z.literal('list').optional(),
  outreach_type: z.enum(OUTREACH_TYPES),
  audience_size: z.number().int().min(1).optional(),
  account_ids: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  inmail_optimization: z.boolean().optional(),
  no_pfp: z.boolean().optional(),
  exclude_active_targets: z.boolean().optional(),
  exclude_previous_targets: z.boolean().optional(),
  uses_connection_note: z.boolean().optional(),
});

/** PATCH takes only these; anything else (e.g. state DONE, outreach_type) is refused. */
const PatchBody = z
  .object({
    name: z.string().min(1).optional(),
    state: z.enum(['ACTIVE', 'PAUSED']).optional(),
    target_count: z.number().int().min(0).optional(),
    exclude_active_targets: z.boolean().optional(),
    exclude_previous_targets: z.boolean().optional(),
  })
  .strict();

type IdParams = { Params: { campaign_id: string } };

export const campaignRoutes: RouteModule = (app, ctx) => {
  app.get('/campaigns', async (req) => {
    const q = parseInput(ListQuery, req.query, 'query');
    let list = [...ctx.store.campaigns.values()];
    if (q.outreach_type) list = list.filter((c) => (c.outreachType === 'drip') === (q.outreach_type === 'inbound'));
    if (q.accepts_profiles) list = list.filter((c) => ctx.store.acceptsProfiles(c) === (q.accepts_profiles === 'true'));
    return { status: 'ok', campaigns: list.map(campaignSummaryJson) };
  });

  // 200, not 201 (README "Facts: envelope"). The campaign starts in INIT; steps are set up in the dashboard.
  app.post('/campaigns', async (req) => {
    const b = parseInput(CreateBody, req.body, 'body');
    const c = ctx.store.createCampaign({
      name: b.name,
      type: b.type,
      outreachType: b.outreach_type,
      audienceSize: b.audience_size,
      accountIds: b.account_ids,
      inmailOptimization: b.inmail_optimization,
      noPfp: b.no_pfp,
      excludeActiveTargets: b.exclude_active_targets,
      excludePreviousTargets: b.exclude_previous_targets,
      usesConnectionNote: b.uses_connection_note,
    });
    return { status: 'ok', campaign: campaignDetailJson(c) };
  });

  app.get<IdParams>('/campaigns/:campaign_id', async (req) => {
    const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
    return { status: 'ok', campaign: campaignDetailJson(c) };
  });

  app.patch<IdParams>('/campaigns/:campaign_id', async (req) => {
    const id = guidParam('campaign_id', req.params.campaign_id);
    const patch = parseInput(PatchBody, req.body, 'body');
    return { status: 'ok', campaign: campaignDetailJson(ctx.store.updateCampaign(id, patch)) };
  });

  app.delete<IdParams>('/campaigns/:campaign_id', async (req) => {
    ctx.store.deleteCampaign(guidParam('campaign_id', req.params.campaign_id));
    return { status: 'ok' };
  });

  app.get<IdParams>('/campaigns/:campaign_id/metrics', async (req) => {
    const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
    return { status: 'ok', metrics: campaignMetricsJson(c) };
  });
};
