/**
 * Which transport the window uses: the preload's `window.ghlBridge` inside Electron, else serve mode's HTTP transport.
 * Both carry the same calls, each naming the window's location, which the API client (located.ts) adds, so nothing
 * else in the window knows the difference or the location.
 */
import type { Bridge, BridgeTransport } from '../../../preload/contract.js';
import { createHttpTransport } from './http-bridge.js';
import { createLocatedBridge, type LocationMemory } from './located.js';

declare global {
  interface Window {
    ghlBridge?: BridgeTransport;
  }
}

function tabMemory(win: Window): LocationMemory | undefined {
  try {
    return win.sessionStorage;
  } catch {
    return undefined;
  }
}

export type Transport = 'electron' | 'http';

export function pickBridge(win: Window = window): { bridge: Bridge; transport: Transport } {
  const transport: Transport = win.ghlBridge ? 'electron' : 'http';
  const carrier = win.ghlBridge ?? createHttpTransport();
  return { bridge: createLocatedBridge(carrier, tabMemory(win)), transport };
}

export { BridgeError, errorMessage, errorKind } from './errors.js';
