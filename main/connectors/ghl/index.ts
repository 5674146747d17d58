/** The GHL connector: client, auth, normalized records. Import from here. */
export { GhlClient, findCustomFieldByName } from './client.js';
export type {
  GhlClientOptions,
  GhlConnectionInfo,
  GhlContactPage,
  GhlDeprecatedPage,
  GhlScanOptions,
  GhlScanPage,
  GhlSearchPage,
} from './client.js';
export type { GhlTasks, GhlTaskCreate, GhlTaskUpdate } from './tasks.js';
export {
  GHL_TASK_SEARCH,
  type GhlTaskScanOptions,
  type GhlTaskSearchPage,
  type GhlTaskSearchParams,
} from './task-search.js';
export { GHL_CALENDAR_EVENTS, GHL_CALENDARS_VERSION, eventWindows, type GhlCalendar } from './calendars.js';
export type { GhlNotes, GhlNoteCreate, GhlNoteUpdate } from './notes.js';
export * from './records.js';
export type {
  GhlContactCreate,
  GhlContactUpdate,
  GhlContactUpsert,
  GhlContactFields,
  GhlCustomFieldInput,
  DndSetting,
  DndChannel,
  DndStatus,
} from './contact-input.js';
export { CONTACT_WRITE_WHITELIST } from './contact-input.js';
export type {
  GhlContactFilter,
  GhlScanCheckpoint,
  GhlSearchCursor,
  GhlSearchFilter,
  GhlSearchParams,
  GhlRange,
} from './search.js';
export { parseCheckpoint } from './search.js';
export {
  PrivateIntegrationAuth,
  GHL_REQUIRED_SCOPES,
  GHL_OPTIONAL_SCOPES,
  GHL_LOGIN_SCOPES,
  GHL_AGENCY_SCOPES,
  type GhlAuth,
} from './auth.js';
export {
  TokenManager,
  type TokenStore,
  type TokenState,
  type TokenManagerOptions,
  type OAuthTokens,
} from './token-manager.js';
export {
  GHL_API_VERSION,
  GHL_BASE_URL,
  GHL_LIMITS,
  ghlPacer,
  type GhlBudget,
  type GhlRateOptions,
} from './transport.js';
export { listInstalledLocations, mintLocationToken, type InstalledLocation } from './agency.js';
