/**
 * The three connections: credentials (secrets in the vault, the rest in settings), the clients built from them,
 * sign-in (GHL OAuth loopback or a Private Integration token, AroFlo signed keys, the Aimfox key), "Test
 * connection", health and remaining quota for the Status screen, and the lookups the Mappings screen offers.
 */
import { join } from 'node:path';
import type { ConnectionInfo, PairId, QuotaInfo, SystemId } from '../../preload/contract.js';
import { KEY_ROTATION_DAYS_DEFAULT, PAIRS } from '../domain/index.js';
import {
  GhlClient,
  PrivateIntegrationAuth,
  TokenManager,
  GHL_LOGIN_SCOPES,
  GHL_AGENCY_SCOPES,
  GHL_REQUIRED_SCOPES,
  type GhlAuth,
  type OAuthTokens,
  type TokenStore,
} from '../connectors/ghl/index.js';
import { startLogin, loginInProgress, localhostMessage } from '../connectors/oauth/index.js';
import { ArofloClient } from '../connectors/aroflo/index.js';
import { AimfoxClient } from '../connectors/aimfox/index.js';
import { ConnectorError, isConnectorError } from '../connectors/shared/errors.js';
import { FilePaceShare } from '../connectors/shared/pace-share.js';
import { MAX_LOCATION_ID, type ConfigStore } from '../store/settings.js';
import type { ActivityRepo } from '../store/repositories.js';
import type { SecretVault } from '../store/vault.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';
import { BridgeError } from './errors.js';
import { calendarReadRefused, taskSearchRefused } from '../sync/index.js';
import { readLocationInfo } from './location-info.js';

const LABEL: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
/**
 * What the window calls the HighLevel account. Its name is not shown: reading a location's name (GET
 * /locations/{id}) needs the `locations.readonly` scope, which GHL Bridge does not ask for (see
 * main/connectors/ghl/README.md); the location ID is in the diagnostics, never in plain view.
 */
const GHL_ACCOUNT = 'HighLevel sub-account';
/** How often a run re-reads the Aimfox accounts, so a LinkedIn account logged out later is noticed (one request). */
export const AIMFOX_RECHECK_MS = 60 * 60_000;
const V = {
  ghlClientSecret: 'ghl.clientSecret',
  ghlTokens: 'ghl.tokens',
  ghlPit: 'ghl.pit',
  aroflo: 'aroflo.credentials',
  aimfox: 'aimfox.apiKey',
} as const;

/**
 * When each system's credential was stored (main/service/README.md, "Credential age"): one vault entry beside the
 * secrets, written in the same atomic write as the credential it dates. `known` false: the credential was stored by a
 * version that kept no date; it is dated from the first time this version saw it (so its age is at least that).
 */
export const CREDENTIAL_DATES = 'meta.credentialsStoredAt';
export interface CredentialStamp {
  at: number;
  known: boolean;
  /** Aimfox: the workspace the key opened when it was stored (a replacement key must open the same one). */
  workspaceId?: string;
}
/** HighLevel's advice for Private Integration tokens (main/connectors/ghl/README.md, "Rotating a Private Integration token"). */
export const GHL_PIT_ROTATE_DAYS = 90;
const DAY_MS = 86_400_000;

/** AroFlo's pacer windows against a sandbox whose windows are divided by `scale` (`rateScale`); the real ones at 1. */
const arofloLimits = (scale: number) =>
  scale > 1
    ? {
        secondWindowMs: Math.max(1, Math.round(1000 / scale)),
        minuteWindowMs: Math.max(1, Math.round(60_000 / scale)),
        secondMarginMs: 2,
        minuteMarginMs: 5,
      }
    : undefined;
/** Aimfox's minute window, divided by `scale` likewise. */
const aimfoxLimits = (scale: number) => ({ windowMs: Math.max(1, Math.round(60_000 / scale)) });

interface Health {
  health: ConnectionInfo['health'];
  account?: string;
  message?: string;
  warnings?: string[];
  /** Shown on the card, not alerted (ConnectionInfo.notices). */
  notices?: string[];
  lastCheckedAt?: number;
  scopes?: string[];
  /** Aimfox: the workspace the key opened at the last check. */
  workspaceId?: string;
}

/** Said on the Connections screen when HighLevel's task search may not be used (main/sync/sides/ghl-tasks.ts). */
export const TASKS_PER_CONTACT =
  "Tasks are read one contact at a time because the sign-in lacks 'locations/tasks.readonly'; sign in again to grant it.";
/** The same when HighLevel refused the search for another reason (a 404 or 4xx answer). */
const TASKS_PER_CONTACT_REFUSED =
  'Tasks are read one contact at a time because HighLevel refused its task search for this location.';

/** Said when appointments are read one contact at a time (main/sync/rules/appointment-notes.ts, "Calendars"). */
export const APPOINTMENTS_PER_CONTACT =
  "Appointments are read one contact at a time because the sign-in lacks 'calendars/events.readonly'; a new appointment on an otherwise unchanged contact waits for the next full sync. Sign in again to grant it.";
const APPOINTMENTS_PER_CONTACT_REFUSED =
  'Appointments are read one contact at a time because HighLevel refused its calendars API for this location.';

interface ArofloSecrets {
  uEncoded: string;
  pEncoded: string;
  orgEncoded: string;
  secretKey: string;
}

export class Connections {
  private health: Record<SystemId, Health> = {
    ghl: { health: 'unknown' },
    aroflo: { health: 'unknown' },
    aimfox: { health: 'unknown' },
  };
  private ghl?: GhlClient;
  private tokens?: TokenManager;
  private aroflo?: ArofloClient;
  private aimfox?: AimfoxClient;
  /** Why the vault could not be read at start (every stored sign-in is then missing), for the CLI to say so. */
  vaultProblem?: string;
  /** The reads that failed in the last `mappingOptions()` (their lists are empty because of it, not because nothing exists). */
  optionFailures: string[] = [];
  private secrets: { ghlPit?: string; ghlClientSecret?: string; aroflo?: ArofloSecrets; aimfox?: string } = {};
  private dates: Partial<Record<SystemId, CredentialStamp>> = {};
  /** Requests made by clients that were since replaced (credentials changed). */
  private retired: Record<SystemId, number> = { ghl: 0, aroflo: 0, aimfox: 0 };

  constructor(
    private readonly ctx: {
      config: ConfigStore;
      vault: SecretVault;
      logger: Logger;
      redactor: Redactor;
      events: EventBus;
      now: () => number;
      openExternal?: (url: string) => Promise<void> | void;
      /** Where the connectors share their rate windows with other processes on the profile (main/connectors/shared/README.md). */
      pacingDir?: string;
      /** The location folder (its location.json names the HighLevel location it was added for). */
      profileDir?: string;
    },
  ) {}

