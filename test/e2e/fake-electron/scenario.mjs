/**
 * Runs the built main process (dist/main/app/index.js) against the Electron stand-in and prints what it did as one
 * JSON line ("RESULT {...}"). Every wait is bounded.
 */
const fake = (await import('electron')).fake;
const appIndex = process.env.FAKE_APP_INDEX;

async function until(check, what) {
  for (let i = 0; i < 400; i++) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const result = {};
try {
  await import(appIndex);
  result.beforeReady = fake.calls.map((c) => c.what);
  fake.makeReady();
  const tray = await until(() => fake.trays[0], 'the tray');
  const win = await until(() => fake.windows[0], 'the window');
  await until(() => tray.menu.some((i) => i.label === 'Sync now'), 'the tray menu with status');
  const { ipcMain, protocol, session } = await import('electron');

  result.window = { options: win.options, urls: [...win.urls], visible: win.visible };
  result.trayMenu = tray.menu.map((i) => (i.type === 'separator' ? '---' : i.label));
  result.trayTooltip = tray.tooltip;
  result.trayImages = [...tray.images];
  result.ipcChannels = [...ipcMain.handlers.keys()].sort();

  const trusted = { senderFrame: { url: 'app://bridge/index.html#/status', parent: null } };
  const untrusted = { senderFrame: { url: 'https://evil.example/', parent: null } };
  result.trustedStatus = await ipcMain.handlers.get('bridge:getStatus')(trusted);
  result.untrustedPause = await ipcMain.handlers.get('bridge:pause')(untrusted);
  result.pausedAfterUntrusted = (await ipcMain.handlers.get('bridge:getStatus')(trusted)).value.paused;

  const page = await protocol.handlers.get('app')(new Request('app://bridge/index.html'));
  result.page = {
    status: page.status,
    csp: page.headers.get('content-security-policy'),
    type: page.headers.get('content-type'),
    body: (await page.text()).slice(0, 200),
  };
  const escape = await protocol.handlers.get('app')(new Request('app://bridge/..%2f..%2fpackage.json'));
  result.escapeStatus = escape.status;

  result.permissionGeo = await new Promise((r) =>
    session.defaultSession.permissionRequest({}, 'geolocation', r, { requestingUrl: 'app://bridge/index.html' }),
  );

  // Tray: pause → the menu offers Resume; Conflicts opens the window on that screen.
  tray.menu.find((i) => i.id === 'pause').click();
  await until(() => tray.menu.some((i) => i.label === 'Resume sync'), 'Resume in the tray menu');
  result.trayAfterPause = { tooltip: tray.tooltip, image: tray.images.at(-1) };
  tray.menu.find((i) => i.id === 'pause').click();
  await until(() => tray.menu.some((i) => i.label === 'Pause sync'), 'Pause in the tray menu');
  tray.menu.find((i) => i.id === 'conflicts').click();
  result.urlAfterConflicts = win.urls.at(-1);

  // Events reach the window.
  result.eventsSent = win.sent.length;

  // Closing the window hides it to the tray; the app keeps running.
  result.closeHidden = win.close() === false && win.visible === false;

  // Quit from the tray: the service closes, then the app exits.
  tray.menu.find((i) => i.id === 'quit').click();
  await Promise.race([
    fake.exited,
    new Promise((_, rej) => setTimeout(() => rej(new Error('app did not exit')), 10_000)),
  ]);
  result.exited = fake.state.exited;
  result.calls = fake.calls.map((c) => ({ what: c.what, ready: c.ready }));
  result.errors = fake.calls.filter((c) => c.what === 'dialog.showErrorBox').map((c) => c.detail);
} catch (e) {
  result.failure = String(e?.stack ?? e);
  result.calls = fake.calls.map((c) => ({
    what: c.what,
    detail: c.what === 'dialog.showErrorBox' ? c.detail : undefined,
  }));
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
