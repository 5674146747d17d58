/** The Aimfox connector: the client, its normalised record types, and the LinkedIn URL helpers. */
export {
  AimfoxClient,
  type AimfoxClientOptions,
  type AimfoxConnectionTest,
  type AudienceBatchError,
  type RemovalResult,
} from './client.js';
export { AimfoxError, classifyAimfoxResponse } from './envelope.js';
export { AIMFOX_LIMIT, createAimfoxPacer, type AimfoxBudget, type AimfoxLimits } from './transport.js';
export { AUDIENCE_REFUSAL_CODES, type BulkProfileInput } from './audience.js';
export type { LeadPagingOptions } from './lead-search.js';
export {
  linkedInProfileUrl,
  normalizeLinkedInProfileUrl,
  normalizePublicIdentifier,
  parseLinkedInProfileUrl,
  type ParsedProfileUrl,
} from './linkedin-url.js';
export * from './types.js';
