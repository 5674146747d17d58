/** The one window: created on demand, hidden (not closed) when the person closes it, reopened on a given screen. */
import { BrowserWindow } from 'electron';
import type { Screen } from '../../preload/contract.js';
import { APP_ENTRY_URL } from './security.js';
import { windowOptions } from './window-options.js';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath?: string;
  devServer?: string;
  devTools: boolean;
  /** True once the app is quitting: then close really closes. */
  isQuitting(): boolean;
}

export class MainWindow {
  private win: BrowserWindow | undefined;

  constructor(private readonly opts: MainWindowOptions) {}

  get webContents(): Electron.WebContents | undefined {
    return this.win && !this.win.isDestroyed() ? this.win.webContents : undefined;
  }

  private entry(screen?: Screen): string {
    const base = this.opts.devServer ? `${this.opts.devServer.replace(/\/$/, '')}/` : APP_ENTRY_URL;
    return screen ? `${base}#/${screen}` : base;
  }

  private create(screen?: Screen): BrowserWindow {
    const win = new BrowserWindow(
      windowOptions({ preloadPath: this.opts.preloadPath, iconPath: this.opts.iconPath, devTools: this.opts.devTools }),
    );
    win.on('close', (event) => {
      if (this.opts.isQuitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    win.once('ready-to-show', () => win.show());
    void win.loadURL(this.entry(screen));
    this.win = win;
    return win;
  }

  /** Shows the window (creating it if needed), optionally on a screen. A screen change is an in-page hash change. */
  show(screen?: Screen): void {
    if (!this.win || this.win.isDestroyed()) {
      this.create(screen);
      return;
    }
    if (screen) void this.win.loadURL(this.entry(screen));
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
  }
}
