/**
 * The bridge contract: the one typed API between the window (renderer) and the app (main process).
 *
 * Every method takes at most one argument (a plain JSON object) and returns a Promise of plain JSON, so the same
 * contract is carried by two transports: Electron IPC (preload + ipcMain.handle) and loopback HTTP (serve mode,
 * POST /api/<method> + Server-Sent Events). Adding a method: add it to BridgeApi and to BRIDGE_METHODS, implement it
 * in main/service/handlers/ (one file per area); both transports pick it up from the list.
 *
 * The renderer, the preload script and main all compile this file, so it imports nothing but main/domain (plain
 * types and constants that import nothing themselves), which it re-exports for every importer.
 */
import type {
  CatalogueView,
  ChangeItem,
  ChangeQuery,
  Dashboard,
  DashboardFilter,
  EntityKind,
  PairId,
  PairMapping,
  SystemId,
} from '../main/domain/index.js';

export * from '../main/domain/index.js';

export type Screen =
  | 'dashboard'
  | 'changes'
  | 'status'
  | 'connections'
  | 'mappings'
  | 'conflicts'
  | 'activity'
  | 'logs'
  | 'settings'
  | 'record';

export type Counts = Partial<Record<EntityKind, number>>;

export interface QuotaInfo {
  /** What the window counts, e.g. "daily" or "per minute". */
  window: string;
  limit: number;
  used: number;
  remaining: number;
  /** Epoch ms when the window resets, when known. */
  resetsAt?: number;
}

export type ConnectionHealth = 'not_configured' | 'unknown' | 'ok' | 'signed_out' | 'error';

export interface ConnectionInfo {
  system: SystemId;
  /** Human name: "HighLevel", "AroFlo", "Aimfox". */
  label: string;
  configured: boolean;
  /** How it signs in. */
  method?: 'oauth' | 'private_token' | 'signed_key' | 'api_key';
  health: ConnectionHealth;
  /** Location / organisation / workspace shown to the user once signed in. */
  account?: string;
  scopes?: string[];
  quota?: QuotaInfo[];
  lastCheckedAt?: number;
  /** What went wrong and what to do, when health is not ok. */
  message?: string;
  /**
   * Things a person must act on although the sign-in works (a LinkedIn account logged out in Aimfox): each one is
   * also a Needs-attention item, a tray state and a notification.
   */
  warnings?: string[];
  /** How the connection works although nothing needs doing (tasks read one contact at a time): shown, not alerted. */
  notices?: string[];
  /** For OAuth: whether a marketplace app (client id/secret) is saved. */
  oauthAppSaved?: boolean;
  /** When the credential was stored (ms); with `storedAtKnown` false: stored earlier, first seen then. */
  storedAt?: number;
  storedAtKnown?: boolean;
  /** Replace the credential after this many days (undefined: no reminder, e.g. OAuth renews itself). */
  rotateAfterDays?: number;
  /** Older than `rotateAfterDays`: a Needs-attention reminder. */
  rotateDue?: boolean;
}

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'stopped' | 'needs_approval';
/** `record`: "Sync this record now" (a run scoped to one record's links, main/sync/README.md "One record"). */
export type RunTrigger = 'timer' | 'manual' | 'cli' | 'preview' | 'undo' | 'resolution' | 'record';

export interface RunSummary {
  id: string;
  trigger: RunTrigger;
  dryRun: boolean;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  /** What the run wrote, per entity; for a dry run (a preview), what it would write. */
  created: Counts;
  updated: Counts;
  deleted: Counts;
  /** Records waiting for review that the run found: conflicts plus possible duplicates, one per record. */
  conflicts: number;
  errors: number;
  requests: Record<SystemId, number>;
  /** Why a run stopped or failed, in plain words. */
  message?: string;
}

export interface Progress {
  runId: string;
  phase: string;
  done: number;
  total?: number;
  message?: string;
}

export interface AttentionItem {
  kind:
    | 'sign_in'
    | 'conflicts'
    | 'duplicates'
    | 'guard'
    | 'errors'
    | 'mapping_review'
    | 'setup'
    | 'quarantine'
    | 'account'
    | 'rotate'
    | 'budget'
    | 'check';
  severity: 'info' | 'warning' | 'error';
  message: string;
  screen: Screen;
  /** The record page this item is about (`screen` is then 'record'). */
  record?: string;
}

