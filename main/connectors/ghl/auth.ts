/**
 * Where the GHL client gets its bearer token: a Private Integration token (static) or OAuth tokens kept fresh by
 * the TokenManager. The client only asks for a token and reports a 401; everything else is the auth's business.
 */
import { ConnectorError } from '../shared/errors.js';

/**
 * Scopes this app uses (README "Facts: scopes"). Tick these when creating the Private Integration, and request them in the
 * OAuth login. The first three are required; the others are used when present.
 */
export const GHL_REQUIRED_SCOPES = ['contacts.readonly', 'contacts.write', 'locations/customFields.readonly'] as const;
/**
 * `locations.readonly`: the location's country and time zone (GET /locations/{locationId}; README "The location").
 * `calendars.readonly` + `calendars/events.readonly`: appointments read a calendar at a time (README "Calendars").
 */
export const GHL_OPTIONAL_SCOPES = [
  'locations/tags.readonly',
  'locations/tasks.readonly',
  'users.readonly',
  'locations.readonly',
  'calendars.readonly',
  'calendars/events.readonly',
] as const;
/** What the app asks for at login: required + optional. `contacts.readonly` covers the per-contact appointment, task and note reads. */
export const GHL_LOGIN_SCOPES: readonly string[] = [...GHL_REQUIRED_SCOPES, ...GHL_OPTIONAL_SCOPES];
/** Agency-only (README "Several locations"): list the installed locations, mint each one's token. */
export const GHL_AGENCY_SCOPES: readonly string[] = ['oauth.readonly', 'oauth.write'];

export interface GhlAuth {
  readonly kind: 'private-integration' | 'oauth';
  /** A bearer token to use now. Throws a `signed_out` ConnectorError when there is none. */
  accessToken(): Promise<string>;
  /**
   * GHL answered 401 to a request made with `rejectedToken`. Resolve true when a different token is now available
   * (the request may be sent once more), false when nothing can be done (the client raises `signed_out`).
   */
  handleUnauthorized(rejectedToken: string | undefined): Promise<boolean>;
  /** The scopes granted to the token, when known (OAuth reports them; a Private Integration token does not). */
  grantedScopes(): string[] | undefined;
}

/** A sub-account Private Integration token: static, no refresh; rotated by the user in GHL's settings. */
export class PrivateIntegrationAuth implements GhlAuth {
  readonly kind = 'private-integration' as const;
  constructor(private readonly token: string) {}

  async accessToken(): Promise<string> {
    if (!this.token.trim()) {
      throw new ConnectorError({
        system: 'ghl',
        kind: 'signed_out',
        message: 'No HighLevel Private Integration token is set — paste one on the Connections screen.',
      });
    }
    return this.token.trim();
  }

  async handleUnauthorized(): Promise<boolean> {
    return false;
  }

  grantedScopes(): undefined {
    return undefined;
  }
}
