/**
 * Keeps GHL OAuth tokens fresh for the client.
 *
 * - Proactive: a token within `refreshBeforeMs` of expiry is refreshed before use.
 * - Reactive: a 401 on the current token triggers one refresh (see `handleUnauthorized`).
 * - Single-flight: concurrent callers share one POST /oauth/token (refresh tokens are single-use; a second
 *   concurrent refresh would spend a dead token and sign the user out).
 * - Persist first: the new pair is saved through the TokenStore before the new access token is handed out. If the
 *   save fails the pair is held back (never used, never lost) and the save is retried on the next call.
 * - Shared stores: when the store is shared with other processes (`TokenStore.exclusive`), the refresh runs under its
 *   lock after re-reading it. If another process has rotated the pair meanwhile, the stored pair is adopted instead
 *   of spending the old refresh token (which would be refused as reused and sign everybody out).
 * - invalid_grant (token reused, revoked, expired) ends in state `signed_out`: `onSignedOut` fires once, every later
 *   call fails fast with a `signed_out` error and no network traffic, until `setTokens` after a new login.
 */
import { ConnectorError } from '../shared/errors.js';
import { refreshTokens, type OAuthTokens, type TokenEndpointOptions } from '../oauth/token-endpoint.js';
import type { GhlAuth } from './auth.js';

export type { OAuthTokens } from '../oauth/token-endpoint.js';

/** Where tokens live between runs (the app backs it with the OS vault). */
export interface TokenStore {
  load(): Promise<OAuthTokens | undefined>;
  save(tokens: OAuthTokens): Promise<void>;
  /**
   * Run `fn` while no other process can change the stored tokens; `io` reads and writes the store itself, not a copy.
   * A store shared by several processes (the app or `serve` and CLI commands on one profile) provides it, so a refresh
   * first looks whether another process already rotated the pair.
   */
  exclusive?<T>(fn: (io: Pick<TokenStore, 'load' | 'save'>) => Promise<T>): Promise<T>;
}

export type TokenState =
  | { state: 'unknown' }
  | { state: 'signed_in'; locationId?: string; expiresAt: number; scope: string }
  | { state: 'signed_out'; reason: string };

export interface TokenManagerOptions extends TokenEndpointOptions {
  store: TokenStore;
  /** Refresh this long before expiry. Default 2 minutes. */
  refreshBeforeMs?: number;
  /** Sent with refresh requests when the app registered one. */
  redirectUri?: string;
  onSignedOut?: (reason: string) => void;
  onRefreshed?: (tokens: OAuthTokens) => void;
}

/** A token refused within this long of being issued means the grant is gone, not that the token aged out. */
const FRESH_MS = 60_000;
const SIGN_IN_AGAIN = 'HighLevel sign-in expired or was revoked — sign in again on the Connections screen.';

export class TokenManager implements GhlAuth {
  readonly kind = 'oauth' as const;
  private readonly now: () => number;
  private tokens?: OAuthTokens;
  /** A refreshed pair whose save failed: the old pair is spent, this one is not yet safe to use. */
  private unsaved?: OAuthTokens;
  private loaded = false;
  private loading?: Promise<void>;
  private inflight?: Promise<OAuthTokens>;
  private signedOutReason?: string;
  /** The access token the last refresh produced, to tell "fresh token rejected" from "old token expired". */
  private lastRefreshed?: string;
  private lastRefreshedAt = 0;
  /** Number of POST /oauth/token refreshes made (observability and tests). */
  refreshCount = 0;

  constructor(private readonly opts: TokenManagerOptions) {
    this.now = opts.now ?? Date.now;
  }

  status(): TokenState {
    if (this.signedOutReason !== undefined) return { state: 'signed_out', reason: this.signedOutReason };
    if (!this.loaded) return { state: 'unknown' };
    if (!this.tokens) return { state: 'signed_out', reason: 'not signed in' };
    return {
      state: 'signed_in',
      locationId: this.tokens.locationId,
      expiresAt: this.tokens.expiresAt,
      scope: this.tokens.scope,
    };
  }

  grantedScopes(): string[] | undefined {
    return this.tokens?.scope ? this.tokens.scope.split(/[\s,]+/).filter(Boolean) : undefined;
  }

  /** The tokens in use (after load), for the app's status display. */
  current(): OAuthTokens | undefined {
    return this.tokens;
  }

  /** After a successful login: persist and adopt the new pair; clears a signed-out state. */
  async setTokens(tokens: OAuthTokens): Promise<void> {
    await this.opts.store.save(tokens);
    this.tokens = tokens;
    this.unsaved = undefined;
    this.loaded = true;
    this.signedOutReason = undefined;
    this.lastRefreshed = undefined;
  }

  /**
   * Before the process exits: save a renewed pair whose save failed (its predecessor is spent on the server, so
   * without this a short command would leave only the dead refresh token on disk).
   */
  async flush(): Promise<void> {
    if (this.unsaved) await this.adoptUnsaved();
  }