export interface AppStatus {
  version: string;
  profileDir: string;
  dbLevel: number;
  paused: boolean;
  syncing: boolean;
  progress?: Progress;
  lastRun?: RunSummary;
  nextRunAt?: number;
  syncEnabled: Record<PairId, boolean>;
  connections: ConnectionInfo[];
  openConflicts: number;
  openDuplicates: number;
  attention: AttentionItem[];
  /** Each API's daily budget today (main/sync/README.md, "Daily budget and the rolling re-read"). */
  budget?: BudgetInfo[];
}

/**
 * One API's budget-day: `ok` — the rolling re-read re-checks every record within the window; `shrunk` — a smaller
 * slice (every record within `coverageHours`); `paused` — re-reads paused, change feeds still run; `spent` — only
 * the floor kept for writes is left, sync waits for the reset (`resetsAt`).
 */
export interface BudgetInfo {
  system: SystemId;
  /** The API's requests a day, and the bridge's share of it (percent, and in requests). */
  perDay: number;
  sharePercent: number;
  allowance: number;
  /** Requests spent today by every process on the profile, and the day's projected total at this pace. */
  usedToday: number;
  projected: number;
  state: 'ok' | 'shrunk' | 'paused' | 'spent';
  /** The re-read window (hours), and how long a lap of the re-read takes at this sync's slice (hours). */
  windowHours: number;
  coverageHours?: number;
  /** When the budget-day resets (epoch ms): full re-reads resume then. */
  resetsAt: number;
  /** In words, when `state` is not ok. */
  message?: string;
}

// ---- mappings ----

export interface PlanItem {
  id: string;
  action: 'create' | 'update' | 'delete' | 'archive' | 'link' | 'conflict' | 'duplicate' | 'skip';
  /** Which system is written. */
  target: SystemId;
  entity: EntityKind;
  /** A human label for the record: a name, a task title. */
  label: string;
  fields?: Array<{ field: string; from?: string | null; to?: string | null }>;
  reason?: string;
}

/** The plan a run stored: a preview's, or the one a guard stop held back (what "Approve and sync" would do). */
export interface RunPlan {
  runId: string;
  status: RunStatus;
  items: PlanItem[];
  guard?: { tripped: boolean; reason: string };
}

export interface PlanPreview {
  pair: PairId;
  runId: string;
  fingerprint: string;
  counts: { create: number; update: number; delete: number; conflict: number; duplicate: number };
  items: PlanItem[];
  /** When the guard would stop a real run. */
  guard?: { tripped: boolean; reason: string };
  createdAt: number;
}

// ---- conflicts and duplicates ----

export interface ConflictSummary {
  id: string;
  kind: 'conflict' | 'duplicate';
  pair: PairId;
  system: SystemId;
  entity: EntityKind;
  label: string;
  fields: string[];
  createdAt: number;
  runId?: string;
}

export interface FieldDiff {
  field: string;
  label: string;
  base: string | null;
  ghl: string | null;
  other: string | null;
}

export interface DuplicateCandidate {
  system: SystemId;
  id: string;
  label: string;
  details: Record<string, string | null>;
  /** Where a person opens this record in its own system (a HighLevel contact page), when known. */
  url?: string;
}

export interface ConflictDetail extends ConflictSummary {
  /** The linked record it is about (its record page: #/record/<linkId>). */
  linkId?: number;
  diffs: FieldDiff[];
  /** For duplicates: the records that might be the same person. */
  candidates?: DuplicateCandidate[];
}

export type FieldChoice = { take: 'ghl' } | { take: 'other' } | { take: 'value'; value: string | null };

// ---- activity, logs ----

export interface ActivityItem {
  id: string;
  at: number;
  system: SystemId | 'bridge';
  kind: EntityKind | 'run';
  action: string;
  summary: string;
  runId?: string;
}

export interface ActivityBucket {
  day: string;
  synced: number;
  conflicts: number;
  errors: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  at: number;
  level: LogLevel;
  message: string;
  context?: Record<string, unknown>;
}

// ---- settings ----

export interface Settings {
  syncIntervalMinutes: number;
  startAtLogin: boolean;
  notifications: { conflicts: boolean; signIn: boolean; failures: boolean };
  guard: { maxDeletes: number; maxDeletePercent: number; maxChanges: number; maxChangePercent: number };
  /** Remind to replace AroFlo and Aimfox keys after this many days (missing = 180). */
  keyRotationDays?: number;
  /** A full re-read every N real syncs on top of the rolling re-read (unset: none; the budget still counts it). */
  fullRereadEvery?: number;
  /**
   * The daily budget: the bridge's share of each API's daily requests, and the window within which the rolling re-read
   * re-checks every record (main/sync/README.md, "Daily budget and the rolling re-read"). Missing = the defaults.
   */
  budget?: BudgetSettings;
  /**
   * After a sync, re-read some linked records per pair and compare both sides with what was last synced (missing = on,
   * 60 per pair, at most once every 60 minutes: main/domain/defaults.ts).
   */
  checkAfterRun?: { enabled: boolean; sample: number; everyMinutes?: number };
}

