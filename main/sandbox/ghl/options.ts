/**
 * Public types of the GHL sandbox: its options, the credentials it hands out and the in-process admin.
 * Every default and every decision taken where the API facts are uncertain is named here (see README.md).
 */
import type { SandboxStats } from '../types.js';
import type { World } from '../world.js';

export const API_VERSION = '2021-07-28';
/** Version values the live API accepted on GET /contacts/ (README "Version header"); the bridge sends API_VERSION. */
export const ACCEPTED_VERSIONS: ReadonlySet<string> = new Set(['2021-04-15', '2021-07-28', '2023-02-21', 'v3']);
export const DEFAULT_REDIRECT_URIS = ['http://127.0.0.1:47321/oauth/callback', 'http://localhost:47321/oauth/callback'];
export const DEFAULT_ACCESS_TOKEN_TTL_SEC = 86_399;
/** Refresh tokens live a year until used [D Authorization.md FAQ]. */
export const REFRESH_TOKEN_TTL_MS = 365 * 86_400_000;
/** Authorization codes expire after 10 minutes and are single use. */
export const AUTH_CODE_TTL_MS = 10 * 60_000;

/** Scopes a Private Integration token of the sub-account carries (all contact scopes + the reads the app needs). */
export const PRIVATE_TOKEN_SCOPES = [
  'contacts.readonly',
  'contacts.write',
  'locations/customFields.readonly',
  'locations/tags.readonly',
  'locations/tasks.readonly',
  'users.readonly',
  'locations.readonly',
  'calendars.readonly',
  'calendars/events.readonly',
] as const;

/** Scopes the sandbox Marketplace app is registered for; /chooselocation refuses anything else. */
export const APP_SCOPES = [
  ...PRIVATE_TOKEN_SCOPES,
  'locations/customFields.write',
  'locations/tags.write',
  'locations/tasks.write',
] as const;

/** Agency-only scopes (README "Several locations"): list the installed locations, mint a location's token. */
export const AGENCY_SCOPES = ['oauth.readonly', 'oauth.write'] as const;

export type DuplicateIdentifier = 'email' | 'phone';

export interface GhlSandboxOptions {
  /** Lifetime of OAuth access tokens in seconds (expires_in). Default 86399. */
  accessTokenTtlSec?: number;
  /** Registered redirect URIs of the sandbox app; matched exactly. */
  redirectUris?: string[];
  /** How long POST /contacts/search lags behind writes (ms). Default 0. */
  searchLagMs?: number;
  /** The location's "Allow Duplicate Contact" setting. Default false. */
  allowDuplicates?: boolean;
  /**
   * The location's unique identifiers, in priority order, used when duplicates are not allowed
   * (create refuses a match, upsert updates the match). Default ['email', 'phone'].
   */
  uniqueIdentifiers?: DuplicateIdentifier[];
  /** Status for an unknown contact/task/note id: 400 (v2 spec, default) or 404 (v3). */
  notFoundStatus?: 400 | 404;
  /** Probability (0..1) that a successful POST /contacts/ answers 422 although it created the contact [I#64]. Default 0. */
  quirk422CreateRate?: number;
  /** Whether creating/editing/deleting a task or note bumps the contact's dateUpdated (unknown: README "Decisions"). Default false. */
  taskNoteEditsBumpContact?: boolean;
  /** Override the documented limits (tests of exhaustion). Windows are still scaled by `rateLimits`. */
  limits?: { burst?: number; intervalMs?: number; daily?: number };
  /**
   * Shape drift on purpose (README "Shape drift switch"): rename these keys wherever they occur in JSON answers of
   * the API (not /__admin), e.g. `{ succeeded: 'success' }`, as if the real API changed. For testing `ghl-bridge smoke`.
   */
  renameKeys?: Record<string, string>;
  /**
   * More sub-accounts of the same company, each with its own records seeded from its own world, its own Private
   * Integration token and its own rate-limit bucket (README "Several locations"). Default none: one location, as before.
   */
  extraLocations?: Array<{ name: string; world: World }>;
}

/** One sub-account the sandbox serves, with its Private Integration token. */
export interface GhlLocationCredentials {
  locationId: string;
  name: string;
  privateToken: string;
  linkedinFieldId: string;
}

export interface GhlCredentials {
  locationId: string;
  /** A second sub-account of the same company: tokens for one must not reach the other. */
  otherLocationId: string;
  companyId: string;
  /** Sub-account Private Integration token for `locationId` (updated in place when rotated through admin). */
  privateToken: string;
  /** Id of the "LinkedIn URL" contact custom field in `locationId`. */
  linkedinFieldId: string;
  oauth: { clientId: string; clientSecret: string; redirectUri: string; authorizeUrl: string; appId: string };
  /** Every sub-account with its own data: the main one first, then `extraLocations` in order. */
  locations: GhlLocationCredentials[];
}

