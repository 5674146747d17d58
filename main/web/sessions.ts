/**
 * Serve-mode sign-in for browsers: single-use launch tickets traded for expiring, revocable session ids.
 *
 * The link `ghl-bridge serve` prints carries a launch ticket, never the master token: the ticket works once, within
 * TICKET_TTL_MS, and lands in the browser's history already spent. The page trades it for a separate random session id
 * in an HttpOnly SameSite=Strict cookie. A session ends after SESSION_IDLE_MS without a call, SESSION_MAX_MS after it
 * began whatever happens, when it is revoked, and when serve stops (everything lives in this process's memory only).
 * The master token is accepted only as `Authorization: Bearer` (scripts, tests), never from a cookie or a URL.
 *
 * Only SHA-256 digests of tickets and session ids are kept, so a lookup's timing says nothing about a stored value.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A launch ticket is good for one minute. */
export const TICKET_TTL_MS = 60_000;
/** A session ends after 12 hours without a call. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** …and 7 days after it began, however busy. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** At most this many live sessions (and outstanding tickets); the oldest go first. */
const MAX_ENTRIES = 256;

interface Session {
  createdAt: number;
  lastSeenAt: number;
}

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');
const randomId = (): string => randomBytes(32).toString('base64url');

export interface SessionStoreOptions {
  now?: () => number;
  ticketTtlMs?: number;
  idleMs?: number;
  maxAgeMs?: number;
}

export class SessionStore {
  private readonly tickets = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;
  readonly ticketTtlMs: number;
  readonly idleMs: number;
  readonly maxAgeMs: number;

  constructor(opts: SessionStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.ticketTtlMs = opts.ticketTtlMs ?? TICKET_TTL_MS;
    this.idleMs = opts.idleMs ?? SESSION_IDLE_MS;
    this.maxAgeMs = opts.maxAgeMs ?? SESSION_MAX_MS;
  }

  /** A new launch ticket (32 random bytes), good once within the ticket lifetime. */
  issueTicket(): string {
    this.prune();
    const ticket = randomId();
    this.tickets.set(digest(ticket), this.now() + this.ticketTtlMs);
    trim(this.tickets);
    return ticket;
  }

  /** Spends a ticket: a new session id when it was issued here, unspent and unexpired; undefined otherwise. */
  redeemTicket(ticket: string | undefined): string | undefined {
    if (!ticket) return undefined;
    const key = digest(ticket);
    const expiresAt = this.tickets.get(key);
    this.tickets.delete(key);
    if (expiresAt === undefined || this.now() > expiresAt) return undefined;
    const id = randomId();
    const at = this.now();
    this.sessions.set(digest(id), { createdAt: at, lastSeenAt: at });
    trim(this.sessions);
    return id;
  }

  /** Whether a session id is live; a live one counts as seen now (the idle clock restarts) unless `refresh` is false. */
  touch(id: string | undefined, refresh = true): boolean {
    if (!id) return false;
    const key = digest(id);
    const s = this.sessions.get(key);
    if (!s) return false;
    const at = this.now();
    if (at - s.lastSeenAt > this.idleMs || at - s.createdAt > this.maxAgeMs) {
      this.sessions.delete(key);
      return false;
    }
    if (refresh) s.lastSeenAt = at;
    return true;
  }

  /** Seconds the cookie may live: the session's absolute lifetime. */
  get cookieMaxAgeSeconds(): number {
    return Math.floor(this.maxAgeMs / 1000);
  }

  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(digest(id));
  }

  /** Signs every browser out and voids every outstanding ticket. */
  revokeAll(): void {
    this.sessions.clear();
    this.tickets.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const at = this.now();
    for (const [k, exp] of this.tickets) if (at > exp) this.tickets.delete(k);
    for (const [k, s] of this.sessions)
      if (at - s.lastSeenAt > this.idleMs || at - s.createdAt > this.maxAgeMs) this.sessions.delete(k);
  }
}

/** Drops the oldest entries (Maps iterate in insertion order) beyond the cap. */
function trim(map: Map<string, unknown>): void {
  for (const k of map.keys()) {
    if (map.size <= MAX_ENTRIES) break;
    map.delete(k);
  }
}