export interface BudgetSettings {
  /** Percent of HighLevel's 200,000 requests a day (default 25). */
  ghlSharePercent?: number;
  /** Percent of AroFlo's 2,000 requests a day (default 50). */
  arofloSharePercent?: number;
  /** Every record is re-checked within this many hours (default 24). */
  rereadWindowHours?: number;
}

/** What saveSettings takes: any of the settings, and any part of the nested groups (the rest stays as saved). */
export type SettingsPatch = Partial<Omit<Settings, 'notifications' | 'guard' | 'checkAfterRun'>> & {
  notifications?: Partial<Settings['notifications']>;
  guard?: Partial<Settings['guard']>;
  budget?: BudgetSettings;
  checkAfterRun?: Partial<NonNullable<Settings['checkAfterRun']>>;
};

// ---- locations (several HighLevel locations in one profile: main/service/locations.ts) ----

/** One location on the "All locations" overview. */
export interface LocationOverview {
  id: string;
  name: string;
  /** The profile's first location (its root folder). */
  primary: boolean;
  lastRun?: RunSummary;
  nextRunAt?: number;
  paused: boolean;
  syncing: boolean;
  openConflicts: number;
  openDuplicates: number;
  /** Worst attention item: 'error' | 'warning', or 'ok' when nothing needs attention. */
  health: 'ok' | 'warning' | 'error';
  attention: number;
}

export interface LocationsView {
  /** The location the window that asked shows (its calls name it); for a call naming none, the one last chosen. */
  current: string;
  locations: LocationOverview[];
  /** Whether this window can add a location (serve: yes; the desktop app: not yet — use the CLI). */
  canAdd: boolean;
}

// ---- one record ----

/** One side of a linked record on the record page. */
export interface RecordSideView {
  system: SystemId;
  id: string | null;
  /** Where its current values came from: read live just now, the store's copy of the last read, or gone. */
  source: 'live' | 'mirror' | 'gone' | 'none';
  /** When those values were read (live: now; mirror: when the bridge last read the record). */
  readAt?: number;
  label?: string;
  url?: string;
}

export interface RecordFieldView {
  key: string;
  label: string;
  ghl: { current: string | null; base: string | null };
  other: { current: string | null; base: string | null };
  /** A side's current value differs from what was last synced (its base). */
  changed: { ghl: boolean; other: boolean };
}

/** One link of the record (the person in one pair, or one of their tasks or notes). */
export interface RecordLinkView {
  linkId: number;
  pair: PairId;
  entity: EntityKind;
  label: string;
  state: string;
  ghl: RecordSideView;
  other: RecordSideView;
  /** When the two sides last agreed (the base was written). */
  syncedAt?: number;
  fields: RecordFieldView[];
}

/** A field change seen or made on the record. */
export interface RecordChange {
  at: number;
  system: SystemId;
  linkId: number;
  entity: EntityKind;
  field: string;
  before: string | null;
  after: string | null;
  /** Who made it: the bridge, or a person in that system. */
  by: 'bridge' | 'person';
  runId?: string;
}

/** A write the bridge made to the record, with its outcome. */
export interface RecordWrite {
  at: number;
  runId: string;
  system: SystemId;
  entity: EntityKind;
  linkId: number | null;
  action: string;
  /** confirmed | failed | pending | abandoned (outbox), or done (an audit row with no outbox entry). */
  outcome: string;
  fields: Array<{ field: string; before: string | null; after: string | null }>;
  error?: string;
  undoneBy?: string;
}

/** A mismatch the check after a run found: a side no longer holds what was last synced, and no sync has carried it. */
export interface CheckFinding {
  linkId: number;
  pair: PairId;
  entity: EntityKind;
  label: string;
  system: SystemId;
  fields: Array<{ field: string; label: string; base: string | null; current: string | null }>;
  runId: string;
  at: number;
  message: string;
}

