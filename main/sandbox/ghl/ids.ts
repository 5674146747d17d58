/**
 * Deterministic ids in GHL's formats: 20 alphanumeric characters for locations, contacts, tasks, notes,
 * users, custom fields; 24 hex characters for business ids. Same seed and name → same id.
 */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function digest(seed: number, name: string): Buffer {
  return createHash('sha256').update(`ghl-sandbox:${seed}:${name}`).digest();
}

/** A 20-character alphanumeric id for `name` under `seed`. */
export function id20(seed: number, name: string): string {
  const bytes = digest(seed, name);
  let out = '';
  for (let i = 0; i < 20; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}

/** A 24-hex id (Mongo ObjectId style), as GHL uses for businessId. */
export function hex24(seed: number, name: string): string {
  return digest(seed, name).toString('hex').slice(0, 24);
}

/** UUID-shaped deterministic string (for client secrets, private tokens). */
export function uuidLike(seed: number, name: string): string {
  const h = digest(seed, name).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Ids for records created at run time: deterministic per seed, in creation order; restartable by reset. */
export class IdSequence {
  private n = 0;
  constructor(private readonly seed: number) {}
  next(kind: string): string {
    return id20(this.seed, `runtime:${kind}:${this.n++}`);
  }
  reset(): void {
    this.n = 0;
  }
}

/** Unpredictable secrets issued at run time (OAuth codes and tokens, the admin token). */
export function secret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** A trace id per response, as GHL puts in bodies for support. */
export function traceId(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