  /**
   * A location folder syncs one HighLevel location for good: a sign-in into another one would make two folders sync
   * one location (or mix two locations' records into one folder's links), so it is refused before anything is saved.
   */
  private sameLocation(locationId: string | undefined): void {
    if (!locationId) return;
    const info = this.ctx.profileDir ? readLocationInfo(this.ctx.profileDir) : {};
    const current = this.cfg().ghl.locationId || info.id;
    if (!current || current === locationId) return;
    const here = info.name && info.id === current ? `${info.name} (${current})` : current;
    throw new BridgeError(
      `This token is for HighLevel location ${locationId}, but this location is ${here}. Add it as a new location instead (Locations → Add location); nothing was saved.`,
      'invalid',
    );
  }

  async load(): Promise<void> {
    const v = this.ctx.vault;
    this.vaultProblem = undefined;
    const [pit, secret, tokens, ar, af, dates] = await Promise.all([
      v.get(V.ghlPit),
      v.get(V.ghlClientSecret),
      v.get(V.ghlTokens),
      v.get(V.aroflo),
      v.get(V.aimfox),
      v.get(CREDENTIAL_DATES),
    ]).catch((e: Error) => {
      this.vaultProblem = `The secret store could not be opened: ${e.message}`;
      this.ctx.logger.error(this.vaultProblem);
      return [undefined, undefined, undefined, undefined, undefined, undefined];
    });
    this.dates = parseDates(dates);
    this.secrets = {
      ghlPit: pit,
      ghlClientSecret: secret,
      aroflo: ar ? (JSON.parse(ar) as ArofloSecrets) : undefined,
      aimfox: af,
    };
    for (const s of [pit, secret, af, this.secrets.aroflo?.pEncoded, this.secrets.aroflo?.secretKey])
      this.ctx.redactor.add(s);
    if (tokens) {
      const t = JSON.parse(tokens) as OAuthTokens;
      this.ctx.redactor.add(t.accessToken);
      this.ctx.redactor.add(t.refreshToken);
    }
    this.rebuild();
    // A credential stored before dates were kept: dated from now, marked unknown (its age is at least that).
    const undated = (['ghl', 'aroflo', 'aimfox'] as const).filter((s) => this.configured(s) && !this.dates[s]);
    if (undated.length && !this.vaultProblem) {
      for (const s of undated) this.dates[s] = { at: this.ctx.now(), known: false };
      await v
        .set(CREDENTIAL_DATES, JSON.stringify(this.dates))
        .catch((e: Error) => this.ctx.logger.warn(`Could not record when the credentials were stored: ${e.message}`));
    }
  }

  /**
   * Write `entries` (a credential) together with the dates entry, where only `s`'s stamp changes (stamped now, or
   * removed): the dates entry is re-read from the vault under its lock, so the other systems' dates another process
   * wrote since this one loaded (`ghl-bridge login ghl --rotate` beside the running app) are kept as they are.
   */
  private async saveDated(
    entries: Record<string, string | undefined>,
    s: SystemId,
    stamp: Omit<CredentialStamp, 'at' | 'known'> | undefined,
  ): Promise<void> {
    const write = async (v: Pick<SecretVault, 'get' | 'setMany'>) => {
      const next = parseDates(await v.get(CREDENTIAL_DATES));
      if (stamp) next[s] = { at: this.ctx.now(), known: true, ...stamp };
      else delete next[s];
      await v.setMany({ ...entries, [CREDENTIAL_DATES]: JSON.stringify(next) });
      return next;
    };
    const v = this.ctx.vault;
    this.dates = v.transaction ? await v.transaction(write) : await write(v);
  }

  /** Change only `s`'s stamp in the vault's dates entry (re-read under the vault's lock, as in saveDated). */
  private async restamp(s: SystemId, fn: (d: CredentialStamp | undefined) => CredentialStamp | undefined) {
    const write = async (v: Pick<SecretVault, 'get' | 'setMany'>) => {
      const next = parseDates(await v.get(CREDENTIAL_DATES));
      const d = fn(next[s]);
      if (d) next[s] = d;
      else delete next[s];
      await v.setMany({ [CREDENTIAL_DATES]: JSON.stringify(next) });
      return next;
    };
    const v = this.ctx.vault;
    this.dates = v.transaction ? await v.transaction(write) : await write(v);
  }

  /**
   * Set when a system's credential was stored (support, and the tests' seam: a 91-day-old token without waiting 91
   * days). Written to the vault like any stamp.
   */
  async setCredentialDate(s: SystemId, at: number): Promise<void> {
    await this.restamp(s, (d) => ({ ...d, at, known: true }));
  }

  /** Days after which `s`'s credential should be replaced; undefined = no reminder (OAuth renews itself). */
  private rotateAfterDays(s: SystemId): number | undefined {
    if (s === 'ghl') return this.cfg().ghl.mode === 'private_token' ? GHL_PIT_ROTATE_DAYS : undefined;
    return this.ctx.config.read().settings.keyRotationDays ?? KEY_ROTATION_DAYS_DEFAULT;
  }

  /** The GHL OAuth pair in the vault; shared with other processes on the profile through the vault's lock. */
  private tokenStore(): TokenStore {
    const vault = this.ctx.vault;
    const io = (
      v: Pick<SecretVault, 'get'> & { setMany(e: Record<string, string | undefined>): Promise<void> },
    ): Pick<TokenStore, 'load' | 'save'> => ({
      load: async () => {
        const raw = await v.get(V.ghlTokens);
        if (!raw) return undefined;
        const t = JSON.parse(raw) as OAuthTokens;
        this.ctx.redactor.add(t.accessToken);
        this.ctx.redactor.add(t.refreshToken);
        return t;
      },
      save: async (t) => {
        this.ctx.redactor.add(t.accessToken);
        this.ctx.redactor.add(t.refreshToken);
        await v.setMany({ [V.ghlTokens]: JSON.stringify(t) });
      },
    });
    const transaction = vault.transaction?.bind(vault);
    return { ...io(vault), exclusive: transaction ? (fn) => transaction((tx) => fn(io(tx))) : undefined };
  }

  private cfg() {
    return this.ctx.config.read().connections;
  }

  private updateCfg(fn: (c: ReturnType<ConfigStore['read']>['connections']) => void): void {
    const all = this.ctx.config.read();
    fn(all.connections);
    this.ctx.config.write(all);
  }

