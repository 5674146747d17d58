/**
 * The main window's options, as a pure function, so a unit test can assert the security settings one by one
 * (Electron's security checklist: context isolation, sandbox, no Node in the page, web security on).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (dist/preload/index.cjs). */
  preloadPath: string;
  /** Window icon (Linux/Windows; macOS uses the app bundle's icon). */
  iconPath?: string;
  /** Restored size and position, when known. */
  bounds?: { x?: number; y?: number; width: number; height: number };
  /** Developer tools only in development builds. */
  devTools?: boolean;
}

export const DEFAULT_SIZE = { width: 1120, height: 740 } as const;
export const MIN_SIZE = { width: 760, height: 520 } as const;

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const b = input.bounds;
  return {
    title: 'GHL Bridge',
    width: Math.max(b?.width ?? DEFAULT_SIZE.width, MIN_SIZE.width),
    height: Math.max(b?.height ?? DEFAULT_SIZE.height, MIN_SIZE.height),
    ...(b?.x !== undefined && b?.y !== undefined ? { x: b.x, y: b.y } : { center: true }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    // Shown when the page is ready (no white flash); the tray app starts hidden unless asked to open.
    show: false,
    backgroundColor: '#f5f7fa',
    autoHideMenuBar: true,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools ?? false,
    },
  };
}
