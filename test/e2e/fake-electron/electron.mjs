/**
 * A stand-in for Electron's main-process API, just deep enough to run dist/main/app/index.js in plain Node: every
 * call is recorded in `calls`, and the scenario script drives the app through the handlers it registered.
 * Not a simulation of Electron's behaviour beyond what the wiring needs.
 */
import { EventEmitter } from 'node:events';

const calls = [];
const log = (what, detail) => calls.push({ what, detail, ready: state.ready });
const state = { ready: false, quitRequested: 0, exited: false };

class Emitter extends EventEmitter {}

function emitPreventable(target, name) {
  let prevented = false;
  const event = { preventDefault: () => (prevented = true) };
  target.emit(name, event);
  return prevented;
}

let resolveReady;
const readyPromise = new Promise((r) => (resolveReady = r));
let resolveExit;
const exited = new Promise((r) => (resolveExit = r));

const appEmitter = new Emitter();
const paths = { userData: '/fake/userData' };
export const app = Object.assign(appEmitter, {
  isPackaged: false,
  requestSingleInstanceLock: () => (log('app.requestSingleInstanceLock'), true),
  whenReady: () => readyPromise,
  getPath: (name) => paths[name] ?? `/fake/${name}`,
  setPath: (name, value) => (log('app.setPath', { name, value }), (paths[name] = value)),
  getVersion: () => '3.2.1',
  getAppPath: () => process.env.FAKE_APP_ROOT,
  setAppUserModelId: (id) => log('app.setAppUserModelId', id),
  setLoginItemSettings: (s) => log('app.setLoginItemSettings', s),
  quit() {
    state.quitRequested++;
    log('app.quit');
    if (emitPreventable(appEmitter, 'before-quit')) return;
    if (emitPreventable(appEmitter, 'will-quit')) return;
    state.exited = true;
    resolveExit();
  },
});

export const protocol = {
  handlers: new Map(),
  registerSchemesAsPrivileged: (schemes) => log('protocol.registerSchemesAsPrivileged', schemes),
  handle(scheme, fn) {
    log('protocol.handle', scheme);
    this.handlers.set(scheme, fn);
  },
};

const defaultSession = {
  permissionRequest: undefined,
  permissionCheck: undefined,
  headers: undefined,
  setPermissionRequestHandler(fn) {
    this.permissionRequest = fn;
  },
  setPermissionCheckHandler(fn) {
    this.permissionCheck = fn;
  },
  setDevicePermissionHandler: () => undefined,
  webRequest: {
    onHeadersReceived: (fn) => (defaultSession.headers = fn),
  },
};
export const session = { defaultSession };

export const ipcMain = {
  handlers: new Map(),
  handle(channel, fn) {
    this.handlers.set(channel, fn);
  },
  removeHandler(channel) {
    this.handlers.delete(channel);
  },
  on: (channel) => log('ipcMain.on', channel),
};

export const windows = [];
export class BrowserWindow extends Emitter {
  constructor(options) {
    super();
    this.options = options;
    this.urls = [];
    this.visible = false;
    this.sent = [];
    this.webContents = { send: (channel, payload) => this.sent.push({ channel, payload }) };
    windows.push(this);
    log('BrowserWindow', options);
  }
  loadURL(url) {
    this.urls.push(url);
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  /** What the close button does: Electron emits 'close' (preventable), then closes. */
  close() {
    if (emitPreventable(this, 'close')) return false;
    this.emit('closed');
    return true;
  }
}

export const trays = [];
export class Tray extends Emitter {
  constructor(image) {
    super();
    this.images = [image.path];
    this.tooltip = '';
    this.menu = [];
    trays.push(this);
  }
  setImage(image) {
    this.images.push(image.path);
  }
  setToolTip(t) {
    this.tooltip = t;
  }
  setContextMenu(menu) {
    this.menu = menu;
  }
  destroy() {
    log('tray.destroy');
  }
}

export const Menu = { buildFromTemplate: (template) => template };
export const nativeImage = { createFromPath: (path) => ({ path }) };
export const Notification = Object.assign(class {}, { isSupported: () => false });
export const shell = { openExternal: async (url) => log('shell.openExternal', url), openPath: async () => '' };
export const dialog = { showErrorBox: (title, body) => log('dialog.showErrorBox', { title, body }) };
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s) => Buffer.from(`enc:${s}`).reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString().slice(4),
};

export const fake = {
  calls,
  state,
  windows,
  trays,
  exited,
  makeReady() {
    state.ready = true;
    log('ready');
    resolveReady();
  },
};
globalThis.__fakeElectron = fake;

const electron = {
  app,
  protocol,
  session,
  ipcMain,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  Notification,
  shell,
  dialog,
  safeStorage,
};
export default electron;
