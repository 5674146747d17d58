/**
 * Which transport the window uses: the preload's `window.ghlBridge` inside Electron, else serve mode's HTTP bridge.
 * Both implement the same `Bridge` contract, so nothing else in the window knows the difference.
 */
import type { Bridge } from '../../../preload/contract.js';
import { createHttpBridge } from './http-bridge.js';

declare global {
  interface Window {
    ghlBridge?: Bridge;
  }
}

export type Transport = 'electron' | 'http';

export function pickBridge(win: Window = window): { bridge: Bridge; transport: Transport } {
  if (win.ghlBridge) return { bridge: win.ghlBridge, transport: 'electron' };
  return { bridge: createHttpBridge(), transport: 'http' };
}

export { BridgeError, errorMessage, errorKind } from './errors.js';