export interface RecordView {
  /** The record page's key: the link id of the person (or task, note). */
  key: string;
  label: string;
  entity: EntityKind;
  /** Current values were read live (at `readAt`); otherwise they are the store's copies (`offline` says why). */
  readAt?: number;
  offline?: string;
  links: RecordLinkView[];
  history: RecordChange[];
  writes: RecordWrite[];
  conflicts: Array<{
    id: string;
    kind: 'conflict' | 'duplicate';
    status: string;
    label: string;
    fields: string[];
    createdAt: number;
  }>;
  findings: CheckFinding[];
}

/** What a search for a record found: one record (its view), or several to choose from. */
export interface RecordSearch {
  record?: RecordView;
  matches: Array<{ key: string; label: string; entity: EntityKind; pair: PairId; ids: string[] }>;
}

// ---- the API ----

export interface BridgeApi {
  getStatus(): Promise<AppStatus>;
  listRuns(args: { limit?: number }): Promise<RunSummary[]>;
  /** `approve`: the person reviewed a run the guard stopped and lets it go ahead. */
  syncNow(args: { dryRun?: boolean; approve?: boolean }): Promise<RunSummary>;
  /** The plan a preview or a guard-stopped run kept, for review before approving. */
  getRunPlan(args: { runId: string }): Promise<RunPlan>;
  pause(): Promise<AppStatus>;
  resume(): Promise<AppStatus>;

  getConnections(): Promise<ConnectionInfo[]>;
  saveGhlOAuthApp(args: { clientId: string; clientSecret: string; redirectUri?: string }): Promise<ConnectionInfo>;
  /** Starts the loopback login; resolves with the URL opened in the browser. Completion arrives as a 'login' event. */
  startGhlLogin(): Promise<{ authorizeUrl: string }>;
  saveGhlPrivateToken(args: { token: string; locationId: string }): Promise<ConnectionInfo>;
  saveArofloCredentials(args: {
    uEncoded: string;
    pEncoded: string;
    orgEncoded: string;
    secretKey: string;
  }): Promise<ConnectionInfo>;
  saveAimfoxKey(args: { apiKey: string }): Promise<ConnectionInfo>;
  /** Replace a stored token/key with a new one for the same account, keeping all sync state (refused otherwise). */
  replaceCredential(args: {
    system: SystemId;
    token?: string;
    aroflo?: { uEncoded: string; pEncoded: string; orgEncoded: string; secretKey: string };
    apiKey?: string;
  }): Promise<ConnectionInfo>;
  testConnection(args: { system: SystemId }): Promise<ConnectionInfo>;
  signOut(args: { system: SystemId }): Promise<ConnectionInfo>;

  getMappings(): Promise<PairMapping[]>;
  saveMapping(args: { mapping: PairMapping }): Promise<PairMapping>;
  previewMapping(args: { pair: PairId }): Promise<PlanPreview>;
  setSyncEnabled(args: { pair: PairId; enabled: boolean }): Promise<PairMapping>;
  /**
   * Lookups the mapping screen offers: arofloBusinessUnits, arofloTaskTypes, aimfoxCampaigns, ghlCustomFields, and
   * ghlBusinesses / ghlTags as seen by the last preview or sync (empty before the first one).
   */
  getMappingOptions(): Promise<Record<string, Array<{ id: string; label: string }>>>;
  /** The fields each side of a pair has (HighLevel custom fields read live), which pairs of them fit, and the location's country and time zone. */
  getFieldCatalogue(args: { pair: PairId }): Promise<CatalogueView>;

  listConflicts(args: {
    offset?: number;
    limit?: number;
    system?: SystemId;
    entity?: EntityKind;
    kind?: 'conflict' | 'duplicate';
    query?: string;
  }): Promise<{ items: ConflictSummary[]; total: number }>;
  getConflict(args: { id: string }): Promise<ConflictDetail>;
  resolveConflict(args: { id: string; choices: Record<string, FieldChoice> }): Promise<{ ok: true }>;
  applyConflictRule(args: {
    pair: PairId;
    entity: EntityKind;
    field: string;
    prefer: 'ghl' | 'other';
  }): Promise<{ resolved: number }>;
  resolveDuplicate(args: { id: string; action: 'link' | 'keep_apart'; candidateId?: string }): Promise<{ ok: true }>;

  listActivity(args: {
    query?: string;
    system?: SystemId | 'bridge';
    kind?: EntityKind | 'run';
    limit?: number;
    before?: number;
  }): Promise<ActivityItem[]>;
  activityStats(args: { days?: number }): Promise<ActivityBucket[]>;
  /** Figures per system from the store's mirror (as of the last sync), and changes per day by who made them. */
  getDashboard(args: DashboardFilter & { days?: number }): Promise<Dashboard>;
  /** The record-level change stream, newest first, paged. */
  listChanges(args: ChangeQuery): Promise<{ items: ChangeItem[]; total: number }>;

