/**
 * AroFlo v1 request signing, exactly as README "Facts: signing" describes (the Postman pre-request script):
 *
 *   payload = [METHOD, HostIP?, urlPath(''), accept, authorization, afdatetimeutc, varString].join('+')
 *   signature = lowercase hex of HMAC-SHA512(payload, secret_key as UTF-8)
 *
 * `varString` is the query string without its "?" (GET) or the form body (POST), and it must be the very bytes
 * that go on the wire: callers build it once, sign it, and send that same string.
 * When no HostIP is used there is no empty slot for it (so a GET payload starts "GET++text/json+...").
 */
import { createHmac } from 'node:crypto';

export interface ArofloCredentials {
  uEncoded: string;
  pEncoded: string;
  orgEncoded: string;
  /** The "API Secret Key", shown once in AroFlo. Never logged. */
  secretKey: string;
  /** The sender's public IP. Only sent (and signed) when set. */
  hostIp?: string;
}

/** The Accept value we always send; it is part of the signed payload. */
export const ACCEPT_JSON = 'text/json';

/** `uencoded=…&pencoded=…&orgEncoded=…` — key case matters, values URI-encoded. */
export function authorizationValue(c: Pick<ArofloCredentials, 'uEncoded' | 'pEncoded' | 'orgEncoded'>): string {
  const enc = encodeURIComponent;
  return `uencoded=${enc(c.uEncoded)}&pencoded=${enc(c.pEncoded)}&orgEncoded=${enc(c.orgEncoded)}`;
}

export interface SignatureInput {
  method: 'GET' | 'POST';
  hostIp?: string;
  accept: string;
  authorization: string;
  /** afdatetimeutc exactly as sent, e.g. 2024-05-13T23:14:15.000Z */
  timestamp: string;
  varString: string;
}

/** The string that is HMAC'd. Exposed for the test vectors. */
export function signaturePayload(i: SignatureInput): string {
  const parts = [i.method, ...(i.hostIp ? [i.hostIp] : []), '', i.accept, i.authorization, i.timestamp, i.varString];
  return parts.join('+');
}

export function hmacHex(secretKey: string, payload: string): string {
  return createHmac('sha512', Buffer.from(secretKey, 'utf8')).update(payload, 'utf8').digest('hex');
}

/**
 * All headers for one attempt. Call once per attempt (retries included): the timestamp is inside the signature.
 * `timestamp` is `new Date(now).toISOString()` — milliseconds and "Z", as AroFlo expects.
 */
export function signedHeaders(
  creds: ArofloCredentials,
  method: 'GET' | 'POST',
  varString: string,
  nowMs: number,
): Record<string, string> {
  const authorization = authorizationValue(creds);
  const timestamp = new Date(nowMs).toISOString();
  const signature = hmacHex(
    creds.secretKey,
    signaturePayload({ method, hostIp: creds.hostIp, accept: ACCEPT_JSON, authorization, timestamp, varString }),
  );
  return {
    Authentication: `HMAC ${signature}`,
    Authorization: authorization,
    Accept: ACCEPT_JSON,
    afdatetimeutc: timestamp,
    ...(creds.hostIp ? { HostIP: creds.hostIp } : {}),
    ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
  };
}
