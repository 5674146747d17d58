/**
 * The one AroFlo endpoint, `/` (README "Facts: transport"): GET with a query string, POST with a form body `zone=…&postxml=…`.
 * The signature covers the raw query string / raw body exactly as received, so bodies are kept as text.
 * Logical errors answer HTTP 200 with a non-"0" status; only the per-second limit answers HTTP 429.
 * Request-level errors use status "1": no/unknown zone ("No Zone Specified"), a bad where ("Invalid WHERE
 * Clause - …"), a bad order ("Invalid ORDER Clause - …"), and a bad postxml ("Invalid postxml value", with the
 * same text in postresults.errors[]).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type AuthState } from './auth.js';
import { formatOf, send, serialize, statusBody, type Format, type Obj } from './envelope.js';
import type { RateLimiter, RequestClass } from './limits.js';
import { PostXmlError, parsePostXml } from './postxml.js';
import { MAX_PAGE_SIZE, OrderError } from './query.js';
import type { StatsCounter } from './stats.js';
import { WhereError } from './where.js';
import { RECORD_ELEMENT } from './writes.js';
import type { Core } from './core.js';
import { WRITABLE_ZONES, ZONE_NAMES, type ZoneName, type ZoneSpec } from './zones.js';
import { WRITE_ERRORS } from './ops.js';

export interface ApiContext {
  core: Core;
  limiter: RateLimiter;
  auth: AuthState;
  stats: StatsCounter;
  now: () => number;
  clockSkewMs: number;
}

/** Responses larger than this fail with status 8 (README "Facts: limits": 3.5 MB). */
export const RESPONSE_SIZE_LIMIT = 3.5 * 1024 * 1024;

/** Zones whose `currentpageresults` comes back as a string ("85") instead of a number (README "Facts: envelope": they flip). */
const STRING_COUNT_ZONES = new Set<ZoneName>(['tasks', 'lastupdate']);

function rawQuery(req: FastifyRequest): string {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(q + 1) : '';
}

function zoneOf(text: string | null): ZoneName | undefined {
  const z = text?.trim().toLowerCase();
  return ZONE_NAMES.find((n) => n === z);
}

/** A GET whose only where is `and|<zone id>|=|<one id>` counts toward the secondary limit. */
function isSingleIdGet(spec: ZoneSpec<unknown>, where: string[]): boolean {
  if (where.length !== 1 || !spec.idField) return false;
  const parts = where[0]!.split('|');
  return (
    parts.length === 4 &&
    parts[0]!.trim().toLowerCase() === 'and' &&
    parts[1]!.trim().toLowerCase() === spec.idField &&
    parts[2]!.trim() === '=' &&
    !!parts[3] &&
    !parts[3].includes('*')
  );
}

export function registerApi(app: FastifyInstance, ctx: ApiContext): void {
  app.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    api.route({
      method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'],
      url: '/',
      exposeHeadRoute: false,
      handler: (req, reply) => handle(ctx, req, reply),
    });
  });
}

function handle(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const started = performance.now();
  const accept = req.headers.accept;
  const format: Format = formatOf(Array.isArray(accept) ? accept[0] : accept);
  const method = req.method.toUpperCase();
  const isGet = method === 'GET';
  const varString = isGet ? rawQuery(req) : typeof req.body === 'string' ? req.body : '';
  const params = new URLSearchParams(varString);
  const zone = zoneOf(params.get('zone'));
  ctx.stats.endpoint(`${method} ${zone ?? params.get('zone')?.trim().toLowerCase() ?? '/'}`);

  if (method !== 'GET' && method !== 'POST') {
    reply.headers(ctx.limiter.headers(undefined));
    return send(reply, statusBody('5', 'Invalid Request Method'), format);
  }

  const auth = authenticate(req, varString, ctx.auth, ctx.now(), ctx.clockSkewMs);
  if (!auth.ok) {
    ctx.stats.add('authFailures');
    reply.headers(ctx.limiter.headers(auth.org === ctx.auth.orgEncoded ? auth.org : undefined));
    return send(reply, statusBody(auth.status, auth.message), format);
  }
  const org = auth.org;
  const where = params.getAll('where');
  const spec = zone ? ctx.core.zones[zone] : undefined;
  const cls: RequestClass =
    isGet && zone === 'lastupdate' ? 'free' : isGet && spec && isSingleIdGet(spec, where) ? 'secondary' : 'counted';
  const refusal = ctx.limiter.check(org, cls);
  if (refusal) {
    ctx.stats.add('rateLimited');
    reply.headers(ctx.limiter.headers(org));
    return send(reply, statusBody(refusal.status, refusal.message), format, refusal.httpStatus);
  }
  ctx.limiter.record(org, cls);
  ctx.stats.add(cls);
  reply.headers(ctx.limiter.headers(org));

  if (!zone || !spec)
    return send(
      reply,
      statusBody(
        '1',
        params.get('zone') ? `No Zone Specified - unknown zone "${params.get('zone')}"` : 'No Zone Specified',
      ),
      format,
    );
  return isGet
    ? handleGet(ctx, zone, params, where, format, reply, started)
    : handlePost(ctx, zone, params, format, reply);
}

