import { describe, expect, it } from 'vitest';
import { MIN_SIZE, windowOptions } from '../../main/app/window-options.js';

describe('main window options', () => {
  const opts = windowOptions({ preloadPath: '/app/dist/preload/index.cjs', iconPath: '/res/icon.png' });
  const web = opts.webPreferences!;

  it('isolates the page from Node and Electron (security checklist)', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('loads the bundled CommonJS preload', () => {
    expect(web.preload).toBe('/app/dist/preload/index.cjs');
  });

  it('has no developer tools unless asked (development builds)', () => {
    expect(web.devTools).toBe(false);
    expect(windowOptions({ preloadPath: '/p', devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('starts hidden until the page is ready, titled, with the app icon and a usable minimum size', () => {
    expect(opts.show).toBe(false);
    expect(opts.title).toBe('GHL Bridge');
    expect(opts.icon).toBe('/res/icon.png');
    expect(opts.minWidth).toBe(MIN_SIZE.width);
    expect(opts.minHeight).toBe(MIN_SIZE.height);
    expect(opts.center).toBe(true);
  });

  it('restores saved bounds, never below the minimum size', () => {
    const o = windowOptions({ preloadPath: '/p', bounds: { x: 10, y: 20, width: 300, height: 2000 } });
    expect(o).toMatchObject({ x: 10, y: 20, width: MIN_SIZE.width, height: 2000 });
    expect(o.center).toBeUndefined();
  });
});
