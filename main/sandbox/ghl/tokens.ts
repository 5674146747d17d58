/**
 * Who may call: the sub-account Private Integration token and the OAuth codes / access tokens / refresh
 * tokens this sandbox issued. Time comes from the injected clock, so expiry is testable without sleeping.
 */
import { createHash } from 'node:crypto';
import { AUTH_CODE_TTL_MS, PRIVATE_TOKEN_SCOPES, REFRESH_TOKEN_TTL_MS } from './options.js';
import { secret, uuidLike } from './ids.js';

export interface Principal {
  kind: 'private' | 'oauth';
  token: string;
  /** The sub-account; '' for an agency (Company) token, which reaches no location's records. */
  locationId: string;
  userType?: 'Location' | 'Company';
  /** The Marketplace app that was issued this OAuth token. */
  clientId?: string;
  companyId: string;
  scopes: ReadonlySet<string>;
}

interface AccessToken extends Principal {
  expiresAt: number;
  revoked: boolean;
}

interface RefreshToken {
  userType?: 'Location' | 'Company';
  token: string;
  clientId: string;
  locationId: string;
  scopes: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
  revoked: boolean;
}

export interface AuthCode {
  /** 'Company': the agency installed the app for its sub-accounts (README "Several locations"). */
  userType?: 'Location' | 'Company';
  code: string;
  clientId: string;
  redirectUri: string;
  locationId: string;
  scopes: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
  codeChallenge?: string;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  userType: 'Location' | 'Company';
  locationId?: string;
  companyId: string;
  userId: string;
  isBulkInstallation: boolean;
  /** Company tokens: the sub-accounts a location token may be minted for. */
  approvedLocations?: string[];
}

export type RedeemFailure = 'invalid' | 'redirect_mismatch' | 'pkce';

