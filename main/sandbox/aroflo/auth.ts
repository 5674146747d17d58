/**
 * Authentication of one API request (README "Facts: signing", "Facts: limits"), in this order:
 * 1. Authorization missing, or without all of `uencoded` / `pencoded` / `orgEncoded` (key case matters)
 *    → status 1 "Login Failed - Invalid Request string" (also what a bare GET of the base URL gets);
 * 2. any of them empty → status 2 "Login Failed - Invalid Username or Password";
 * 3. Authentication ("HMAC <hex>"), Accept or afdatetimeutc missing → -99999 "Authentication Failed - Required headers are missing";
 * 4. the secret was generated but never saved → -99999 "Authentication Failed - AroFlo API setup is invalid";
 * 5. unknown uEncoded/pEncoded/orgEncoded → status 3 "Login Failed - Permission Denied";
 * 6. the API user's AroFloAPI access is off → status 4 "Login Failed - Permission Denied";
 * 7. HMAC mismatch → -99999 "Authentication Failed - Signatures do not match";
 * 8. afdatetimeutc unparseable or further than clockSkewMs from the clock → -99999 "Authentication Failed - Payload has expired".
 * The messages are those of AroFlo's status code table (README "Through other people's eyes").
 */
import type { FastifyRequest } from 'fastify';
import { signatureMatches } from './signature.js';

export interface AuthState {
  uEncoded: string;
  pEncoded: string;
  orgEncoded: string;
  secretKey: string;
  apiAccess: boolean;
  secretSaved: boolean;
}

export type AuthOutcome = { ok: true; org: string } | { ok: false; status: string; message: string; org?: string };

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses `uencoded=…&pencoded=…&orgEncoded=…` (values URL-decoded, key case kept). */
export function parseAuthorization(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let v = part.slice(eq + 1);
    try {
      v = decodeURIComponent(v);
    } catch {
      /* keep the raw text */
    }
    out.set(part.slice(0, eq).trim(), v);
  }
  return out;
}

export function authenticate(
  req: FastifyRequest,
  varString: string,
  state: AuthState,
  now: number,
  clockSkewMs: number,
): AuthOutcome {
  const authorization = header(req, 'authorization');
  const keys = authorization ? parseAuthorization(authorization) : undefined;
  const u = keys?.get('uencoded');
  const p = keys?.get('pencoded');
  const org = keys?.get('orgEncoded');
  if (u === undefined || p === undefined || org === undefined)
    return { ok: false, status: '1', message: 'Login Failed - Invalid Request string' };
  if (!u || !p || !org) return { ok: false, status: '2', message: 'Login Failed - Invalid Username or Password' };

  const authentication = header(req, 'authentication');
  const accept = header(req, 'accept');
  const ts = header(req, 'afdatetimeutc');
  const sig = authentication?.match(/^HMAC\s+(\S+)\s*$/)?.[1];
  if (!sig || !accept || !ts)
    return { ok: false, status: '-99999', message: 'Authentication Failed - Required headers are missing', org };
  if (!state.secretSaved)
    return { ok: false, status: '-99999', message: 'Authentication Failed - AroFlo API setup is invalid', org };
  if (u !== state.uEncoded || p !== state.pEncoded || org !== state.orgEncoded)
    return { ok: false, status: '3', message: 'Login Failed - Permission Denied', org };
  if (!state.apiAccess) return { ok: false, status: '4', message: 'Login Failed - Permission Denied', org };

  const hostIp = header(req, 'hostip');
  const signed = {
    method: req.method,
    hostIp: hostIp || undefined,
    accept,
    authorization: authorization!,
    afdatetimeutc: ts,
    varString,
  };
  if (!signatureMatches(state.secretKey, signed, sig))
    return { ok: false, status: '-99999', message: 'Authentication Failed - Signatures do not match', org };

  const t = Date.parse(ts);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(ts) || !Number.isFinite(t) || Math.abs(now - t) > clockSkewMs)
    return { ok: false, status: '-99999', message: 'Authentication Failed - Payload has expired', org };
  return { ok: true, org };
}
