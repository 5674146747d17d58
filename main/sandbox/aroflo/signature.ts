/**
 * AroFlo v1 request signature (README "Facts: signing"), written independently of the connector's signer.
 *
 * payload = [METHOD, HostIP (only when sent), '' (urlPath), Accept, Authorization, afdatetimeutc, varString].join('+')
 * signature = lowercase hex HMAC-SHA512(payload, key = secret_key as UTF-8)
 * varString is the raw query string (GET, without '?') or the raw form body (POST), exactly as received.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedParts {
  method: string;
  hostIp?: string;
  accept: string;
  authorization: string;
  afdatetimeutc: string;
  varString: string;
}

export function signaturePayload(p: SignedParts): string {
  const parts = [
    p.method,
    ...(p.hostIp ? [p.hostIp] : []),
    '',
    p.accept,
    p.authorization,
    p.afdatetimeutc,
    p.varString,
  ];
  return parts.join('+');
}

export function computeSignature(secret: string, p: SignedParts): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(signaturePayload(p), 'utf8').digest('hex');
}

/** Constant-time comparison of the received hex signature with the expected one. */
export function signatureMatches(secret: string, p: SignedParts, received: string): boolean {
  const expected = Buffer.from(computeSignature(secret, p), 'utf8');
  const got = Buffer.from(received, 'utf8');
  return expected.length === got.length && timingSafeEqual(expected, got);
}
