/**
 * The Electron transport for the bridge API: one ipcMain.handle per method in BRIDGE_METHODS, every call checked
 * against trusted senders first (a message from anything else is dropped unanswered), and every failure returned
 * as a people-facing error envelope. Takes ipcMain as a parameter, so tests drive it with a fake.
 *
 * A call's second value is the location its window shows (preload/index.ts; main/service/README.md "Locations"): it
 * goes to that location's API (`router`; default: `api` as the one location), and one that is not open is refused.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHODS, ipcChannel } from '../../preload/contract.js';
import type { BridgeApi } from '../../preload/contract.js';
import type { IpcEnvelope } from '../../preload/ipc-envelope.js';
import { toTransportError } from '../web/error-payload.js';
import { singleLocationRouter, type LocationRouter } from '../service/location-router.js';

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  api: BridgeApi;
  /** Where each call goes by the location it names; default: `api` is the only location. */
  router?: LocationRouter;
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
  const router = opts.router ?? singleLocationRouter(opts.api);
  for (const method of BRIDGE_METHODS) {
    ipc.handle(ipcChannel(method), async (event, arg, location): Promise<IpcEnvelope> => {
      if (!opts.isTrusted(event)) {
        opts.log?.warn('Dropped a bridge call from an untrusted sender', { method, url: event.senderFrame?.url });
        return REFUSED;
      }
      try {
        if (location !== undefined && (typeof location !== 'string' || !location))
          return { ok: false, error: { kind: 'invalid_request', message: 'Refused: name one location or none.' } };
        const api = await router.route(location);
        const handler = api[method] as (a?: unknown) => Promise<unknown>;
        return { ok: true, value: await handler.call(api, arg) };
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
