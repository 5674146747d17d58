/**
 * One Server-Sent Events stream: `data: <json>` per event, a comment as keep-alive, and a hard cap on buffered
 * bytes so a stalled browser tab cannot make the server hoard memory (it is dropped and its EventSource reconnects).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BUFFERED = 1024 * 1024;

export interface EventStream {
  send(event: unknown): void;
  /** Hand over the unsubscribe function; called once when the stream ends. */
  attach(unsubscribe: () => void): void;
  end(): void;
}

/** The wire format of one event. JSON never contains a raw newline, so one data line is always enough. */
export function sseFrame(event: unknown): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { heartbeatMs: number; headers: Record<string, string>; onClose: () => void },
): EventStream {
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  res.writeHead(200, {
    ...opts.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n: connected\n\n');
  const heartbeat = setInterval(() => write(': ping\n\n'), opts.heartbeatMs);
  heartbeat.unref();

  function end(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe?.();
    opts.onClose();
    res.end();
  }

  function write(text: string): void {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED) return end();
    res.write(text);
  }

  req.on('close', end);
  res.on('error', end);

  return {
    send: (event) => write(sseFrame(event)),
    attach(fn) {
      if (closed) fn();
      else unsubscribe = fn;
    },
    end,
  };
}
