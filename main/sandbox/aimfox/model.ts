/**
 * The sandbox's in-memory records. These are the sandbox's own shapes; `render.ts` turns them into the
 * JSON Aimfox sends. A "profile" is a LinkedIn member the sandbox knows about (adding them by URL works);
 * a "lead" is a profile the workspace holds (connected, or sourced by a campaign).
 */

export const LABEL_COLORS = ['quaternary', 'secondary', 'danger', 'yellow', 'info', 'success'] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];

export const AUDIENCE_STATES = [
  'init',
  'view',
  'like',
  'endorse',
  'message',
  'inmail',
  'withdraw',
  'cancelled',
  'done',
] as const;
export type AudienceState = (typeof AUDIENCE_STATES)[number];
/** Audience steps after which the lead is no longer "locked" by that campaign. */
export const FINAL_AUDIENCE_STATES: readonly AudienceState[] = ['withdraw', 'cancelled', 'done'];

export const CAMPAIGN_STATES = ['INIT', 'CREATED', 'ACTIVE', 'PAUSED', 'DONE'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
/** States in which the docs allow audience adds. */
export const ADDABLE_CAMPAIGN_STATES: readonly CampaignState[] = ['ACTIVE', 'PAUSED', 'DONE', 'CREATED'];

export const OUTREACH_TYPES = ['connect', 'message', 'inmail', 'drip'] as const;
export type OutreachType = (typeof OUTREACH_TYPES)[number];

/** `list` campaigns take profile inserts; the others fill their audience themselves. */
export type CampaignType = 'list' | 'search' | 'navigator' | 'group message' | 'event message';

export interface Location {
  name: string;
  urn: string;
}

export interface Company {
  urn: string;
  name: string;
  universalName: string;
}

export interface Profile {
  id: string;
  urn: string;
  /** Lower-case vanity id (the /in/<id>/ part). */
  publicId: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  company?: Company;
  location: Location;
  /** undefined = no profile picture. */
  pictureUrl?: string;
  email?: string;
  phone?: string;
  premium: boolean;
  /** Open Profile members take free InMails. */
  openProfile: boolean;
  /** false = LinkedIn cannot find it (adds fail with miningFailed). */
  exists: boolean;
  /** On the workspace blacklist (adds fail with blocked). */
  blocked: boolean;
  /** The world person behind it, when there is one. */
  personKey?: string;
}

export interface Note {
  id: string;
  text: string;
  createdAt: string;
}

export interface Lead {
  id: string;
  /** Order of arrival, for stable search paging. */
  seq: number;
  /** 1st-degree connection of at least one workspace account. */
  isLead: boolean;
  leadOf: string[];
  origins: Array<{ id: string; name: string }>;
  labelIds: string[];
  notes: Note[];
  favorite: boolean;
  firstScrapedAt: string;
  lastScrapedAt: string;
}

export interface Label {
  id: string;
  name: string;
  color: LabelColor;
}

export interface Account {
  id: string;
  urn: string;
  publicId: string;
  firstName: string;
  lastName: string;
  email: string;
  occupation: string;
  state: 'LoggedIn' | 'LoggedOut';
  premium: boolean;
  salesNavigator: boolean;
}

export interface AudienceEntry {
  leadId: string;
  state: AudienceState;
  owner: string;
}

export interface Campaign {
  id: string;
  name: string;
  state: CampaignState;
  createdAt: number;
  targetCount: number;
  audienceSize: number;
  type: CampaignType;
  outreachType: OutreachType;
  owners: string[];
  startDate: number | null;
  usesConnectionNote: boolean;
  inmailOptimization: boolean;
  excludeActiveTargets: boolean;
  excludePreviousTargets: boolean;
  noPfp: boolean;
  /** Lead id → entry, in the order added. */
  audience: Map<string, AudienceEntry>;
  /** Target urn → custom variables. */
  customVariables: Map<string, Record<string, string>>;
}

export interface Webhook {
  id: string;
  name: string;
  events: string[];
  url: string;
  headers: Record<string, string> | null;
  integration: boolean;
  createdAt: string;
  updatedAt: string;
}