  /** Point the connectors at other base URLs (the sandboxes; a self-hosted proxy). */
  setEndpoints(e: { ghl?: string; ghlAuthorize?: string; aroflo?: string; aimfox?: string; rateScale?: number }): void {
    this.updateCfg((c) => {
      if (e.ghl) c.ghl.baseUrl = e.ghl;
      if (e.ghlAuthorize) c.ghl.authorizeUrl = e.ghlAuthorize;
      if (e.aroflo) c.aroflo.baseUrl = e.aroflo;
      if (e.aimfox) c.aimfox.baseUrl = e.aimfox;
      if (e.rateScale !== undefined) c.rateScale = e.rateScale;
    });
    this.rebuild();
  }

  private retire(): void {
    const counts = this.liveCounts();
    for (const s of ['ghl', 'aroflo', 'aimfox'] as const) this.retired[s] += counts[s];
  }

  /**
   * One pacing file per API in the profile, shared by every process on it; none without a profile (tests), and none
   * against a time-scaled sandbox (rateScale > 1: windows of a few ms, where a file round trip per lease would cost
   * more than the window — main/connectors/shared/README.md).
   */
  private paceShare(s: SystemId): FilePaceShare | undefined {
    const dir = this.ctx.pacingDir;
    if (!dir || (this.cfg().rateScale ?? 1) > 1) return undefined;
    return new FilePaceShare({
      path: join(dir, `${s}.json`),
      now: this.ctx.now,
      onProblem: (m) => this.ctx.logger.warn(m),
    });
  }

  private rebuild(): void {
    this.retire();
    const c = this.cfg();
    const scale = c.rateScale ?? 1;
    this.ghl = undefined;
    this.tokens = undefined;
    if (c.ghl.mode !== 'none' && c.ghl.locationId) {
      let auth: GhlAuth | undefined;
      if (c.ghl.mode === 'private_token' && this.secrets.ghlPit) auth = new PrivateIntegrationAuth(this.secrets.ghlPit);
      if (c.ghl.mode === 'oauth' && c.ghl.clientId && this.secrets.ghlClientSecret) {
        this.tokens = new TokenManager({
          tokenUrl: `${c.ghl.baseUrl.replace(/\/+$/, '')}/oauth/token`,
          clientId: c.ghl.clientId,
          clientSecret: this.secrets.ghlClientSecret,
          redirectUri: c.ghl.redirectUri,
          now: this.ctx.now,
          store: this.tokenStore(),
          onSignedOut: (reason) => {
            this.health.ghl = {
              ...this.health.ghl,
              health: 'signed_out',
              message: `HighLevel sign-in expired or was revoked (${reason}) — sign in again on the Connections screen. Sync is paused until then; nothing is lost.`,
            };
            this.ctx.logger.warn('HighLevel sign-in expired; sync paused until you sign in again.');
            this.ctx.events.publish({ type: 'login', system: 'ghl', ok: false, message: this.health.ghl.message! });
          },
        });
        auth = this.tokens;
      }
      if (auth)
        this.ghl = new GhlClient({
          baseUrl: c.ghl.baseUrl,
          auth,
          locationId: c.ghl.locationId,
          now: this.ctx.now,
          rateLimits: { timeScale: scale },
          paceShare: this.paceShare('ghl'),
        });
    }
    const ar = this.secrets.aroflo;
    this.aroflo = ar
      ? new ArofloClient({
          baseUrl: c.aroflo.baseUrl,
          credentials: ar,
          now: this.ctx.now,
          paceShare: this.paceShare('aroflo'),
          onWarnings: (w) => this.ctx.logger.warn(`AroFlo wrote the records but reported: ${w.join('; ')}`),
          limits: arofloLimits(scale),
        })
      : undefined;
    this.aimfox = this.secrets.aimfox
      ? new AimfoxClient({
          baseUrl: c.aimfox.baseUrl,
          apiKey: this.secrets.aimfox,
          now: this.ctx.now,
          paceShare: this.paceShare('aimfox'),
          limits: aimfoxLimits(scale),
        })
      : undefined;
    for (const s of ['ghl', 'aroflo', 'aimfox'] as const)
      if (!this.configured(s)) this.health[s] = { health: 'not_configured' };
  }

  configured(s: SystemId): boolean {
    return s === 'ghl' ? !!this.ghl : s === 'aroflo' ? !!this.aroflo : !!this.aimfox;
  }

  ghlClient(): GhlClient {
    if (!this.ghl) throw new ConnectorError({ system: 'ghl', kind: 'config', detail: 'not signed in' });
    return this.ghl;
  }

  arofloClient(): ArofloClient {
    if (!this.aroflo) throw new ConnectorError({ system: 'aroflo', kind: 'config', detail: 'no API credentials' });
    return this.aroflo;
  }

  aimfoxClient(): AimfoxClient {
    if (!this.aimfox) throw new ConnectorError({ system: 'aimfox', kind: 'config', detail: 'no API key' });
    return this.aimfox;
  }

  pairReady(pair: PairId): boolean {
    const other: SystemId = PAIRS[pair].other;
    return (
      this.configured('ghl') &&
      this.configured(other) &&
      this.health.ghl.health !== 'signed_out' &&
      this.health[other].health !== 'signed_out'
    );
  }

  anySignedOut(): boolean {
    return (['ghl', 'aroflo', 'aimfox'] as const).some((s) => this.health[s].health === 'signed_out');
  }

  private liveCounts(): Record<SystemId, number> {
    return {
      ghl: this.ghl?.budget().requests ?? 0,
      // AroFlo: the requests its 2,000 a day counts — not the free lastupdate feed, nor single-id reads, which have
      // their own 20,000 (main/connectors/aroflo/README.md, "Facts: limits and status codes"). Counting them made the
      // budget planner see AroFlo's share spent on phantom calls (2 feed reads a sync, 576 a day at 5 minutes).
      aroflo: this.aroflo?.budget().requests.counted ?? 0,
      aimfox: this.aimfox?.budget().requests ?? 0,
    };
  }

  requestCounts(): Record<SystemId, number> {
    const live = this.liveCounts();
    return {
      ghl: this.retired.ghl + live.ghl,
      aroflo: this.retired.aroflo + live.aroflo,
      aimfox: this.retired.aimfox + live.aimfox,
    };
  }

