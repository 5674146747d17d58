/** GET /accounts, POST /token (login token, never re-logs here) and one master-key route. */
import type { RouteModule } from '../context.js';
import { notFound } from '../errors.js';
import { accountJson } from '../render.js';
import { guidParam } from '../validate.js';

export const accountRoutes: RouteModule = (app, ctx) => {
  app.get('/accounts', async () => ({
    status: 'ok',
    accounts: ctx.store.accounts.map((a) => accountJson(ctx.store, a)),
  }));

  // Observed live with a capitalised status (README "Facts: keys"). The token is opaque and unusable elsewhere here.
  app.post('/token', async () => ({ status: 'OK', token: `sandbox-login.${ctx.store.ids.uuid()}` }));

  app.get<{ Params: { workspace_id: string } }>(
    '/workspaces/:workspace_id/tokens',
    { config: { keyType: 'master' } },
    async (req) => {
      const id = guidParam('workspace_id', req.params.workspace_id);
      if (id !== ctx.store.workspaceId) throw notFound(`Workspace ${id}`);
      return {
        status: 'ok',
        tokens: [
          {
            id: ctx.store.workspaceId,
            name: 'User Token',
            app_id: 'aimfox',
            workspace_id: id,
            read: true,
            write: true,
            created_at: 0,
          },
        ],
      };
    },
  );
};