/** base64url(SHA-256(verifier)) — RFC 7636 S256. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class TokenStore {
  private privateToken: string | undefined;
  /** The scopes ticked on the Private Integration (admin `setPrivateTokenScopes`); default PRIVATE_TOKEN_SCOPES. */
  private privateScopes: readonly string[] = PRIVATE_TOKEN_SCOPES;
  private rotations = 0;
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();
  /**
   * Private Integration tokens of the agency's other locations, token → location: the extra locations' own (README
   * "Several locations") and tokens issued for the second location (a token pasted from the wrong sub-account).
   */
  private readonly locationPits = new Map<string, string>();
  private readonly extraLocations: string[] = [];

  constructor(
    private readonly seed: number,
    private readonly locationId: string,
    private readonly companyId: string,
    private readonly now: () => number,
    private readonly accessTtlSec: number,
  ) {
    this.privateToken = this.pitFor(0);
  }

  private pitFor(n: number): string {
    return `pit-${uuidLike(this.seed, `private-token:${n}`)}`;
  }

  get currentPrivateToken(): string | undefined {
    return this.privateToken;
  }

  /** Gives an extra location its own Private Integration token (deterministic from the seed and the location). */
  addLocation(locationId: string): string {
    if (!this.extraLocations.includes(locationId)) this.extraLocations.push(locationId);
    const token = `pit-${uuidLike(this.seed, `private-token:${locationId}`)}`;
    this.locationPits.set(token, locationId);
    return token;
  }

  reset(): void {
    this.rotations = 0;
    this.privateToken = this.pitFor(0);
    this.locationPits.clear();
    for (const l of this.extraLocations) this.addLocation(l);
    this.privateScopes = PRIVATE_TOKEN_SCOPES;
    this.access.clear();
    this.refresh.clear();
    this.codes.clear();
  }

  /** Re-tick the Private Integration's scopes (the token stays the same, as in HighLevel's settings). */
  setPrivateTokenScopes(scopes: readonly string[]): void {
    this.privateScopes = [...scopes];
  }

  revokePrivateToken(): void {
    this.privateToken = undefined;
  }

  rotatePrivateToken(): string {
    this.privateToken = this.pitFor(++this.rotations);
    return this.privateToken;
  }

  /** A Private Integration token made in another location of the agency: valid, but only for that location. */
  issueOtherPrivateToken(locationId: string): string {
    const t = `pit-${uuidLike(this.seed, `private-token:${locationId}:${this.locationPits.size}`)}`;
    this.locationPits.set(t, locationId);
    return t;
  }

  revokeAllOAuth(): void {
    for (const t of this.access.values()) t.revoked = true;
    for (const t of this.refresh.values()) t.revoked = true;
  }

  /** The principal behind a bearer token, or undefined when it is unknown, revoked or expired. */
  authenticate(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    if (this.privateToken !== undefined && token === this.privateToken) {
      return {
        kind: 'private',
        token,
        locationId: this.locationId,
        companyId: this.companyId,
        scopes: new Set(this.privateScopes),
      };
    }
    const other = this.locationPits.get(token);
    if (other)
      return {
        kind: 'private',
        token,
        locationId: other,
        companyId: this.companyId,
        scopes: new Set(PRIVATE_TOKEN_SCOPES),
      };
    const t = this.access.get(token);
    if (!t || t.revoked || this.now() >= t.expiresAt) return undefined;
    return t;
  }

  /** Revoke whatever credential this bearer token is (fault "revoke"): a PIT is gone; an access token dies. */
  revokeBearer(token: string | undefined): void {
    if (!token) return;
    if (token === this.privateToken) this.privateToken = undefined;
    this.locationPits.delete(token);
    const t = this.access.get(token);
    if (t) t.revoked = true;
  }

  issueCode(input: Omit<AuthCode, 'code' | 'expiresAt' | 'used'>): string {
    const code = secret(20);
    this.codes.set(code, { ...input, code, expiresAt: this.now() + AUTH_CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(
    clientId: string,
    code: string,
    redirectUri: string | undefined,
    verifier: string | undefined,
  ): IssuedTokens | RedeemFailure {
    const c = this.codes.get(code);
    if (!c || c.used || c.clientId !== clientId || this.now() >= c.expiresAt) return 'invalid';
    c.used = true; // single use, even when the rest of the request is wrong
    if (redirectUri !== undefined && redirectUri !== c.redirectUri) return 'redirect_mismatch';
    if (c.codeChallenge !== undefined && (verifier === undefined || s256(verifier) !== c.codeChallenge)) return 'pkce';
    if (c.userType === 'Company') return this.issue(clientId, '', c.scopes, c.userId, 'Company');
    return this.issue(clientId, c.locationId, c.scopes, c.userId);
  }

  /** What kind of install a code is, without spending it (the token endpoint checks `user_type` against it). */
  codeUserType(code: string): 'Location' | 'Company' | undefined {
    const c = this.codes.get(code);
    return c ? (c.userType ?? 'Location') : undefined;
  }

  /**
   * POST /oauth/locationToken: a location's token minted from an agency (Company) token, with the agency token's scopes
   * less the agency-only ones, and a refresh token of its own (README "Several locations").
   */
  mintLocationToken(agency: Principal, locationId: string, userId: string): IssuedTokens {
    const scopes = [...agency.scopes].filter((s) => !s.startsWith('oauth.'));
    return this.issue(agency.clientId ?? '', locationId, scopes, userId);
  }

  /** Rotating, single-use refresh: the presented token is spent, a new pair comes back. */
  redeemRefresh(clientId: string, token: string): IssuedTokens | 'invalid' {
    const r = this.refresh.get(token);
    if (!r || r.used || r.revoked || r.clientId !== clientId || this.now() >= r.expiresAt) return 'invalid';
    r.used = true;
    return this.issue(clientId, r.locationId, r.scopes, r.userId, r.userType ?? 'Location');
  }

  private issue(
    clientId: string,
    locationId: string,
    scopes: string[],
    userId: string,
    userType: 'Location' | 'Company' = 'Location',
  ): IssuedTokens {
    const now = this.now();
    const access_token = `ghl-at-${secret(30)}`;
    const refresh_token = `ghl-rt-${secret(30)}`;
    this.access.set(access_token, {
      kind: 'oauth',
      token: access_token,
      locationId,
      userType,
      clientId,
      companyId: this.companyId,
      scopes: new Set(scopes),
      expiresAt: now + this.accessTtlSec * 1000,
      revoked: false,
    });
    this.refresh.set(refresh_token, {
      token: refresh_token,
      userType,
      clientId,
      locationId,
      scopes,
      userId,
      expiresAt: now + REFRESH_TOKEN_TTL_MS,
      used: false,
      revoked: false,
    });
    return {
      access_token,
      token_type: 'Bearer',
      expires_in: this.accessTtlSec,
      refresh_token,
      scope: scopes.join(' '),
      userType,
      ...(userType === 'Location' ? { locationId } : { approvedLocations: [this.locationId, ...this.extraLocations] }),
      companyId: this.companyId,
      userId,
      isBulkInstallation: userType === 'Company',
    };
  }
}
