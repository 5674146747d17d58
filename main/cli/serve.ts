import type { CommandSpec } from '../cli.js';
import { startWebServer, type WebServer } from '../web/server.js';
import { createService } from '../service/index.js';
import { openLocationHub } from '../service/location-hub.js';
import { ProfileLocations } from '../service/locations.js';
import { isProfile } from '../store/profile.js';
import { FleetLocations } from '../fleet/registry.js';
import { databaseUrl, dataDir } from './fleet.js';
import { intOption, mayCreate, print, profileDirOf, untilSignal } from './common.js';
import { ensureRenderer } from './renderer-files.js';

/**
 * Prints a sign-in link now, and a fresh one on Enter (when run in a terminal) or on SIGUSR1 (under a service manager:
 * `kill -USR1 <pid>`, then read the log). Each link works once, within a minute (main/web/sessions.ts). SIGUSR2 signs
 * every browser out (a link or a session cookie that leaked), without stopping the sync. Returns a function that stops
 * listening.
 */
export function offerLaunchLinks(web: WebServer, out: (line: string) => void): () => void {
  const announce = () => out(`Open ${web.launchUrl()}`);
  announce();
  out(
    '(That link signs one browser in; it works once, within a minute. For another, press Enter here or send this process SIGUSR1; SIGUSR2 signs every browser out.)',
  );
  process.on('SIGUSR1', announce);
  const signOutAll = () => {
    web.revokeSessions();
    out('Every browser is signed out; open a new link to sign one in again.');
  };
  process.on('SIGUSR2', signOutAll);
  const onData = () => announce();
  const tty = process.stdin.isTTY === true;
  if (tty) {
    process.stdin.on('data', onData);
    process.stdin.resume();
  }
  return () => {
    process.off('SIGUSR1', announce);
    process.off('SIGUSR2', signOutAll);
    if (tty) {
      process.stdin.off('data', onData);
      process.stdin.pause();
    }
  };
}

export const serve: CommandSpec = {
  summary: 'run the sync in the background and serve the window on http://127.0.0.1 (headless office server)',
  usage:
    'ghl-bridge serve [--port P] [--profile DIR] [--location L] [--no-sync]\n' +
    '       ghl-bridge serve --database URL --data-dir DIR [--port P] [--location ID]   (agencies: every fleet location; the workers sync)',
  options: {
    port: { type: 'string' },
    'no-sync': { type: 'boolean' },
    database: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  async run({ values }) {
    const staticDir = await ensureRenderer(print);
    if (values.database !== undefined || process.env.GHL_BRIDGE_DATABASE_URL) return serveFleet(values, staticDir);
    const root = profileDirOf(values).dir;
    // A new profile is created as before (first use of the default folder, or --create); then every location of it
    // is opened, each running its own sync on its interval (main/service/location-hub.ts).
    const create = mayCreate(values, 'first-run');
    if (!isProfile(root)) await (await createService({ profileDir: root, create })).close();
    const registry = new ProfileLocations(root);
    const first = typeof values.location === 'string' ? registry.resolve(values.location).location.id : undefined;
    const hub = await openLocationHub(registry, {
      startScheduler: !values['no-sync'],
      holdProfile: { command: 'ghl-bridge serve' },
      echoLogs: !!values.verbose,
    });
    for (const [id, s] of hub.services()) {
      const problem = (s as { connections?: { vaultProblem?: string } }).connections?.vaultProblem;
      if (problem) process.stderr.write(`Warning (${id}): ${problem}\n`);
    }
    if (first) await hub.api.switchLocation({ id: first });
    const web = await startWebServer({
      service: hub,
      staticDir,
      port: intOption(values.port, 'port', 0, 0, 65_535),
      log: hub.logger,
    });
    print(`GHL Bridge is running at ${web.origin}.`);
    const stop = offerLaunchLinks(web, print);
    print('Press Ctrl-C to stop (every browser is signed out when it stops).');
    await untilSignal();
    stop();
    await web.close();
    await hub.close();
    return 0;
  },
};

/**
 * `serve --database`: every location of the fleet (main/fleet/registry.ts) in the window. No scheduler here: the
 * workers sync; "Sync now" queues a job for them (main/fleet/README.md, "serve").
 */
async function serveFleet(values: Record<string, string | boolean | undefined>, staticDir: string): Promise<number> {
  const registry = await FleetLocations.open({
    databaseUrl: databaseUrl(values),
    dataDir: dataDir(values),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  let hub: Awaited<ReturnType<typeof openLocationHub>>;
  try {
    if (!(await registry.list()).length)
      throw new Error('The fleet has no location yet: add one with `ghl-bridge fleet add-location`.');
    hub = await openLocationHub(registry, { startScheduler: false, echoLogs: !!values.verbose });
    if (typeof values.location === 'string') await hub.api.switchLocation({ id: values.location });
  } catch (e) {
    await registry.close();
    throw e;
  }
  const web = await startWebServer({
    service: hub,
    staticDir,
    port: intOption(values.port, 'port', 0, 0, 65_535),
    log: hub.logger,
  });
  print(`GHL Bridge is running at ${web.origin} for ${hub.services().size} fleet location(s); the workers sync them.`);
  const stop = offerLaunchLinks(web, print);
  print('Press Ctrl-C to stop (every browser is signed out when it stops).');
  await untilSignal();
  stop();
  await web.close();
  await hub.close();
  await registry.close();
  return 0;
}
