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
import { ProfileError } from '../store/profile.js';
import { intOption, mayCreate, print, printJson, untilSignal } from './common.js';
import { progressBar } from './progress.js';
import { ensureRenderer } from './renderer-files.js';
import { offerLaunchLinks } from './serve.js';
import { jsonSummary, printSummary } from './sync.js';
import { stageReview } from './demo-review.js';
import { PAIRS, type OtherSystemId, type PairMapping } from '../domain/index.js';

/** The first LinkedIn account that is logged out in Aimfox (the demo's "needs attention" item), if any. */
async function dormantAccount(svc: Service): Promise<string | undefined> {
  const r = await svc.connections
    .aimfoxClient()
    .listAccounts()
    .catch(() => undefined);
  return r?.items.find((x) => !x.loggedIn)?.id;
}

/** Every sandbox's admin token, and three things to try while the window is open. */
function tryThis(svc: Service, boxes: Sandboxes, profileDir: string, dormant: string | undefined): string[] {
  const origin = (u: string) => new URL(u).origin;
  const someone =
    svc.sync.store.mirror
      .all('ghl-aroflo:contact:ghl')
      .find((c) => svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id))?.id ?? '<contact id>';
  return [
    `Sandbox admin APIs (header x-sandbox-admin), to edit records as a person would:`,
    `  HighLevel ${origin(boxes.ghl.baseUrl)}/__admin  token ${boxes.ghl.adminToken}`,
    `  AroFlo    ${origin(boxes.aroflo.baseUrl)}/__admin  token ${boxes.aroflo.adminToken}`,
    `  Aimfox    ${origin(boxes.aimfox.baseUrl)}/__admin  token ${boxes.aimfox.adminToken}`,
    `Try this:`,
    `  1. Rename someone in HighLevel, then press "Sync now" and see AroFlo follow:`,
    `     curl -X PUT -H 'x-sandbox-admin: ${boxes.ghl.adminToken}' -H 'content-type: application/json' -d '{"firstName":"Renamed"}' ${origin(boxes.ghl.baseUrl)}/__admin/contacts/${encodeURIComponent(someone)}`,
    `  2. Reconnect the logged-out LinkedIn account in Aimfox, then "Test connection" on Aimfox clears it from Needs attention:`,
    `     curl -X PUT -H 'x-sandbox-admin: ${boxes.aimfox.adminToken}' -H 'content-type: application/json' -d '{"state":"LoggedIn"}' ${origin(boxes.aimfox.baseUrl)}/__admin/accounts/${encodeURIComponent(dormant ?? 'ACCOUNT_ID')}/state`,
    `  3. See everything the demo wrote, as a spreadsheet: Settings → Export audit CSV; the profile is ${profileDir}`,
  ];
}

export const DEMO_REDIRECT = 'http://127.0.0.1:47321/oauth/callback';

/** Connect a service to running sandboxes and set up both mappings as a new user would. */
export async function wireToSandboxes(
  svc: Service,
  boxes: Sandboxes,
  opts: { rateScale: number; noteToTask?: boolean },
): Promise<void> {
  const g = boxes.ghl.credentials;
  const a = boxes.aroflo.credentials;
  svc.connections.setEndpoints({
    ghl: boxes.ghl.baseUrl,
    ghlAuthorize: g.oauth.authorizeUrl,
    aroflo: boxes.aroflo.baseUrl,
    aimfox: boxes.aimfox.baseUrl,
    rateScale: opts.rateScale,
  });
  await svc.api.saveGhlOAuthApp({
    clientId: g.oauth.clientId,
    clientSecret: g.oauth.clientSecret,
    redirectUri: g.oauth.redirectUri,
  });
  await svc.api.saveGhlPrivateToken({ token: g.privateToken, locationId: g.locationId });
  await svc.api.saveArofloCredentials({
    uEncoded: a.uEncoded,
    pEncoded: a.pEncoded,
    orgEncoded: a.orgEncoded,
    secretKey: a.secretKey,
  });
  await svc.api.saveAimfoxKey({ apiKey: boxes.aimfox.credentials.apiKey });
  // What each sandbox needs in its pair's mapping, by the system on the other side of HighLevel.
  const wire: Record<OtherSystemId, (m: PairMapping) => void> = {
    aroflo: (m) => {
      m.defaults = {
        ...m.defaults,
        arofloBusinessUnitId: a.businessUnits[0]?.orgid,
        arofloTaskTypeId: a.taskTypes[0]?.tasktypeid,
      };
      if (opts.noteToTask !== false)
        m.noteToTask = { enabled: true, match: '', titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 };
    },
    aimfox: (m) => {
      m.defaults = {
        ...m.defaults,
        aimfoxCampaignId: boxes.aimfox.credentials.campaignId,
        linkedinFieldId: g.linkedinFieldId,
      };
    },
  };
  for (const m of await svc.api.getMappings()) {
    const next = structuredClone(m);
    wire[PAIRS[m.pair].other](next);
    await svc.api.saveMapping({ mapping: next });
  }
}

