/**
 * Campaign audience: the whole-audience GET (no paging, every param ignored), single and bulk adds by
 * LinkedIn URL, removal by URN or public identifier, and per-target custom variables.
 */
import { z } from 'zod';
import type { RouteModule } from '../context.js';
import { AimfoxError, AUDIENCE_REFUSALS, notFound, validationError } from '../errors.js';
import { publicIdFromProfileUrl } from '../profile-url.js';
import { audienceJson } from '../render.js';
import { guidParam, parseInput } from '../validate.js';

const Variables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const SingleBody = z.object({ profile_url: z.string().min(1) });

const MultipleBody = z.object({
  type: z.literal('profile_url'),
  profiles: z.array(z.object({ profile_url: z.string().min(1), custom_variables: Variables.optional() })).min(1),
});

const CustomVariablesBody = z.object({
  custom_variables: z.array(z.object({ target_urn: z.string().min(1), variables: Variables })).min(1),
});

type IdParams = { Params: { campaign_id: string } };

function isRefusal(e: unknown): e is AimfoxError & { data: keyof typeof AUDIENCE_REFUSALS } {
  return e instanceof AimfoxError && e.data !== undefined && e.data in AUDIENCE_REFUSALS;
}

export const audienceRoutes: RouteModule = (app, ctx) => {
  app.get<IdParams>('/campaigns/:campaign_id/audience', async (req) => {
    const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
    return { status: 'ok', audience: [...c.audience.values()].map((e) => audienceJson(ctx.store, e)) };
  });

  app.post<IdParams>('/campaigns/:campaign_id/audience', async (req) => {
    const id = guidParam('campaign_id', req.params.campaign_id);
    const { profile_url } = parseInput(SingleBody, req.body, 'body');
    if (!publicIdFromProfileUrl(profile_url))
      throw validationError('"body.profile_url" must be a valid LinkedIn profile URL');
    const c = ctx.store.campaign(id);
    ctx.store.assertAcceptsProfiles(c);
    ctx.store.addToAudience(c, profile_url);
    return { status: 'ok' };
  });

  app.post<IdParams>('/campaigns/:campaign_id/audience/multiple', async (req) => {
    const id = guidParam('campaign_id', req.params.campaign_id);
    const body = parseInput(MultipleBody, req.body, 'body');
    const c = ctx.store.campaign(id);
    ctx.store.assertAcceptsProfiles(c);
    const profiles: unknown[] = [];
    const failed: Array<{ profile_url: string; custom_variables?: Record<string, string> }> = [];
    const failedReason: Record<string, string> = {};
    for (const item of body.profiles) {
      try {
        const { entry } = ctx.store.addToAudience(c, item.profile_url, item.custom_variables);
        profiles.push(audienceJson(ctx.store, entry));
      } catch (e) {
        if (!isRefusal(e)) throw e;
        failed.push(
          item.custom_variables
            ? { profile_url: item.profile_url, custom_variables: item.custom_variables }
            : { profile_url: item.profile_url },
        );
        // Keyed by public identifier; a URL that has none is keyed by itself.
        failedReason[publicIdFromProfileUrl(item.profile_url) ?? item.profile_url] = e.data;
      }
    }
    return { status: 'ok', profiles, failed, failedReason };
  });

  app.delete<{ Params: { campaign_id: string; urn: string } }>('/campaigns/:campaign_id/audience/:urn', async (req) => {
    const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
    ctx.store.removeFromAudience(c, req.params.urn);
    return { status: 'ok' };
  });

  app.get<IdParams>('/campaigns/:campaign_id/custom-variables', async (req) => {
    const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
    const keys = new Set<string>();
    const list = [...c.customVariables.entries()].map(([target_urn, variables]) => {
      for (const k of Object.keys(variables)) keys.add(k);
      return { target_urn, variables: { ...variables } };
    });
    return { status: 'ok', custom_variable_keys: [...keys], custom_variables: list };
  });

  app.get<{ Params: { campaign_id: string; urn: string } }>(
    '/campaigns/:campaign_id/custom-variables/:urn',
    async (req) => {
      const c = ctx.store.campaign(guidParam('campaign_id', req.params.campaign_id));
      const profile = ctx.store.profileByUrnOrPublicId(req.params.urn);
      if (!profile || !c.audience.has(profile.id)) throw notFound(`Target ${req.params.urn} in campaign ${c.id}`);
      const variables = c.customVariables.get(profile.urn) ?? {};
      return {
        status: 'ok',
        custom_variable_keys: Object.keys(variables),
        custom_variables: { target_urn: profile.urn, variables: { ...variables } },
      };
    },
  );

  app.post<IdParams>('/campaigns/:campaign_id/custom-variables', async (req) => {
    const id = guidParam('campaign_id', req.params.campaign_id);
    const body = parseInput(CustomVariablesBody, req.body, 'body');
    const c = ctx.store.campaign(id);
    const targets = body.custom_variables.map((t) => {
      const profile = ctx.store.profileByUrnOrPublicId(t.target_urn);
      if (!profile || !c.audience.has(profile.id)) throw notFound(`Target ${t.target_urn}`);
      return { profile, variables: t.variables };
    });
    const response = targets.map(({ profile, variables }) => {
      const merged = { ...(c.customVariables.get(profile.urn) ?? {}), ...variables };
      c.customVariables.set(profile.urn, merged);
      return {
        custom_variable_keys: Object.keys(merged),
        custom_variables: { target_urn: profile.urn, variables: { ...merged } },
      };
    });
    return { status: 'ok', response };
  });
};
