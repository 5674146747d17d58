/**
 * `ghl-bridge demo`: the whole product on the embedded sandboxes, no accounts needed. Starts the three seeded
 * sandboxes, wires a fresh throwaway profile to them, previews and enables both mappings, runs a full sync with a
 * progress bar, prints the summary, then (unless --once) serves the window so you can look around, edit records in
 * the sandboxes and sync again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../cli.js';
import { createService, type Service } from '../service/index.js';
import { startSandboxes, throwawayVaultKey, type Sandboxes } from '../sandbox/index.js';
import { parseRateLimitMode } from '../sandbox/types.js';
import { startWebServer } from '../web/server.js';
import { intOption, print, printJson, untilSignal } from './common.js';
import { progressBar } from './progress.js';
import { ensureRenderer } from './renderer-files.js';
import { offerLaunchLinks } from './serve.js';
import { jsonSummary, printSummary } from './sync.js';

export const DEMO_REDIRECT = 'http://127.0.0.1:47321/oauth/callback';

/** Connect a service to running sandboxes and set up both mappings as a new user would. */
export async function wireToSandboxes(svc: Service, boxes: Sandboxes, opts: { rateScale: number; noteToTask?: boolean }): Promise<void> {
  const g = boxes.ghl.credentials;
  const a = boxes.aroflo.credentials;
  svc.connections.setEndpoints({ ghl: boxes.ghl.baseUrl, ghlAuthorize: g.oauth.authorizeUrl, aroflo: boxes.aroflo.baseUrl, aimfox: boxes.aimfox.baseUrl, rateScale: opts.rateScale });
  await svc.api.saveGhlOAuthApp({ clientId: g.oauth.clientId, clientSecret: g.oauth.clientSecret, redirectUri: g.oauth.redirectUri });
  await svc.api.saveGhlPrivateToken({ token: g.privateToken, locationId: g.locationId });
  await svc.api.saveArofloCredentials({ uEncoded: a.uEncoded, pEncoded: a.pEncoded, orgEncoded: a.orgEncoded, secretKey: a.secretKey });
  await svc.api.saveAimfoxKey({ apiKey: boxes.aimfox.credentials.apiKey });
  for (const m of await svc.api.getMappings()) {
    const next = structuredClone(m);
    if (m.pair === 'ghl-aroflo') {
      next.defaults = { ...next.defaults, arofloBusinessUnitId: a.businessUnits[0]?.orgid, arofloTaskTypeId: a.taskTypes[0]?.tasktypeid };
      if (opts.noteToTask !== false) next.noteToTask = { enabled: true, match: '', titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 };
    } else {
      next.defaults = { ...next.defaults, aimfoxCampaignId: boxes.aimfox.credentials.campaignId, linkedinFieldId: g.linkedinFieldId };
    }
    await svc.api.saveMapping({ mapping: next });
  }
}

export const demo: CommandSpec = {
  summary: 'try everything on built-in sandboxes: a full three-system sync, then the window in your browser',
  usage: 'ghl-bridge demo [--once] [--json] [--seed N] [--contacts N] [--rate-limits real|xFACTOR] [--port P] [--keep-profile]',
  options: {
    once: { type: 'boolean' },
    json: { type: 'boolean' },
    seed: { type: 'string' },
    contacts: { type: 'string' },
    'rate-limits': { type: 'string' },
    port: { type: 'string' },
    'keep-profile': { type: 'boolean' },
  },
  async run({ values }) {
    const mode = parseRateLimitMode((values['rate-limits'] as string | undefined) ?? 'x10');
    if (mode === 'off') throw new Error('The demo keeps the services’ rate limits on (use real or xFACTOR): the limits are part of what it shows.');
    const rateScale = mode === 'real' ? 1 : mode;
    const log = values.json ? () => undefined : print;
    const staticDir = values.once ? undefined : await ensureRenderer(log);
    const boxes = await startSandboxes({ seed: intOption(values.seed, 'seed', 7), contacts: intOption(values.contacts, 'contacts', 200, 1, 100_000), rateLimits: mode, admin: true, redirectUris: [DEMO_REDIRECT] });
    const profileDir = (values.profile as string | undefined) ?? mkdtempSync(join(tmpdir(), 'ghl-bridge-demo-'));
    const env = { ...process.env, GHL_BRIDGE_VAULT_KEY: process.env.GHL_BRIDGE_VAULT_KEY ?? throwawayVaultKey() };
    const svc = await createService({ profileDir, env, echoLogs: !!values.verbose });
    try {
      log(`Sandboxes up: HighLevel ${boxes.ghl.baseUrl}, AroFlo ${boxes.aroflo.baseUrl}, Aimfox ${boxes.aimfox.baseUrl} (${boxes.world.people.length} people, rate limits ${mode === 'real' ? 'real' : `×${rateScale} time scale`}).`);
      log(`Profile: ${profileDir}`);
      await wireToSandboxes(svc, boxes, { rateScale });
      for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
        const p = await svc.api.previewMapping({ pair });
        log(`Preview ${pair}: ${p.counts.create} to create, ${p.counts.update} to update, ${p.counts.delete} to delete, ${p.counts.conflict} conflicts, ${p.counts.duplicate} possible duplicates.`);
        await svc.api.setSyncEnabled({ pair, enabled: true });
      }
      const bar = values.json ? undefined : progressBar(svc);
      const summary = await svc.sync.runNow({ trigger: 'cli', dryRun: false, full: true });
      bar?.stop();
      if (values.json) printJson(jsonSummary(summary));
      else printSummary(summary);
      if (values.once) return summary.status === 'failed' ? 1 : 0;

      svc.sync.startScheduler();
      const web = await startWebServer({ service: svc, staticDir: staticDir!, port: intOption(values.port, 'port', 0, 0, 65_535), log: svc.logger });
      print('');
      const stopLinks = offerLaunchLinks(web, print);
      print(`Edit records "as a person would" through the sandboxes' admin APIs (header x-sandbox-admin), e.g.:`);
      print(`  curl -H 'x-sandbox-admin: ${boxes.ghl.adminToken}' ${boxes.ghl.baseUrl}/__admin/contacts | head`);
      print('Press Ctrl-C to stop.');
      await untilSignal();
      stopLinks();
      await web.close();
      return 0;
    } finally {
      await svc.close();
      await boxes.close();
      if (!values.profile && !values['keep-profile']) rmSync(profileDir, { recursive: true, force: true });
    }
  },
};