  private quota(s: SystemId): QuotaInfo[] | undefined {
    try {
      if (s === 'ghl' && this.ghl) {
        const b = this.ghl.budget();
        const limit = b.serverDailyLimit ?? 200_000;
        const daily = b.pacer.windows.find((w) => w.windowMs >= 3_600_000);
        const remaining = b.serverDailyRemaining ?? (daily ? daily.remaining : limit);
        return [{ window: 'daily', limit, used: limit - remaining, remaining, resetsAt: b.dailyResetAt }];
      }
      if (s === 'aroflo' && this.aroflo) {
        const b = this.aroflo.budget();
        return [
          {
            window: 'daily',
            limit: b.daily.limit,
            used: b.daily.limit - b.daily.remaining,
            remaining: b.daily.remaining,
            resetsAt: Date.parse(b.daily.resetsAt),
          },
          {
            window: 'daily single-record reads',
            limit: b.secondary.limit,
            used: b.secondary.limit - b.secondary.remaining,
            remaining: b.secondary.remaining,
            resetsAt: Date.parse(b.secondary.resetsAt),
          },
        ];
      }
      if (s === 'aimfox' && this.aimfox) {
        const b = this.aimfox.budget();
        return [
          {
            window: 'per minute',
            limit: b.minuteLimit,
            used: b.minuteLimit - b.minuteRemaining,
            remaining: b.minuteRemaining,
          },
        ];
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  list(): ConnectionInfo[] {
    const c = this.cfg();
    return (['ghl', 'aroflo', 'aimfox'] as const).map((s) => {
      const h = this.health[s];
      const method: ConnectionInfo['method'] =
        s === 'ghl'
          ? c.ghl.mode === 'oauth'
            ? 'oauth'
            : c.ghl.mode === 'private_token'
              ? 'private_token'
              : undefined
          : s === 'aroflo'
            ? 'signed_key'
            : 'api_key';
      const tokenScopes = this.tokens?.grantedScopes();
      return {
        system: s,
        label: LABEL[s],
        configured: this.configured(s),
        method: this.configured(s) ? method : undefined,
        health: this.configured(s) ? h.health : 'not_configured',
        account: this.configured(s)
          ? (h.account ?? (s === 'ghl' && c.ghl.locationId ? GHL_ACCOUNT : undefined))
          : undefined,
        scopes:
          s === 'ghl'
            ? (h.scopes ?? tokenScopes ?? (c.ghl.mode === 'private_token' ? [...GHL_REQUIRED_SCOPES] : undefined))
            : undefined,
        quota: this.quota(s),
        lastCheckedAt: h.lastCheckedAt,
        message: h.message,
        warnings: this.configured(s) && h.warnings?.length ? h.warnings : undefined,
        notices: this.configured(s) ? this.notices(s, h) : undefined,
        oauthAppSaved: s === 'ghl' ? !!(c.ghl.clientId && this.secrets.ghlClientSecret) : undefined,
        ...this.ageOf(s),
      };
    });
  }

  private ageOf(s: SystemId): Pick<ConnectionInfo, 'storedAt' | 'storedAtKnown' | 'rotateAfterDays' | 'rotateDue'> {
    const d = this.dates[s];
    if (!this.configured(s) || !d) return {};
    const after = this.rotateAfterDays(s);
    return {
      storedAt: d.at,
      storedAtKnown: d.known,
      rotateAfterDays: after,
      rotateDue: after !== undefined && this.ctx.now() - d.at > after * DAY_MS,
    };
  }

  /**
   * What the card says although nothing needs doing: the last check's notices, or — when a sync found the task search
   * refused by this sign-in since — that tasks are read one contact at a time.
   */
  private notices(s: SystemId, h: Health): string[] | undefined {
    const out = [...(h.notices ?? [])];
    const refusal = s === 'ghl' && this.ghl ? taskSearchRefused(this.ghl) : undefined;
    const said = refusal?.kind === 'scope' ? TASKS_PER_CONTACT : TASKS_PER_CONTACT_REFUSED;
    if (refusal && !out.includes(TASKS_PER_CONTACT) && !out.includes(TASKS_PER_CONTACT_REFUSED)) out.push(said);
    const calendars = s === 'ghl' && this.ghl ? calendarReadRefused(this.ghl) : undefined;
    if (calendars) out.push(calendars.kind === 'scope' ? APPOINTMENTS_PER_CONTACT : APPOINTMENTS_PER_CONTACT_REFUSED);
    return out.length ? out : undefined;
  }

  private info(s: SystemId): ConnectionInfo {
    return this.list().find((x) => x.system === s)!;
  }

  // ---- sign-in ----

  async saveGhlOAuthApp(a: { clientId: string; clientSecret: string; redirectUri?: string }): Promise<ConnectionInfo> {
    if (a.redirectUri && /^http:\/\/localhost[:/]/i.test(a.redirectUri))
      throw new BridgeError(localhostMessage(a.redirectUri));
    if (a.redirectUri && !/^http:\/\/127\.0\.0\.1:\d{2,5}\//.test(a.redirectUri)) {
      throw new BridgeError(
        'The redirect URI must be http://127.0.0.1 with a port (the loopback address), e.g. http://127.0.0.1:47321/oauth/callback — register the same one in your HighLevel app.',
      );
    }
    await this.ctx.vault.set(V.ghlClientSecret, a.clientSecret);
    this.secrets.ghlClientSecret = a.clientSecret;
    this.ctx.redactor.add(a.clientSecret);
    this.updateCfg((c) => {
      c.ghl.clientId = a.clientId;
      if (a.redirectUri) c.ghl.redirectUri = a.redirectUri;
    });
    this.rebuild();
    this.ctx.logger.info('HighLevel app details saved.');
    return this.info('ghl');
  }

  /** Opens the consent page; resolves with its URL as soon as the listener is ready. The result arrives as a 'login' event. */
  async startGhlLogin(): Promise<{ authorizeUrl: string }> {
    const c = this.cfg();
    if (!c.ghl.clientId || !this.secrets.ghlClientSecret)
      throw new BridgeError('Enter your HighLevel app’s client ID and secret first.');
    if (loginInProgress())
      throw new BridgeError('A HighLevel sign-in is already waiting in the browser — finish or close it first.');
    let resolveUrl!: (u: string) => void;
    let rejectUrl!: (e: Error) => void;
    const urlReady = new Promise<string>((res, rej) => {
      resolveUrl = res;
      rejectUrl = rej;
    });
    const login = startLogin({
      clientId: c.ghl.clientId,
      clientSecret: this.secrets.ghlClientSecret,
      authorizeUrl: c.ghl.authorizeUrl,
      tokenUrl: `${c.ghl.baseUrl.replace(/\/+$/, '')}/oauth/token`,
      redirectUri: c.ghl.redirectUri,
      scopes: c.ghl.scopes.length ? c.ghl.scopes : GHL_LOGIN_SCOPES,
      openBrowser: async (url) => {
        resolveUrl(url);
        await this.ctx.openExternal?.(url);
      },
      now: this.ctx.now,
    });
    login.then(
      async (r) => {
        this.ctx.redactor.add(r.tokens.accessToken);
        this.ctx.redactor.add(r.tokens.refreshToken);
        await this.saveDated({ [V.ghlTokens]: JSON.stringify(r.tokens) }, 'ghl', {});
        this.updateCfg((cc) => {
          cc.ghl.mode = 'oauth';
          cc.ghl.locationId = r.locationId ?? r.tokens.locationId ?? cc.ghl.locationId;
        });
        this.rebuild();
        this.health.ghl = {
          health: 'ok',
          account: GHL_ACCOUNT,
          scopes: r.tokens.scope.split(/\s+/).filter(Boolean),
          lastCheckedAt: this.ctx.now(),
        };
        this.ctx.logger.info(`Signed in to HighLevel (location ${r.locationId ?? r.tokens.locationId ?? 'unknown'}).`);
        this.ctx.events.publish({ type: 'login', system: 'ghl', ok: true, message: 'Signed in to HighLevel.' });
      },
      (e: Error) => {
        rejectUrl(e);
        this.ctx.logger.warn(`HighLevel sign-in did not finish: ${e.message}`);
        this.ctx.events.publish({ type: 'login', system: 'ghl', ok: false, message: e.message });
      },
    );
    return { authorizeUrl: await urlReady };
  }

  async saveGhlPrivateToken(a: { token: string; locationId: string }): Promise<ConnectionInfo> {
    if (a.token.length < 10)
      throw new BridgeError(
        'That does not look like a Private Integration token — copy the whole token from HighLevel → Settings → Private Integrations.',
      );
    // Checked before anything is saved: a refused save leaves no secret behind.
    if (a.locationId.length > MAX_LOCATION_ID)
      throw new BridgeError(
        `That location ID is too long (at most ${MAX_LOCATION_ID} characters) — copy it from HighLevel → Settings → Business Profile.`,
      );
    // Tried against HighLevel before it is kept: a token that cannot read this location is never "signed in".
    const at = this.ctx.now();
    const c = this.cfg();
    const probe = new GhlClient({
      baseUrl: c.ghl.baseUrl,
      auth: new PrivateIntegrationAuth(a.token),
      locationId: a.locationId,
      now: this.ctx.now,
      rateLimits: { timeScale: c.rateScale ?? 1 },
    });
    let r: Awaited<ReturnType<GhlClient['testConnection']>>;
    try {
      r = await probe.testConnection();
    } catch (e) {
      const kind = isConnectorError(e) ? e.kind : undefined;
      if (kind === 'signed_out')
        throw new BridgeError(
          'HighLevel refused this token — copy the whole token again from HighLevel → Settings → Private Integrations (it is shown once; make a new one if it is lost).',
          'invalid',
        );
      throw new BridgeError(`Could not check the token with HighLevel, so it was not saved: ${(e as Error).message}`);
    } finally {
      this.retired.ghl += probe.budget().requests;
    }
    if (!r.ok) {
      const cannotRead = r.missingScopes.includes('contacts.readonly');
      throw new BridgeError(
        cannotRead
          ? `HighLevel did not let this token read the location "${a.locationId}" — check the location ID (HighLevel → Settings → Business Profile) and that the token was made in that sub-account with the permissions ${GHL_REQUIRED_SCOPES.join(', ')}. Nothing was saved.`
          : `This token lacks permissions: ${r.missingScopes.join(', ')} — edit the Private Integration in HighLevel to add them. Nothing was saved.`,
        'invalid',
      );
    }
    // A working token for another location than this folder's: refused (it would be added as a new location).
    this.sameLocation(a.locationId);
    await this.saveDated({ [V.ghlPit]: a.token }, 'ghl', {});
    this.secrets.ghlPit = a.token;
    this.ctx.redactor.add(a.token);
    this.updateCfg((cc) => {
      cc.ghl.mode = 'private_token';
      cc.ghl.locationId = a.locationId;
    });
    this.rebuild();
    this.health.ghl = ghlHealth(r, at);
    this.ctx.logger.info('Signed in to HighLevel with a Private Integration token.');
    return this.info('ghl');
  }

  /** This location's HighLevel app (client id, secret, redirect URI), when one is saved. */
  ghlApp(): { clientId: string; clientSecret: string; redirectUri: string; baseUrl: string } | undefined {
    const c = this.cfg();
    if (!c.ghl.clientId || !this.secrets.ghlClientSecret) return undefined;
    return {
      clientId: c.ghl.clientId,
      clientSecret: this.secrets.ghlClientSecret,
      redirectUri: c.ghl.redirectUri,
      baseUrl: c.ghl.baseUrl,
    };
  }

  /**
   * The agency sign-in (README "Several locations"): the consent page with the agency scopes, redeemed as a Company
   * token. Nothing is saved here: the caller lists the installed locations with it and mints each one's own token. Uses
   * this location's HighLevel app (saveGhlOAuthApp).
   */
  async agencySignIn(openBrowser: (url: string) => void | Promise<void>): Promise<OAuthTokens> {
    const c = this.cfg();
    if (!c.ghl.clientId || !this.secrets.ghlClientSecret)
      throw new BridgeError('Enter your HighLevel app’s client ID and secret first.');
    const r = await startLogin({
      clientId: c.ghl.clientId,
      clientSecret: this.secrets.ghlClientSecret,
      authorizeUrl: c.ghl.authorizeUrl,
      tokenUrl: `${c.ghl.baseUrl.replace(/\/+$/, '')}/oauth/token`,
      redirectUri: c.ghl.redirectUri,
      // Every location scope the app uses (the minted location tokens carry the agency token's scopes), plus the agency's.
      scopes: [...new Set([...c.ghl.scopes, ...GHL_LOGIN_SCOPES, ...GHL_AGENCY_SCOPES])],
      userType: 'Company',
      openBrowser,
      now: this.ctx.now,
    });
    this.ctx.redactor.add(r.tokens.accessToken);
    this.ctx.redactor.add(r.tokens.refreshToken);
    if (r.tokens.userType !== 'Company' || !r.tokens.companyId)
      throw new BridgeError(
        'HighLevel signed in a sub-account, not the agency — choose the agency on the consent page (the app must be installed for the agency).',
      );
    return r.tokens;
  }

  /**
   * Signs this location in with a token pair minted from an agency token (POST /oauth/locationToken): OAuth mode with
   * the agency's app, so the pair refreshes at /oauth/token like any location token. Tried before it is kept.
   */
  async saveGhlLocationToken(a: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    tokens: OAuthTokens;
  }): Promise<ConnectionInfo> {
    if (!a.tokens.locationId) throw new BridgeError('That token names no location; nothing was saved.');
    this.sameLocation(a.tokens.locationId);
    this.ctx.redactor.add(a.clientSecret);
    this.ctx.redactor.add(a.tokens.accessToken);
    this.ctx.redactor.add(a.tokens.refreshToken);
    await this.ctx.vault.setMany({ [V.ghlClientSecret]: a.clientSecret, [V.ghlTokens]: JSON.stringify(a.tokens) });
    this.secrets.ghlClientSecret = a.clientSecret;
    this.updateCfg((c) => {
      c.ghl.mode = 'oauth';
      c.ghl.clientId = a.clientId;
      c.ghl.redirectUri = a.redirectUri;
      c.ghl.locationId = a.tokens.locationId;
    });
    this.rebuild();
    const info = await this.test('ghl');
    if (info.health !== 'ok' && info.health !== 'unknown')
      throw new BridgeError(
        `HighLevel did not accept the location's token: ${info.message ?? info.health}.`,
        'invalid',
      );
    this.ctx.logger.info(`Signed in to HighLevel location ${a.tokens.locationId} through the agency.`);
    return info;
  }

  /** The signed-in HighLevel location's name (GET /locations/{id}), or undefined when there is none or it cannot be read. */
  async ghlLocationName(): Promise<string | undefined> {
    try {
      return (await this.ghl?.getLocation())?.name ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Re-read the Aimfox accounts when the last check is older than AIMFOX_RECHECK_MS (a run calls this). */
  async recheckAccounts(): Promise<void> {
    if (!this.aimfox || this.health.aimfox.health !== 'ok') return;
    if (this.ctx.now() - (this.health.aimfox.lastCheckedAt ?? 0) < AIMFOX_RECHECK_MS) return;
    await this.test('aimfox');
  }

  async saveArofloCredentials(a: ArofloSecrets): Promise<ConnectionInfo> {
    await this.saveDated({ [V.aroflo]: JSON.stringify(a) }, 'aroflo', {});
    this.secrets.aroflo = a;
    this.ctx.redactor.add(a.pEncoded);
    this.ctx.redactor.add(a.secretKey);
    this.rebuild();
    return this.test('aroflo');
  }

  async saveAimfoxKey(a: { apiKey: string }): Promise<ConnectionInfo> {
    await this.saveDated({ [V.aimfox]: a.apiKey }, 'aimfox', {});
    this.secrets.aimfox = a.apiKey;
    this.ctx.redactor.add(a.apiKey);
    this.rebuild();
    return this.test('aimfox');
  }

  /** Remember the Aimfox workspace the stored key opens (a replacement key must open the same one). */
  private async noteWorkspace(workspaceId: string): Promise<void> {
    const d = this.dates.aimfox;
    if (!d || d.workspaceId === workspaceId) return;
    await this.restamp('aimfox', (now) => (now ? { ...now, workspaceId } : now)).catch((e: Error) =>
      this.ctx.logger.warn(`Could not record the Aimfox workspace: ${e.message}`),
    );
  }

  /**
   * Replace a stored credential with a new one for the same account (main/service/README.md, "Credential age"): the
   * new token or key is tried first, against the same HighLevel location, AroFlo organisation or Aimfox workspace, and
   * refused — nothing changes — when it opens another one (records of two accounts in one ID map would corrupt it) or
   * does not work. Then it is swapped in; links, bases, conflicts, mappings and cursors stay as they are, and its age
   * starts again.
   */
  async replaceCredential(a: {
    system: SystemId;
    token?: string;
    aroflo?: ArofloSecrets;
    apiKey?: string;
  }): Promise<ConnectionInfo> {
    if (!this.configured(a.system))
      throw new BridgeError(`${LABEL[a.system]} is not connected: sign in first, there is nothing to replace.`);
    const c = this.cfg();
    if (a.system === 'ghl') {
      if (c.ghl.mode !== 'private_token')
        throw new BridgeError(
          'HighLevel is connected with OAuth: its tokens renew themselves. To change the sign-in, sign in to HighLevel again.',
        );
      const token = (a.token ?? '').trim();
      if (token.length < 10)
        throw new BridgeError(
          'That does not look like a Private Integration token — copy the whole token from HighLevel → Settings → Private Integrations.',
        );
      const probe = new GhlClient({
        baseUrl: c.ghl.baseUrl,
        auth: new PrivateIntegrationAuth(token),
        locationId: c.ghl.locationId!,
        now: this.ctx.now,
        rateLimits: { timeScale: c.rateScale ?? 1 },
      });
      let r: Awaited<ReturnType<GhlClient['testConnection']>>;
      try {
        r = await probe.testConnection();
      } catch (e) {
        if (isConnectorError(e) && e.kind === 'signed_out')
          throw new BridgeError(
            'HighLevel refused this token — copy the whole token again from HighLevel → Settings → Private Integrations. The current token is kept.',
            'invalid',
          );
        throw new BridgeError(
          `Could not check the new token with HighLevel, so the current one is kept: ${(e as Error).message}`,
        );
      } finally {
        this.retired.ghl += probe.budget().requests;
      }
      if (!r.ok)
        throw new BridgeError(
          r.missingScopes.includes('contacts.readonly')
            ? `This token cannot read the connected HighLevel location (${c.ghl.locationId}) — it was made in another sub-account, or without the permission to read contacts. Make the new token in the same sub-account: a token for another location would mix its records into this one's links. Nothing was changed.`
            : `This token lacks permissions: ${r.missingScopes.join(', ')} — edit the Private Integration in HighLevel to add them. Nothing was changed.`,
          'invalid',
        );
      await this.saveDated({ [V.ghlPit]: token }, 'ghl', {});
      this.secrets.ghlPit = token;
      this.ctx.redactor.add(token);
      this.rebuild();
      this.health.ghl = ghlHealth(r, this.ctx.now());
      this.ctx.logger.info('Replaced the HighLevel Private Integration token; sync state kept.');
      return this.info('ghl');
    }
    if (a.system === 'aroflo') {
      const next = a.aroflo;
      if (!next) throw new BridgeError('Enter the new AroFlo keys.');
      if (next.orgEncoded !== this.secrets.aroflo?.orgEncoded)
        throw new BridgeError(
          'These AroFlo keys are for another organisation (orgEncoded differs) — replacing keys keeps the same organisation, or its records would be mixed into this one’s links. Nothing was changed.',
          'invalid',
        );
      const scale = c.rateScale ?? 1;
      const probe = new ArofloClient({
        baseUrl: c.aroflo.baseUrl,
        credentials: next,
        now: this.ctx.now,
        limits: arofloLimits(scale),
      });
      let org: string;
      try {
        org = (await probe.testConnection()).organisation;
      } catch (e) {
        throw new BridgeError(
          `AroFlo did not accept the new keys, so the current ones are kept: ${(e as Error).message}`,
          'invalid',
        );
      } finally {
        const q = probe.budget().requests;
        this.retired.aroflo += Object.values(q).reduce((x, n) => x + n, 0) - q.retries - q.rateLimited;
      }
      await this.saveDated({ [V.aroflo]: JSON.stringify(next) }, 'aroflo', {});
      this.secrets.aroflo = next;
      this.ctx.redactor.add(next.pEncoded);
      this.ctx.redactor.add(next.secretKey);
      this.rebuild();
      this.health.aroflo = { health: 'ok', account: org, lastCheckedAt: this.ctx.now() };
      this.ctx.logger.info('Replaced the AroFlo keys; sync state kept.');
      return this.info('aroflo');
    }
    const key = (a.apiKey ?? '').trim();
    if (!key) throw new BridgeError('Enter the new Aimfox API key.');
    const probe = new AimfoxClient({
      baseUrl: c.aimfox.baseUrl,
      apiKey: key,
      now: this.ctx.now,
      limits: aimfoxLimits(c.rateScale ?? 1),
    });
    const r = await probe.testConnection().finally(() => (this.retired.aimfox += probe.budget().requests));
    if (!r.ok)
      throw new BridgeError(`Aimfox did not accept the new key, so the current one is kept: ${r.message}`, 'invalid');
    // The workspace the stored key opens: remembered when the key was stored or last tested, else learned now by
    // testing the stored key (a vault stored before workspaces were kept). Not learned — the stored key no longer
    // works, or Aimfox did not name a workspace — is a refusal: a key of another workspace would mix its leads in.
    let was = this.dates.aimfox?.workspaceId ?? this.health.aimfox.workspaceId;
    if (!was) {
      await this.test('aimfox');
      was = this.health.aimfox.workspaceId;
    }
    // Aimfox names a key's workspace only through its LinkedIn accounts (main/connectors/aimfox/README.md).
    if (!was || !r.workspaceId)
      throw new BridgeError(
        !was && this.health.aimfox.health !== 'ok'
          ? 'The current Aimfox key no longer works, so GHL Bridge cannot tell which workspace it opened and cannot check that the new key opens the same one. Nothing was changed. To connect with the new key anyway, sign out of Aimfox and connect again.'
          : 'Aimfox names a workspace only through its connected LinkedIn accounts, and this workspace has none, so GHL Bridge cannot check that the new key opens the same one. Nothing was changed. Connect a LinkedIn account in Aimfox first, or sign out of Aimfox and connect again.',
        'invalid',
      );
    if (was !== r.workspaceId)
      throw new BridgeError(
        `This key opens another Aimfox workspace (${r.workspaceId}, not ${was}) — its leads would be mixed into this one’s links. Make the new key in the same workspace. Nothing was changed.`,
        'invalid',
      );
    await this.saveDated({ [V.aimfox]: key }, 'aimfox', { workspaceId: r.workspaceId });
    this.secrets.aimfox = key;
    this.ctx.redactor.add(key);
    this.rebuild();
    await this.test('aimfox');
    this.ctx.logger.info('Replaced the Aimfox API key; sync state kept.');
    return this.info('aimfox');
  }

  async test(s: SystemId): Promise<ConnectionInfo> {
    if (!this.configured(s)) return this.info(s);
    const at = this.ctx.now();
    try {
      if (s === 'ghl') {
        const r = await this.ghlClient().testConnection();
        this.health.ghl = ghlHealth(r, at);
      } else if (s === 'aroflo') {
        const r = await this.arofloClient().testConnection();
        this.health.aroflo = { health: 'ok', account: r.organisation, lastCheckedAt: at };
      } else {
        const r = await this.aimfoxClient().testConnection();
        // The workspace's name is not shown: a workspace key cannot read it (only a master key lists workspaces, see
        // main/connectors/aimfox/README.md), so the account is named by its LinkedIn senders.
        this.health.aimfox = r.ok
          ? {
              health: 'ok',
              account: r.accounts.length
                ? `LinkedIn: ${r.accounts.map((x) => x.name).join(', ')}`
                : 'No LinkedIn account connected',
              lastCheckedAt: at,
              warnings: r.warnings,
              workspaceId: r.workspaceId,
            }
          : { health: r.error.kind === 'signed_out' ? 'signed_out' : 'error', message: r.message, lastCheckedAt: at };
        if (r.ok && r.workspaceId) await this.noteWorkspace(r.workspaceId);
      }
    } catch (e) {
      const err = e as Error;
      const kind = isConnectorError(e) ? e.kind : undefined;
      this.health[s] = {
        health: kind === 'signed_out' || kind === 'scope' ? 'signed_out' : 'error',
        message: err.message,
        lastCheckedAt: at,
      };
    }
    const h = this.health[s];
    this.ctx.logger.info(`Tested ${LABEL[s]}: ${h.health}${h.message ? ` — ${h.message}` : ''}`);
    for (const w of h.warnings ?? []) this.ctx.logger.warn(`${LABEL[s]}: ${w}`);
    return this.info(s);
  }

  async signOut(s: SystemId): Promise<ConnectionInfo> {
    if (s === 'ghl') {
      await this.ctx.vault.setMany({ [V.ghlTokens]: undefined, [V.ghlPit]: undefined });
      this.secrets.ghlPit = undefined;
      this.updateCfg((c) => {
        c.ghl.mode = 'none';
        c.ghl.locationId = undefined;
      });
    } else if (s === 'aroflo') {
      await this.ctx.vault.delete(V.aroflo);
      this.secrets.aroflo = undefined;
    } else {
      await this.ctx.vault.delete(V.aimfox);
      this.secrets.aimfox = undefined;
    }
    if (this.dates[s]) {
      await this.restamp(s, () => undefined);
    }
    this.health[s] = { health: 'not_configured' };
    this.rebuild();
    this.ctx.logger.info(`Signed out of ${LABEL[s]}.`);
    return this.info(s);
  }

  /** Mark a system signed out after a run met a sign-in error (the scheduler then waits for a new sign-in). */
  noteError(e: unknown): void {
    if (!isConnectorError(e)) return;
    if (e.kind === 'signed_out' || e.kind === 'scope') {
      this.health[e.system] = {
        ...this.health[e.system],
        health: 'signed_out',
        message: `${e.message} Sync is paused until then; nothing is lost.`,
      };
      this.ctx.logger.warn(`${LABEL[e.system]} needs signing in again; sync paused for it.`);
      this.ctx.events.publish({ type: 'login', system: e.system, ok: false, message: e.message });
    } else if (e.kind !== 'rate_limited') {
      this.health[e.system] = {
        ...this.health[e.system],
        health: 'error',
        message: e.message,
        lastCheckedAt: this.ctx.now(),
      };
    }
  }

  // ---- lookups for the Mappings screen ----

  async mappingOptions(): Promise<Record<string, Array<{ id: string; label: string }>>> {
    const out: Record<string, Array<{ id: string; label: string }>> = {
      arofloBusinessUnits: [],
      arofloTaskTypes: [],
      aimfoxCampaigns: [],
      ghlCustomFields: [],
    };
    const failures: string[] = [];
    this.optionFailures = failures;
    if (this.vaultProblem) failures.push(this.vaultProblem);
    const tryIt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        failures.push(`Could not load ${what}: ${(e as Error).message}`);
        this.ctx.logger.warn(`Could not load ${what} for the mapping screen: ${(e as Error).message}`);
      }
    };
    if (this.aroflo) {
      await tryIt(
        'AroFlo business units',
        async () =>
          void (out.arofloBusinessUnits = (await this.aroflo!.listBusinessUnits()).items.map((b) => ({
            id: b.id,
            label: b.name,
          }))),
      );
      await tryIt(
        'AroFlo task types',
        async () =>
          void (out.arofloTaskTypes = (await this.aroflo!.listTaskTypes()).items.map((t) => ({
            id: t.id,
            label: t.name,
          }))),
      );
    }
    if (this.aimfox)
      await tryIt(
        'Aimfox campaigns',
        async () =>
          void (out.aimfoxCampaigns = (await this.aimfox!.listCampaigns({ acceptsProfiles: true })).items.map((c) => ({
            id: c.id,
            label: `${c.name} (${c.state})`,
          }))),
      );
    if (this.ghl)
      await tryIt(
        'HighLevel custom fields',
        async () =>
          void (out.ghlCustomFields = (await this.ghl!.listCustomFields()).items.map((f) => ({
            id: f.id,
            label: f.name ?? f.id,
          }))),
      );
    return out;
  }

  /** Appointments of recently changed contacts, into the activity feed (bounded: a few calls per run). */
  async collectActivity(activity: ActivityRepo, runId: string, contactIds: string[]): Promise<number> {
    if (!this.ghl) return 0;
    let added = 0;
    for (const id of contactIds.slice(0, 20)) {
      const r = await this.ghl.listAppointments(id);
      for (const a of r.items) {
        const at = Date.parse(a.startTime?.replace(' ', 'T') ?? '') || this.ctx.now();
        // The time is the item's own (the window shows it in the person's locale and time zone), not GHL's text.
        activity.add({
          at,
          system: 'ghl',
          kind: 'appointment',
          action: a.appointmentStatus ?? a.status ?? 'booked',
          summary: `Appointment "${a.title ?? 'untitled'}"`,
          runId,
          ref: `appt:${a.id}:${a.dateUpdated ?? ''}`,
        });
        added++;
      }
    }
    return added;
  }

  /**
   * Take the credentials another process on the profile stored since this one read them (`ghl-bridge login ghl
   * --rotate` while the app runs): called at the start of each run, so a run never goes out with a token or key that
   * was replaced — and perhaps revoked — elsewhere. A vault that cannot be read keeps what is in memory.
   */
  async reloadIfChanged(): Promise<void> {
    const v = this.ctx.vault;
    let got: Array<string | undefined>;
    try {
      got = await Promise.all([v.get(V.ghlPit), v.get(V.aroflo), v.get(V.aimfox), v.get(CREDENTIAL_DATES)]);
    } catch {
      return;
    }
    const [pit, ar, af, dates] = got;
    this.dates = parseDates(dates);
    const was = this.secrets;
    const aroflo = ar ? (JSON.parse(ar) as ArofloSecrets) : undefined;
    const changed: SystemId[] = [];
    if (pit !== was.ghlPit) changed.push('ghl');
    if (JSON.stringify(aroflo) !== JSON.stringify(was.aroflo)) changed.push('aroflo');
    if (af !== was.aimfox) changed.push('aimfox');
    if (!changed.length) return;
    this.secrets = { ...was, ghlPit: pit, aroflo, aimfox: af };
    for (const x of [pit, af, aroflo?.pEncoded, aroflo?.secretKey]) this.ctx.redactor.add(x);
    this.rebuild();
    for (const s of changed) {
      if (this.configured(s)) this.health[s] = { health: 'unknown' };
      this.ctx.logger.info(`${LABEL[s]}: using the credential stored since by another GHL Bridge process.`);
    }
  }

  async close(): Promise<void> {
    // Clients hold no open handles between requests; a renewed GHL pair whose save failed gets one more try.
    await this.tokens
      ?.flush()
      .catch((e: unknown) =>
        this.ctx.logger.error(`The renewed HighLevel sign-in could not be saved: ${(e as Error).message}`),
      );
  }
}

function ghlHealth(r: Awaited<ReturnType<GhlClient['testConnection']>>, at: number): Health {
  const account = `${GHL_ACCOUNT}${r.contactCount !== undefined ? ` — ${r.contactCount.toLocaleString('en')} contacts` : ''}`;
  const notices = r.taskSearch
    ? []
    : [r.missingOptionalScopes.includes('locations/tasks.readonly') ? TASKS_PER_CONTACT : TASKS_PER_CONTACT_REFUSED];
  return r.ok
    ? { health: 'ok', account, scopes: r.grantedScopes, notices, lastCheckedAt: at }
    : {
        health: 'error',
        account,
        scopes: r.grantedScopes,
        message: `The sign-in lacks permissions: ${r.missingScopes.join(', ')} — sign in again and approve them.`,
        lastCheckedAt: at,
      };
}

function parseDates(raw: string | undefined): Partial<Record<SystemId, CredentialStamp>> {
  if (!raw) return {};
  try {
    const o = JSON.parse(raw) as Record<string, CredentialStamp>;
    const out: Partial<Record<SystemId, CredentialStamp>> = {};
    for (const s of ['ghl', 'aroflo', 'aimfox'] as const)
      if (o[s] && Number.isFinite(o[s].at)) out[s] = { ...o[s], known: o[s].known !== false };
    return out;
  } catch {
    return {};
  }
}
