/**
 * The preload: exposes exactly one frozen object, `window.ghlBridge`, implementing the bridge contract over IPC.
 * No Node, no ipcRenderer, no electron objects reach the page — only these functions. Bundled to one CommonJS file
 * (dist/preload/index.cjs) because sandboxed preloads can neither use ESM nor require our other files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { BRIDGE_METHODS, IPC_EVENT_CHANNEL, ipcChannel } from './contract.js';
import type { Bridge, BridgeApi, BridgeEvent, BridgeMethod } from './contract.js';
import { isIpcEnvelope } from './ipc-envelope.js';

class BridgeCallError extends Error {
  readonly kind: string;
  constructor(message: string, kind = 'failed') {
    super(message);
    this.name = 'BridgeError';
    this.kind = kind;
  }
}

async function invoke(method: BridgeMethod, arg: unknown): Promise<unknown> {
  const reply: unknown = await ipcRenderer.invoke(ipcChannel(method), arg);
  if (!isIpcEnvelope(reply))
    throw new BridgeCallError(`GHL Bridge sent an unreadable answer to ${method} — restart the app.`, 'malformed');
  if (!reply.ok) throw new BridgeCallError(reply.error.message, reply.error.kind);
  return reply.value;
}

const api = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
for (const method of BRIDGE_METHODS) api[method] = (arg?: unknown) => invoke(method, arg);

function onEvent(listener: (event: BridgeEvent) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, event: BridgeEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
  };
}

const bridge = Object.freeze({ ...(api as unknown as BridgeApi), onEvent }) satisfies Bridge;

contextBridge.exposeInMainWorld('ghlBridge', bridge);
