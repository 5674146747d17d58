/** The tray icon and its menu, rebuilt from the status (tray-state.ts, tray-menu.ts decide; this only renders). */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppStatus } from '../../preload/contract.js';
import { buildTrayMenu, toMenuTemplate } from './tray-menu.js';
import type { TrayAction } from './tray-menu.js';
import { trayIconState } from './tray-state.js';
import type { TrayIconName } from './tray-state.js';
import { trayIconFile } from './paths.js';
import type { AppLayout } from './paths.js';

export class TrayController {
  private readonly tray: Tray;
  private icon: TrayIconName | undefined;

  constructor(
    private readonly layout: AppLayout,
    private readonly onAction: (action: TrayAction) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(trayIconFile(layout, 'idle')));
    // Windows and Linux: a click opens the window; the menu is on right-click (macOS: the menu on click).
    if (process.platform !== 'darwin') this.tray.on('click', () => this.onAction('open-window'));
    this.update(undefined);
  }

  update(status: AppStatus | undefined): void {
    const now = this.now();
    const { icon, tooltip } = trayIconState(status, now);
    if (icon !== this.icon) {
      this.tray.setImage(nativeImage.createFromPath(trayIconFile(this.layout, icon)));
      this.icon = icon;
    }
    this.tray.setToolTip(tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(buildTrayMenu({ status, now }), this.onAction)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