function handleGet(
  ctx: ApiContext,
  zone: ZoneName,
  params: URLSearchParams,
  where: string[],
  format: Format,
  reply: FastifyReply,
  started: number,
): FastifyReply {
  const num = (name: string, dflt: number): number => {
    const n = Number(params.get(name) ?? dflt);
    return Number.isFinite(n) && n >= 1 ? Math.floor(n) : dflt;
  };
  let result;
  try {
    result = ctx.core.query.run({
      zone,
      where,
      order: params.getAll('order'),
      join: params.getAll('join').flatMap((j) => j.split(',')),
      page: num('page', 1),
      pageSize: num('pageSize', MAX_PAGE_SIZE),
    });
  } catch (e) {
    if (e instanceof WhereError) return send(reply, statusBody('1', `Invalid WHERE Clause - ${e.message}`), format);
    if (e instanceof OrderError) return send(reply, statusBody('1', `Invalid ORDER Clause - ${e.message}`), format);
    throw e;
  }
  const count = result.records.length;
  // Quirk (README "Facts: envelope"): one record comes back as a bare object, not a one-element array (JSON, top-level list only).
  const list = format === 'json' && count === 1 ? result.records[0]! : result.records;
  const body: Obj = {
    status: '0',
    statusmessage: result.defaultFilterApplied
      ? 'Login OK. No WHERE clause found, default filter applied.'
      : 'Login OK',
    zoneresponse: {
      [zone]: list,
      currentpageresults: STRING_COUNT_ZONES.has(zone) ? String(count) : count,
      maxpageresults: result.pageSize,
      pagenumber: String(result.page),
      generatedisplayresponsetime: Math.round(performance.now() - started),
      queryresponsetimes: { [zone]: result.queryMs },
    },
  };
  const text = serialize(body, format);
  if (Buffer.byteLength(text) > RESPONSE_SIZE_LIMIT)
    return send(reply, statusBody('8', 'Exceeded Size Rate Limit - Please try filtering your request down'), format);
  return reply
    .code(200)
    .type(format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8')
    .send(text);
}

function handlePost(
  ctx: ApiContext,
  zone: ZoneName,
  params: URLSearchParams,
  format: Format,
  reply: FastifyReply,
): FastifyReply {
  const empty = (errors: Obj[]): Obj => ({
    postresults: { inserttotal: 0, inserts: { [zone]: [] }, updatetotal: 0, updates: { [zone]: [] }, errors },
  });
  if (!WRITABLE_ZONES.includes(zone)) {
    const e = WRITE_ERRORS.readOnly;
    const detail =
      zone === 'contacts'
        ? 'contacts is read only: add, change or archive contacts through the clients zone'
        : `${zone} is read only`;
    return send(
      reply,
      {
        status: '0',
        statusmessage: 'Login OK',
        zoneresponse: empty([{ message: e.message, code: e.code, detail, type: e.type }]),
      },
      format,
    );
  }
  const w = zone as 'clients' | 'tasks' | 'clientnotes';
  let records;
  try {
    records = parsePostXml(params.get('postxml') ?? '', w, RECORD_ELEMENT[w]!);
  } catch (e) {
    if (!(e instanceof PostXmlError)) throw e;
    const err = { message: 'Invalid postxml value', code: '1', detail: e.message, type: 'XML' };
    return send(reply, { status: '1', statusmessage: 'Invalid postxml value', zoneresponse: empty([err]) }, format);
  }
  const postresults = ctx.core.posts.run(w, records);
  return send(
    reply,
    { status: '0', statusmessage: 'Login OK', zoneresponse: { postresults: postresults as unknown as Obj } },
    format,
  );
}
