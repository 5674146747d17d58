/**
 * The bridge over serve mode's HTTP transport: POST /api/<method> with the argument as JSON, and one shared
 * EventSource on /api/events for every listener. The session id travels in the HttpOnly cookie the server set when
 * the page was opened from its single-use launch link (main/web/sessions.ts), so this code never sees it.
 */
import { BRIDGE_METHODS } from '../../../preload/contract.js';
import type { Bridge, BridgeApi, BridgeErrorPayload, BridgeEvent, BridgeMethod } from '../../../preload/contract.js';
import { BridgeError } from './errors.js';

export interface HttpBridgeOptions {
  /** Origin + path prefix; default: the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

function isErrorPayload(v: unknown): v is BridgeErrorPayload {
  const e = (v as BridgeErrorPayload | null)?.error;
  return typeof e === 'object' && e !== null && typeof e.message === 'string';
}

export function createHttpBridge(opts: HttpBridgeOptions = {}): Bridge {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const ES = opts.EventSource ?? globalThis.EventSource;

  async function invoke(method: BridgeMethod, arg: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(arg ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new BridgeError(
        'Lost contact with the GHL Bridge server — check that "ghl-bridge serve" is still running, then reload this page.',
        'network',
      );
    }
    let body: unknown = null;
    const text = await res.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new BridgeError(
          `The GHL Bridge server sent an unreadable answer to ${method} (HTTP ${res.status}) — reload the page and try again.`,
          'malformed',
        );
      }
    }
    if (!res.ok) {
      if (isErrorPayload(body)) throw new BridgeError(body.error.message, body.error.kind);
      throw new BridgeError(`${method} failed with HTTP ${res.status} — try again.`, 'failed');
    }
    return body;
  }

  const api = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
  for (const m of BRIDGE_METHODS) api[m] = (arg?: unknown) => invoke(m, arg);

  const listeners = new Set<(e: BridgeEvent) => void>();
  let source: EventSource | undefined;

  function onEvent(listener: (e: BridgeEvent) => void): () => void {
    listeners.add(listener);
    if (!source && ES) {
      source = new ES(`${base}/api/events`, { withCredentials: true });
      source.onmessage = (msg: MessageEvent<string>) => {
        let event: BridgeEvent;
        try {
          event = JSON.parse(msg.data) as BridgeEvent;
        } catch {
          return;
        }
        for (const l of [...listeners]) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = undefined;
      }
    };
  }

  return Object.freeze({ ...(api as unknown as BridgeApi), onEvent }) satisfies Bridge;
}
