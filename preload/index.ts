/**
 * The preload: exposes exactly one frozen object, `window.ghlBridge`, the bridge transport over IPC (`invoke` one
 * method naming the window's location, `onEvent` for that location's events; the renderer's API client builds the
 * bridge API on it: renderer/src/bridge/located.ts). No Node, no ipcRenderer, no electron objects reach the page —
 * only these functions. Bundled to one CommonJS file
 * (dist/preload/index.cjs) because sandboxed preloads can neither use ESM nor require our other files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { BRIDGE_METHODS, IPC_EVENT_CHANNEL, ipcChannel } from './contract.js';
import type { BridgeEvent, BridgeMethod, BridgeTransport, CallScope } from './contract.js';
import { isIpcEnvelope } from './ipc-envelope.js';

class BridgeCallError extends Error {
  readonly kind: string;
  constructor(message: string, kind = 'failed') {
    super(message);
    this.name = 'BridgeError';
    this.kind = kind;
  }
}

const METHODS = new Set<string>(BRIDGE_METHODS);

/** One call: the method's channel, its argument, and the location the window shows (main/app/ipc-bridge.ts). */
async function invoke(method: BridgeMethod, arg: unknown, scope?: CallScope): Promise<unknown> {
  if (!METHODS.has(method)) throw new BridgeCallError(`There is no bridge method "${String(method)}".`, 'not_found');
  const location = typeof scope?.location === 'string' ? scope.location : undefined;
  const reply: unknown = await ipcRenderer.invoke(ipcChannel(method), arg, location);
  if (!isIpcEnvelope(reply))
    throw new BridgeCallError(`GHL Bridge sent an unreadable answer to ${method} — restart the app.`, 'malformed');
  if (!reply.ok) throw new BridgeCallError(reply.error.message, reply.error.kind);
  return reply.value;
}

/** Events for the window's location: main sends each with the location it belongs to (none: the only one). */
function onEvent(listener: (event: BridgeEvent) => void, scope?: CallScope): () => void {
  const wrapped = (_e: IpcRendererEvent, event: BridgeEvent, location?: unknown) => {
    if (typeof location === 'string' && scope?.location !== undefined && location !== scope.location) return;
    listener(event);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  };
}

const transport = Object.freeze({ invoke, onEvent }) satisfies BridgeTransport;

contextBridge.exposeInMainWorld('ghlBridge', transport);
