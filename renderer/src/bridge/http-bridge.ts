/**
 * Serve mode's HTTP transport: POST /api/<method>?location=<id> with the argument as JSON, and an EventSource on
 * /api/events?location=<id> (main/web/server.ts): the location is the one the window shows, named by the window's API
 * client (located.ts). The session id travels in the HttpOnly cookie the server set when the page was opened from its
 * single-use launch link (main/web/sessions.ts), so this code never sees it.
 */
import type {
  BridgeErrorPayload,
  BridgeEvent,
  BridgeMethod,
  BridgeTransport,
  CallScope,
} from '../../../preload/contract.js';
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

const query = (scope: CallScope): string =>
  scope.location === undefined ? '' : `?location=${encodeURIComponent(scope.location)}`;

export function createHttpTransport(opts: HttpBridgeOptions = {}): BridgeTransport {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const ES = opts.EventSource ?? globalThis.EventSource;

  async function invoke(method: BridgeMethod, arg: unknown, scope: CallScope): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}${query(scope)}`, {
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

  /** One EventSource per subscription: the client keeps one open, for the window's location. */
  function onEvent(listener: (e: BridgeEvent) => void, scope: CallScope): () => void {
    if (!ES) return () => undefined;
    const source = new ES(`${base}/api/events${query(scope)}`, { withCredentials: true });
    source.onmessage = (msg: MessageEvent<string>) => {
      let event: BridgeEvent;
      try {
        event = JSON.parse(msg.data) as BridgeEvent;
      } catch {
        return;
      }
      listener(event);
    };
    return () => source.close();
  }

  return Object.freeze({ invoke, onEvent }) satisfies BridgeTransport;
}