export const demo: CommandSpec = {
  summary: 'try everything on built-in sandboxes: a full three-system sync, then the window in your browser',
  usage:
    'ghl-bridge demo [--once] [--json] [--seed N] [--contacts N] [--rate-limits real|xFACTOR] [--port P] [--keep-profile]',
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
    if (mode === 'off')
      throw new Error(
        'The demo keeps the services’ rate limits on (use real or xFACTOR): the limits are part of what it shows.',
      );
    const rateScale = mode === 'real' ? 1 : mode;
    const log = values.json ? () => undefined : print;
    // A named --profile follows the CLI's rule (it must hold a profile, or --create); without one the demo makes a
    // throwaway. Checked before anything starts, so a typo costs nothing and creates nothing.
    const create = values.profile ? mayCreate(values, 'change') : true;
    if (!create) {
      throw new ProfileError(
        `There is no GHL Bridge profile in ${values.profile as string}. Check the folder name, or add --create to start a new profile there (ghl-bridge demo --profile … --create).`,
      );
    }
    const staticDir = values.once ? undefined : await ensureRenderer(log);
    const boxes = await startSandboxes({
      seed: intOption(values.seed, 'seed', 7),
      contacts: intOption(values.contacts, 'contacts', 200, 1, 100_000),
      rateLimits: mode,
      admin: true,
      redirectUris: [DEMO_REDIRECT],
    });
    const profileDir = (values.profile as string | undefined) ?? mkdtempSync(join(tmpdir(), 'ghl-bridge-demo-'));
    const ownKey = process.env.GHL_BRIDGE_VAULT_KEY;
    const env = { ...process.env, GHL_BRIDGE_VAULT_KEY: ownKey ?? throwawayVaultKey() };
    const svc = await createService({
      profileDir,
      env,
      echoLogs: !!values.verbose,
      create,
      holdProfile: { command: 'ghl-bridge demo' },
    }).catch(async (e: unknown) => {
      await boxes.close();
      throw e;
    });
    try {
      log(
        `Sandboxes up: HighLevel ${boxes.ghl.baseUrl}, AroFlo ${boxes.aroflo.baseUrl}, Aimfox ${boxes.aimfox.baseUrl} (${boxes.world.people.length} people, rate limits ${mode === 'real' ? 'real' : `×${rateScale} time scale`}).`,
      );
      log(`Profile: ${profileDir}`);
      await wireToSandboxes(svc, boxes, { rateScale });
      for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
        const p = await svc.api.previewMapping({ pair });
        log(
          `Preview ${pair}: ${p.counts.create} to create, ${p.counts.update} to update, ${p.counts.delete} to delete, ${p.counts.conflict} conflicts, ${p.counts.duplicate} possible duplicates.`,
        );
        await svc.api.setSyncEnabled({ pair, enabled: true });
      }
      const bar = values.json ? undefined : progressBar(svc);
      const summary = await svc.sync.runNow({ trigger: 'cli', dryRun: false, full: true });
      bar?.stop();
      if (values.json) printJson(jsonSummary(summary));
      else printSummary(summary);
      if (values.once) return summary.status === 'failed' ? 1 : 0;

      // Edits "as a person would" on both sides, then a second sync, so Conflicts has items to review.
      log('');
      log('Making a few edits as people would (conflicting first names, possible duplicates), then syncing again…');
      const second = await stageReview(svc, boxes);
      const st = await svc.api.getStatus();
      log(
        `Second sync ${second.status}: ${st.openConflicts} conflicts and ${st.openDuplicates} possible duplicates wait on the Conflicts screen.`,
      );

      svc.sync.startScheduler();
      const web = await startWebServer({
        service: svc,
        staticDir: staticDir!,
        port: intOption(values.port, 'port', 0, 0, 65_535),
        log: svc.logger,
      });
      print('');
      const stopLinks = offerLaunchLinks(web, print);
      for (const line of tryThis(svc, boxes, profileDir, await dormantAccount(svc))) print(line);
      // Short commands run beside the demo on its profile (it holds the profile only against a second long-running one).
      print(`Use the command line on this demo's data (in another terminal), e.g.:`);
      print(
        `  ${ownKey ? '' : `GHL_BRIDGE_VAULT_KEY='${env.GHL_BRIDGE_VAULT_KEY}' `}npx ghl-bridge status --profile '${profileDir}'`,
      );
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