  async accessToken(): Promise<string> {
    this.failIfSignedOut();
    await this.ensureLoaded();
    this.failIfSignedOut();
    if (this.unsaved) await this.adoptUnsaved();
    const t = this.tokens;
    if (!t) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'signed_out',
        message: 'Not signed in to HighLevel — sign in on the Connections screen.',
      });
    }
    if (t.expiresAt - this.now() <= (this.opts.refreshBeforeMs ?? 120_000)) {
      try {
        return (await this.refresh()).accessToken;
      } catch (e) {
        // An early refresh that failed for a passing reason (network, server) leaves the current token in use
        // while it is still valid; sign-in problems and an expired token are raised.
        const t2 = this.tokens;
        if (e instanceof ConnectorError && e.transient && t2 && t2.expiresAt > this.now() && !this.unsaved)
          return t2.accessToken;
        throw e;
      }
    }
    return t.accessToken;
  }

  async handleUnauthorized(rejectedToken: string | undefined): Promise<boolean> {
    if (this.signedOutReason !== undefined) return false;
    await this.ensureLoaded();
    const t = this.tokens;
    if (!t) return false;
    if (rejectedToken !== undefined && t.accessToken !== rejectedToken) return true; // someone already refreshed
    if (this.inflight) {
      await this.inflight;
      return true;
    }
    if (
      rejectedToken !== undefined &&
      rejectedToken === this.lastRefreshed &&
      this.now() - this.lastRefreshedAt < FRESH_MS
    ) {
      // A token we just got is refused: refreshing again would loop. The grant was revoked.
      this.markSignedOut('HighLevel refused a freshly issued token (access revoked)');
      return false;
    }
    await this.refresh();
    return true;
  }

  /** Spend the refresh token once, however many callers ask at the same time. */
  refresh(): Promise<OAuthTokens> {
    if (this.inflight) return this.inflight;
    const run = this.doRefresh().finally(() => {
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  private async doRefresh(): Promise<OAuthTokens> {
    this.failIfSignedOut();
    await this.ensureLoaded();
    if (this.unsaved) return this.adoptUnsaved();
    const old = this.tokens;
    if (!old)
      throw new ConnectorError({
        system: 'ghl',
        kind: 'signed_out',
        message: 'Not signed in to HighLevel — sign in on the Connections screen.',
      });
    const store = this.opts.store;
    if (!store.exclusive) return this.spend(old, store);
    return store.exclusive(async (io) => {
      const stored = await io.load();
      if (!stored) {
        // Another process signed out (or the sign-in was removed): nothing may be spent.
        this.markSignedOut('signed out by another GHL Bridge process on this profile');
        throw new ConnectorError({ system: 'ghl', kind: 'signed_out', message: SIGN_IN_AGAIN });
      }
      if (stored.refreshToken !== old.refreshToken) {
        // Another process rotated the pair: our refresh token is spent. Use theirs, refreshing it only if it is due too.
        this.tokens = stored;
        if (stored.expiresAt - this.now() > (this.opts.refreshBeforeMs ?? 120_000)) {
          this.opts.onRefreshed?.(stored);
          return stored;
        }
      }
      return this.spend(stored, io);
    });
  }

  /** POST /oauth/token with `old`'s refresh token, then save the new pair through `io` before using it. */
  private async spend(old: OAuthTokens, io: Pick<TokenStore, 'save'>): Promise<OAuthTokens> {
    let fresh: OAuthTokens;
    try {
      this.refreshCount++;
      fresh = await refreshTokens(this.opts, old, { redirectUri: this.opts.redirectUri });
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'signed_out') {
        this.markSignedOut(e.detail ?? 'refresh refused');
        throw new ConnectorError({
          system: 'ghl',
          kind: 'signed_out',
          status: e.status,
          detail: e.detail,
          operation: e.operation,
          message: SIGN_IN_AGAIN,
          cause: e,
        });
      }
      throw e;
    }
    this.unsaved = fresh;
    return this.adoptUnsaved(io);
  }

  private async adoptUnsaved(io: Pick<TokenStore, 'save'> = this.opts.store): Promise<OAuthTokens> {
    const fresh = this.unsaved as OAuthTokens;
    try {
      await io.save(fresh);
    } catch (cause) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'config',
        operation: 'save tokens',
        message:
          'Could not save the renewed HighLevel sign-in to secure storage — it will be retried; if this persists, restart the app.',
        cause,
      });
    }
    if (this.unsaved === fresh) this.unsaved = undefined;
    this.tokens = fresh;
    this.lastRefreshed = fresh.accessToken;
    this.lastRefreshedAt = this.now();
    this.opts.onRefreshed?.(fresh);
    return fresh;
  }

  private ensureLoaded(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    this.loading ??= this.opts.store
      .load()
      .then((t) => {
        if (!this.loaded) this.tokens = t;
        this.loaded = true;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private markSignedOut(reason: string): void {
    if (this.signedOutReason !== undefined) return;
    this.signedOutReason = reason;
    this.opts.onSignedOut?.(reason);
  }

  private failIfSignedOut(): void {
    if (this.signedOutReason !== undefined) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'signed_out',
        detail: this.signedOutReason,
        message: SIGN_IN_AGAIN,
      });
    }
  }
}
