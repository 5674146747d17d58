/**
 * Normalised Aimfox records: what the rest of GHL Bridge sees. Raw payloads are validated and mapped in
 * `schemas.ts`; nothing outside this folder should depend on Aimfox's wire shapes.
 *
 * Conventions: ids are strings (Aimfox sends numeric ids as numbers or strings depending on the endpoint);
 * absent and `null` both become `undefined`; timestamps are ISO-8601 strings (`createdAt`) or epoch ms where the
 * field name says so (`…AtMs`). Identity: a person is `leadId` (numeric string) + `urn` (stable LinkedIn member
 * URN) + `publicIdentifier` (the vanity name, which can change); `profileUrl` is built from `publicIdentifier`.
 */
import type { FieldIssue } from '../shared/issues.js';

/** A connected LinkedIn sender in the workspace. */
export interface AimfoxAccount {
  id: string;
  fullName: string;
  urn?: string;
  publicIdentifier?: string;
  email?: string;
  /** `LoggedIn` | `LoggedOut` (as sent); when logged out nothing sends until it is reconnected in Aimfox. */
  state?: string;
  loggedIn: boolean;
  disabled: boolean;
  workspaceId?: string;
}

/** Campaign states seen or documented. PATCH only accepts ACTIVE / PAUSED. */
export type AimfoxCampaignState = 'INIT' | 'CREATED' | 'ACTIVE' | 'PAUSED' | 'DONE' | (string & {});

export interface AimfoxCampaign {
  id: string;
  name: string;
  state: AimfoxCampaignState;
  /** `list` | `search` | `navigator` … */
  type?: string;
  /** `connect` | `message` | `inmail` | `drip` … */
  outreachType?: string;
  createdAtMs?: number;
  targetCount?: number;
  /** Account ids that send for this campaign. */
  owners: string[];
  /**
   * Whether the campaign's state allows adding profiles (ACTIVE, PAUSED, DONE or CREATED). The campaign type
   * matters too (e.g. search campaigns take none): `listCampaigns({ acceptsProfiles: true })` asks Aimfox.
   */
  stateAllowsAdds: boolean;
  /** Only on getCampaign (the detail view). */
  audienceSize?: number;
  completion?: number;
}

/** A lead's step inside one campaign. `done` includes every lead who replied. */
export type AimfoxAudienceState =
  'init' | 'view' | 'like' | 'endorse' | 'message' | 'inmail' | 'withdraw' | 'cancelled' | 'done' | (string & {});

/** One person in a campaign's audience. */
export interface AimfoxAudienceEntry {
  leadId: string;
  publicIdentifier: string;
  profileUrl: string;
  urn?: string;
  fullName?: string;
  occupation?: string;
  company?: string;
  location?: string;
  state?: AimfoxAudienceState;
  /** Account id running this lead, when sent. */
  owner?: string;
}

export interface AimfoxLabelRef {
  id: string;
  name: string;
  color?: string;
}

/** A workspace label (tag). Colors: quaternary, secondary, danger, yellow, info, success. */
export interface AimfoxLabel extends AimfoxLabelRef {
  /** How many leads carry it (list only). */
  count?: number;
}

export type AimfoxLabelColor = 'quaternary' | 'secondary' | 'danger' | 'yellow' | 'info' | 'success';
export const AIMFOX_LABEL_COLORS: readonly AimfoxLabelColor[] = [
  'quaternary',
  'secondary',
  'danger',
  'yellow',
  'info',
  'success',
];

/** A plain-text note on a lead (one list per lead). Aimfox keeps no updated time. */
export interface AimfoxNote {
  id: string;
  text: string;
  /** ISO-8601. */
  createdAt?: string;
}

export interface AimfoxPhone {
  number: string;
  type?: string;
}

/** A person Aimfox knows (GET /leads/:id or a search hit). Email and phones only when LinkedIn exposes them. */
export interface AimfoxLead {
  id: string;
  publicIdentifier: string;
  profileUrl: string;
  urn?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  occupation?: string;
  /** Current employer, from the first current experience. */
  company?: string;
  jobTitle?: string;
  location?: string;
  email?: string;
  phones: AimfoxPhone[];
  isLead?: boolean;
  /** Account ids this person is connected to. */
  leadOf: string[];
  /** Campaigns that sourced this person. */
  origins: Array<{ id: string; name?: string }>;
  labels: AimfoxLabelRef[];
  /** Present when the payload embeds notes (search hits and lead details may). */
  notes?: AimfoxNote[];
  /** The closest thing to an updated time Aimfox has (ISO-8601). */
  lastScrapedAt?: string;
}

/** One list item that failed validation: the engine quarantines it and carries on with the rest. */
export interface RejectedItem {
  raw: unknown;
  reason: string;
  /** The same without values: field paths and issue kinds (connectors/shared/issues.ts). */
  issues?: FieldIssue[];
  /** The item's id when it could be read, to name the record in the problem list. */
  id?: string;
}

export interface ListResult<T> {
  items: T[];
  rejected: RejectedItem[];
}

/** Why Aimfox refused to put a profile into a campaign (`error.data` / `failedReason`). */
export type AudienceRefusalCode =
  'blocked' | 'locked' | 'miningFailed' | 'noPFP' | 'alreadyConnected' | 'notLead' | 'closed';

/** The result of adding one profile to a campaign. */
export type AudienceAddOutcome =
  | {
      outcome: 'added';
      profileUrl: string;
      publicIdentifier: string;
      /** Returned by the bulk add only. */
      entry?: AimfoxAudienceEntry;
    }
  | {
      outcome: 'refused';
      profileUrl: string;
      publicIdentifier: string;
      /** A documented code, or `unknown` when Aimfox gave none (or one we do not know: see `code`). */
      reason: AudienceRefusalCode | 'unknown';
      /** The code exactly as Aimfox sent it. */
      code?: string;
      /** What happened and what to do, for a person. */
      message: string;
      /** Whether trying again later, unchanged, can succeed (e.g. `locked` once the other campaign ends). */
      retryLater: boolean;
    }
  | {
      /** We did not send it: the text is not a LinkedIn profile URL. */
      outcome: 'invalid';
      profileUrl: string;
      message: string;
    }
  | {
      /** Sent, but the answer neither listed it as added nor as failed. */
      outcome: 'unconfirmed';
      profileUrl: string;
      publicIdentifier: string;
      message: string;
    };

export interface LeadSearchFilters {
  keywords?: string;
  current_companies?: string[];
  past_companies?: string[];
  education?: string[];
  interests?: string[];
  labels?: string[];
  languages?: string[];
  locations?: string[];
  origins?: string[];
  skills?: string[];
  lead_of?: string[];
  optimize?: boolean;
}

export interface LeadSearchPage extends ListResult<AimfoxLead> {
  /** The `start` this page was asked for. */
  start: number;
  /** Items of this page we had already yielded (the server repeated them). */
  repeated: number;
}

export interface LeadSearchSummary {
  pages: number;
  leads: number;
  rejected: number;
  /**
   * Why iteration stopped: `end` (an empty page), `total` (reached the server's total), `repeat` (the server
   * ignored paging and sent a page we had already seen), `limit` (maxPages reached).
   */
  stoppedBecause: 'end' | 'total' | 'repeat' | 'limit';
  /** A sentence for the activity log when the listing may be incomplete (`repeat`, `limit`). */
  warning?: string;
}

export interface LeadsTotal {
  total: number;
  /** Aimfox is still syncing leads from LinkedIn; the total may grow. */
  syncing: boolean;
}
