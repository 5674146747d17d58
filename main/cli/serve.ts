import type { CommandSpec } from '../cli.js';
import { startWebServer } from '../web/server.js';
import { intOption, openService, print, untilSignal } from './common.js';
import { ensureRenderer } from './renderer-files.js';

export const serve: CommandSpec = {
  summary: 'run the sync in the background and serve the window on http://127.0.0.1 (headless office server)',
  usage: 'ghl-bridge serve [--port P] [--profile DIR] [--no-sync]',
  options: { port: { type: 'string' }, 'no-sync': { type: 'boolean' } },
  async run({ values }) {
    const staticDir = await ensureRenderer(print);
    const svc = await openService(values, { startScheduler: !values['no-sync'], holdProfile: { command: 'ghl-bridge serve' } }, 'first-run');
    const web = await startWebServer({ service: svc, staticDir, port: intOption(values.port, 'port', 0, 0, 65_535), log: svc.logger });
    print(`GHL Bridge is running. Open ${web.url}`);
    print('(The address carries a private key for this launch: do not share it.) Press Ctrl-C to stop.');
    await untilSignal();
    await web.close();
    await svc.close();
    return 0;
  },
};
