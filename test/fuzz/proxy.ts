/**
 * A tiny loopback HTTP proxy in front of a sandbox that rewrites JSON answers on their way back: the fuzz tests put
 * it between a connector and its sandbox to serve wrong types, missing fields, huge strings, odd unicode, invalid
 * emails/phones and bad dates inside otherwise valid payloads. Requests pass through byte for byte (AroFlo's
 * signature covers them), Host header included.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (body: unknown, req: { method: string; url: string }) => unknown;

export interface FuzzProxy {
  baseUrl: string;
  /** Replace the rewrite (undefined = pass through). */
  set(rewrite: Rewrite | undefined): void;
  /** Answers rewritten so far. */
  rewritten: number;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<FuzzProxy> {
  const t = new URL(target);
  let rewrite: Rewrite | undefined;
  const state = { rewritten: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            let body = Buffer.concat(parts);
            const headers: IncomingHttpHeaders = { ...upRes.headers };
            const type = String(upRes.headers['content-type'] ?? '');
            if (rewrite && type.includes('json') && body.length) {
              try {
                const next = rewrite(JSON.parse(body.toString('utf8')), {
                  method: req.method ?? 'GET',
                  url: req.url ?? '/',
                });
                if (next !== undefined) {
                  body = Buffer.from(JSON.stringify(next), 'utf8');
                  state.rewritten++;
                }
              } catch {
                /* not JSON after all: pass it on */
              }
            }
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            headers['content-length'] = String(body.length);
            res.writeHead(upRes.statusCode ?? 502, headers);
            res.end(body);
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}${t.pathname.replace(/\/+$/, '')}`,
    set: (r) => (rewrite = r),
    get rewritten() {
      return state.rewritten;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every top-level array of records (objects with an id-like key) in a JSON answer, depth first. */
export function recordArrays(body: unknown, idKeys: string[]): Array<Array<Record<string, unknown>>> {
  const out: Array<Array<Record<string, unknown>>> = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      // The records themselves, not lists nested inside them (a contact's custom fields also have ids).
      if (
        v.length &&
        v.every((x) => x && typeof x === 'object' && !Array.isArray(x) && idKeys.some((k) => k in (x as object)))
      )
        return void out.push(v as Array<Record<string, unknown>>);
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(body, 0);
  return out;
}
