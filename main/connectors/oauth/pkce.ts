/** PKCE (RFC 7636, S256) and the random single-use `state`. */
import { createHash, randomBytes } from 'node:crypto';

const b64url = (buf: Buffer): string => buf.toString('base64url');

/** A 43-character verifier (32 random bytes, base64url) and its S256 challenge. */
export function pkcePair(random: (n: number) => Buffer = randomBytes): { verifier: string; challenge: string } {
  const verifier = b64url(random(32));
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return b64url(createHash('sha256').update(verifier, 'ascii').digest());
}

export function randomState(random: (n: number) => Buffer = randomBytes): string {
  return b64url(random(24));
}