  listLogs(args: { query?: string; level?: LogLevel; limit?: number }): Promise<LogEntry[]>;
  getDiagnostics(): Promise<{ text: string }>;

  getSettings(): Promise<Settings>;
  saveSettings(args: { settings: SettingsPatch }): Promise<Settings>;
  exportAuditCsv(): Promise<{ csv: string; fileName: string; rows: number }>;
  undoRun(args: { runId: string }): Promise<{ reverted: number; conflicts: number }>;

  /** The profile's locations, each with its last run, next run, what waits for review and its health. */
  listLocations(): Promise<LocationsView>;
  /**
   * The window's location picker: this window shows `id` from now on (its calls name it), and a new window opens it.
   * Other windows keep theirs.
   */
  switchLocation(args: { id: string }): Promise<LocationsView>;
  /** Adds a location signed in with its Private Integration token (its name comes from HighLevel) and switches to it. */
  addLocation(args: { token: string; locationId: string }): Promise<LocationsView>;
  /** One record by link id, email, name, phone or any system id: its links side by side, history, writes. */
  getRecord(args: { q: string; live?: boolean }): Promise<RecordSearch>;
  /** "Sync this record now": a run scoped to the record's links (and their tasks and notes). */
  syncRecord(args: { key: string }): Promise<RunSummary>;
}

export type BridgeMethod = keyof BridgeApi;

/** Every method, in one list: the transports register exactly these. */
export const BRIDGE_METHODS = [
  'getStatus',
  'listRuns',
  'syncNow',
  'getRunPlan',
  'pause',
  'resume',
  'getConnections',
  'saveGhlOAuthApp',
  'startGhlLogin',
  'saveGhlPrivateToken',
  'saveArofloCredentials',
  'saveAimfoxKey',
  'replaceCredential',
  'testConnection',
  'signOut',
  'getMappings',
  'saveMapping',
  'previewMapping',
  'setSyncEnabled',
  'getMappingOptions',
  'getFieldCatalogue',
  'listConflicts',
  'getConflict',
  'resolveConflict',
  'applyConflictRule',
  'resolveDuplicate',
  'listActivity',
  'activityStats',
  'getDashboard',
  'listChanges',
  'listLogs',
  'getDiagnostics',
  'getSettings',
  'saveSettings',
  'exportAuditCsv',
  'undoRun',
  'listLocations',
  'switchLocation',
  'addLocation',
  'getRecord',
  'syncRecord',
] as const satisfies readonly BridgeMethod[];

// Compile-time proof that the list names every method exactly.
type Missing = Exclude<BridgeMethod, (typeof BRIDGE_METHODS)[number]>;
export const _everyMethodListed: Missing extends never ? true : Missing = true;

export type BridgeEvent =
  | { type: 'status'; status: AppStatus }
  | { type: 'progress'; progress: Progress }
  | { type: 'run-finished'; run: RunSummary }
  | { type: 'conflicts-changed'; open: number; duplicates: number }
  | { type: 'login'; system: SystemId; ok: boolean; message: string }
  | { type: 'log'; entry: LogEntry }
  /** The window's location changed (its own switchLocation; the renderer's client says so): every screen reloads. */
  | { type: 'location'; current: string };

/** What the renderer sees: the API plus a subscription to events (returns an unsubscribe function). */
export interface Bridge extends BridgeApi {
  onEvent(listener: (event: BridgeEvent) => void): () => void;
}

/** Which location a call is for: the one the window shows (main/service/README.md "Locations"). */
export interface CallScope {
  location?: string;
}

/**
 * What a transport carries (the preload's `window.ghlBridge`, serve's HTTP): one call with the location it names, and
 * the events of one location. The renderer's API client (renderer/src/bridge/located.ts) names the location.
 */
export interface BridgeTransport {
  invoke(method: BridgeMethod, arg: unknown, scope: CallScope): Promise<unknown>;
  onEvent(listener: (event: BridgeEvent) => void, scope: CallScope): () => void;
}

/** A failure the UI can show: the handler's message, safe for people (no secrets, no stack). */
export interface BridgeErrorPayload {
  error: { message: string; kind?: string };
}

/** Electron IPC channel name for a method. */
export const ipcChannel = (method: BridgeMethod): string => `bridge:${method}`;
export const IPC_EVENT_CHANNEL = 'bridge:event';
