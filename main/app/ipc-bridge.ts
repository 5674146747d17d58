/**
 * The Electron transport for the bridge API: one ipcMain.handle per method in BRIDGE_METHODS, every call checked
 * against trusted senders first (a message from anything else is dropped unanswered), and every failure returned
 * as a people-facing error envelope. Takes ipcMain as a parameter, so tests drive it with a fake.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHODS, ipcChannel } from '../../preload/contract.js';
import type { BridgeApi } from '../../preload/contract.js';
import type { IpcEnvelope } from '../../preload/ipc-envelope.js';
import { toTransportError } from '../web/error-payload.js';

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  api: BridgeApi;
  isTrusted: (event: IpcMainInvokeEvent) => boolean;
  log?: {
    warn(message: string, context?: Record<string, unknown>): void;
    error(message: string, context?: Record<string, unknown>): void;
  };
}

export const REFUSED: IpcEnvelope = {
  ok: false,
  error: { kind: 'forbidden', message: 'Refused: this request did not come from the GHL Bridge window.' },
};

/** Registers every bridge method; returns a function that removes them again. */
export function registerBridgeIpc(ipc: IpcMainLike, opts: RegisterOptions): () => void {
  for (const method of BRIDGE_METHODS) {
    ipc.handle(ipcChannel(method), async (event, arg): Promise<IpcEnvelope> => {
      if (!opts.isTrusted(event)) {
        opts.log?.warn('Dropped a bridge call from an untrusted sender', { method, url: event.senderFrame?.url });
        return REFUSED;
      }
      try {
        const handler = opts.api[method] as (a?: unknown) => Promise<unknown>;
        return { ok: true, value: await handler.call(opts.api, arg) };
      } catch (err) {
        const out = toTransportError(err, method);
        if (out.internal)
          opts.log?.error(`${method} failed`, {
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          });
        return { ok: false, error: out.payload.error };
      }
    });
  }
  return () => {
    for (const method of BRIDGE_METHODS) ipc.removeHandler(ipcChannel(method));
  };
}
