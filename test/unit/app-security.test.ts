import { describe, expect, it } from 'vitest';
import { join, sep } from 'node:path';
import {
  allowedExternalUrl,
  APP_ORIGIN,
  isTrustedSender,
  navigationDecision,
  originOf,
  permissionAllowed,
  resolveAppAsset,
  trustedOrigins,
} from '../../main/app/security.js';

const prod = trustedOrigins();
const dev = trustedOrigins('http://127.0.0.1:5173/');

describe('IPC sender check', () => {
  it("answers the main frame of the app's own page", () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html#/status`, parent: null }, prod)).toBe(true);
  });

  it('answers the dev server only in development', () => {
    const frame = { url: 'http://127.0.0.1:5173/#/logs', parent: null };
    expect(isTrustedSender(frame, dev)).toBe(true);
    expect(isTrustedSender(frame, prod)).toBe(false);
  });

  it('drops subframes, other origins, file:// pages and destroyed frames', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'app://other/index.html', parent: null }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', parent: null }, prod)).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5174/', parent: null }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, prod)).toBe(false);
    expect(isTrustedSender(null, prod)).toBe(false);
    expect(isTrustedSender(undefined, prod)).toBe(false);
  });

  it('originOf works for custom schemes too', () => {
    expect(originOf('app://bridge/x/y.js')).toBe('app://bridge');
    expect(originOf('HTTP://LOCALHOST:5173/a')).toBe('http://localhost:5173');
  });
});

describe('opening links in the system browser', () => {
  it('allows https pages on the allowlist', () => {
    expect(allowedExternalUrl('https://marketplace.gohighlevel.com/v2/oauth/chooselocation?client_id=x')).toBe(
      'https://marketplace.gohighlevel.com/v2/oauth/chooselocation?client_id=x',
    );
    expect(allowedExternalUrl('https://help.aroflo.com/display/office/API')).toBeDefined();
  });

  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const url of [
      'http://marketplace.gohighlevel.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'https://evil.example/',
      'https://marketplace.gohighlevel.com.evil.example/',
      'https://evilmarketplace.gohighlevel.com/',
      'https://user:pw@marketplace.gohighlevel.com/',
      'https://marketplace.gohighlevel.com:8443/',
      'not a url',
    ]) {
      expect(allowedExternalUrl(url), url).toBeUndefined();
    }
  });

  it('opens the HighLevel app only at a contact page, never its settings or any other page', () => {
    expect(allowedExternalUrl('https://app.gohighlevel.com/v2/location/loc_1/contacts/detail/c-9')).toBe(
      'https://app.gohighlevel.com/v2/location/loc_1/contacts/detail/c-9',
    );
    for (const url of [
      'https://app.gohighlevel.com/',
      'https://app.gohighlevel.com/v2/location/loc_1/settings/api_key',
      'https://app.gohighlevel.com/v2/location/loc_1/contacts/detail/c-9/../../settings',
      'https://app.gohighlevel.com/v2/location/loc_1/contacts/detail/c-9?redirect=https://evil.example',
      'https://app.gohighlevel.com/v2/location/loc_1/contacts/detail/c-9#x',
    ]) {
      expect(allowedExternalUrl(url), url).toBeUndefined();
    }
  });

  it('admits an exact extra origin (a local sandbox sign-in page) and nothing near it', () => {
    const extra = ['http://127.0.0.1:47000/oauth/chooselocation'];
    expect(
      allowedExternalUrl('http://127.0.0.1:47000/oauth/chooselocation?x=1', { extraOrigins: extra }),
    ).toBeDefined();
    expect(allowedExternalUrl('http://127.0.0.1:47001/oauth/chooselocation', { extraOrigins: extra })).toBeUndefined();
  });
});

describe('navigation', () => {
  it('stays on our own pages', () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html#/conflicts`, prod, 'navigate')).toEqual({ action: 'allow' });
  });
  it('sends allowlisted links to the browser and drops the rest', () => {
    expect(navigationDecision('https://help.gohighlevel.com/a', prod, 'navigate')).toEqual({
      action: 'open-external',
      url: 'https://help.gohighlevel.com/a',
    });
    expect(navigationDecision('https://evil.example/', prod, 'navigate')).toEqual({ action: 'deny' });
  });
  it('never opens a second app window, even for our own origin', () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html`, prod, 'new-window')).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('denies everything but clipboard writes from our own page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`, prod)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', prod)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'unknown']) {
      expect(permissionAllowed(p, `${APP_ORIGIN}/index.html`, prod), p).toBe(false);
    }
  });
});

describe('app:// file mapping', () => {
  const root = join(sep, 'app', 'dist', 'renderer');
  it('serves files inside the renderer folder, / as index.html', () => {
    expect(resolveAppAsset(`${APP_ORIGIN}/`, root)).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/index-abc.js?v=1`, root)).toBe(join(root, 'assets', 'index-abc.js'));
  });
  it('never maps a path outside the folder, however it is encoded', () => {
    for (const url of [
      `${APP_ORIGIN}/../secrets.vault`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/assets/..%2f..%2fpackage.json`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json`,
    ]) {
      const file = resolveAppAsset(url, root);
      if (file !== undefined) expect(file.startsWith(root + sep), `${url} → ${file}`).toBe(true);
    }
    // The URL parser already folds a literal "/../"; what is left must be inside the folder.
    expect(resolveAppAsset(`${APP_ORIGIN}/../secrets.vault`, root)).toBe(join(root, 'secrets.vault'));
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/..%2f..%2fpackage.json`, root)).toBeUndefined();
  });

  it('refuses backslashes, NUL bytes, other hosts and schemes', () => {
    for (const url of [
      `${APP_ORIGIN}/a%5c..%5c..%5cx`,
      `${APP_ORIGIN}/a%00.js`,
      'app://other/index.html',
      'file:///app/dist/renderer/index.html',
      '%%%',
    ]) {
      expect(resolveAppAsset(url, root), url).toBeUndefined();
    }
  });
});