/** Contact as the API's GET /contacts/:id shows it (plus additionalEmails). */
export type GhlContactView = Record<string, unknown> & {
  id: string;
  locationId: string;
  dateAdded: string;
  dateUpdated: string;
  tags: string[];
};
export type GhlTaskView = {
  id: string;
  title: string;
  body?: string;
  assignedTo?: string;
  dueDate: string;
  completed: boolean;
  contactId: string;
};
export type GhlNoteView = {
  id: string;
  body: string;
  bodyText: string;
  userId: string | null;
  dateAdded: string;
  contactId: string;
  title?: string;
  color?: string;
  pinned: boolean;
  relations: unknown[];
};
export type GhlEventView = Record<string, unknown> & { id: string; startTime: string; endTime: string };

/** Admin edits: any contact field a person can set in the web app, incl. additionalEmails; null clears. */
export type AdminContactInput = Record<string, unknown>;

export interface AdminAppointmentInput {
  title?: string;
  /** ISO date-time or epoch ms. */
  startTime: string | number;
  endTime?: string | number;
  status?: 'booked' | 'confirmed' | 'cancelled' | 'showed' | 'noshow';
  notes?: string;
  address?: string;
  /** One of the location's calendars (GET /calendars/); default its first. */
  calendarId?: string;
}

export interface AdminCustomFieldInput {
  name: string;
  dataType?:
    | 'TEXT'
    | 'LARGE_TEXT'
    | 'NUMERICAL'
    | 'PHONE'
    | 'MONETORY'
    | 'CHECKBOX'
    | 'SINGLE_OPTIONS'
    | 'MULTIPLE_OPTIONS'
    | 'RADIO'
    | 'DATE';
  picklistOptions?: string[];
}

export interface AdminCustomFieldView {
  id: string;
  name: string;
  fieldKey: string;
  dataType: string;
  picklistOptions?: string[];
}

export interface GhlAdmin {
  listContacts(locationId?: string): GhlContactView[];
  /** The location's calendars (GET /calendars/ serves the same). */
  listCalendars(locationId?: string): Array<{ id: string; name: string }>;
  getContact(id: string): GhlContactView | undefined;
  createContact(input: AdminContactInput, locationId?: string): GhlContactView;
  updateContact(id: string, patch: AdminContactInput): GhlContactView;
  deleteContact(id: string): boolean;
  setTags(contactId: string, tags: string[]): GhlContactView;

  listTasks(contactId: string): GhlTaskView[];
  getTask(contactId: string, taskId: string): GhlTaskView | undefined;
  createTask(
    contactId: string,
    input: { title: string; body?: string; dueDate: string; completed?: boolean; assignedTo?: string },
  ): GhlTaskView;
  updateTask(
    contactId: string,
    taskId: string,
    patch: Partial<{ title: string; body: string; dueDate: string; completed: boolean; assignedTo: string }>,
  ): GhlTaskView;
  completeTask(contactId: string, taskId: string, completed?: boolean): GhlTaskView;
  deleteTask(contactId: string, taskId: string): boolean;

  listNotes(contactId: string): GhlNoteView[];
  getNote(contactId: string, noteId: string): GhlNoteView | undefined;
  /** As a person in HighLevel's editor: `body` may be markup, `bodyText` its plain text (derived when absent). */
  createNote(
    contactId: string,
    input: { body: string; bodyText?: string; title?: string; userId?: string; color?: string; pinned?: boolean },
  ): GhlNoteView;
  updateNote(
    contactId: string,
    noteId: string,
    patch: Partial<{ body: string; bodyText: string; title: string; userId: string; color: string; pinned: boolean }>,
  ): GhlNoteView;
  deleteNote(contactId: string, noteId: string): boolean;

  addAppointment(contactId: string, input: AdminAppointmentInput): GhlEventView;
  /** A reschedule (new start/end), a cancel (status 'cancelled'), a new title: as a person does in the calendar. */
  updateAppointment(contactId: string, eventId: string, patch: Partial<AdminAppointmentInput>): GhlEventView;

  /** The sub-account's settings a person changes in HighLevel (Settings → Business Profile): country and time zone. */
  setLocation(patch: { country?: string; timezone?: string }): { country: string; timezone: string };
  /** Add a contact custom field to the location (as Settings → Custom Fields does); returns its definition. */
  addCustomField(input: AdminCustomFieldInput): AdminCustomFieldView;
  /** Delete a custom field of the location: its definition and the values contacts held in it go. */
  deleteCustomField(id: string): boolean;

  /** Re-tick the Private Integration token's scopes (the same token then carries only these). */
  setPrivateTokenScopes(scopes: readonly string[]): void;
  /** Revoke the Private Integration token (it stops working; no replacement). */
  revokePrivateToken(): void;
  /** "Rotate and expire now": a new token replaces the old one at once. Returns the new token. */
  rotatePrivateToken(): string;
  /** A Private Integration token of the second location (`otherLocationId`): right token, wrong sub-account. */
  otherLocationPrivateToken(): string;
  /** Uninstall-like: every OAuth access and refresh token stops working. */
  revokeOAuthTokens(): void;
  /** Replace the fault rules (same grammar as --faults). */
  setFaults(spec: string): void;
  stats(): SandboxStats;
  reset(): void;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
