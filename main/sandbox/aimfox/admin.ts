/**
 * The in-process admin: reads and edits the workspace as a person in the Aimfox web app would (notes,
 * labels), plus the levers a test needs (which LinkedIn profiles exist, audience steps, account and campaign
 * states, faults, stats, reset). Nothing here is rate limited or faulted.
 */
import type { SandboxStats } from '../types.js';
import type {
  AimfoxAudienceEntryJson,
  AimfoxCampaignJson,
  AimfoxLabelJson,
  AimfoxLeadJson,
  AimfoxNoteJson,
} from './api-types.js';
import type { AimfoxContext } from './context.js';
import { AimfoxError, validationError } from './errors.js';
import {
  AUDIENCE_STATES,
  CAMPAIGN_STATES,
  LABEL_COLORS,
  type AudienceState,
  type CampaignState,
  type LabelColor,
} from './model.js';
import { audienceJson, campaignSummaryJson, labelJson, leadJson, noteJson } from './render.js';

/** A LinkedIn profile as the admin describes it. Omitted fields keep their value (or a default when new). */
export interface AimfoxProfileInput {
  /** false = LinkedIn cannot find it: adding it by URL fails with miningFailed. */
  exists: boolean;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  hasPicture?: boolean;
  openProfile?: boolean;
  /** On the workspace blacklist: adds fail with blocked. */
  blocked?: boolean;
}

export interface AimfoxProfileInfo {
  publicIdentifier: string;
  profileUrl: string;
  exists: boolean;
  blocked: boolean;
  /** Set when the profile is a lead of the workspace. */
  leadId?: string;
}

export interface AimfoxAdmin {
  listLeads(): AimfoxLeadJson[];
  getLead(leadId: string): AimfoxLeadJson | undefined;
  findLeadByPublicIdentifier(publicId: string): AimfoxLeadJson | undefined;
  addNote(leadId: string, text: string): AimfoxNoteJson;
  editNote(leadId: string, noteId: string, text: string): AimfoxNoteJson;
  deleteNote(leadId: string, noteId: string): void;
  listLabels(): AimfoxLabelJson[];
  createLabel(name: string, color?: LabelColor): AimfoxLabelJson;
  addLabel(leadId: string, labelId: string): void;
  removeLabel(leadId: string, labelId: string): void;
  listCampaigns(): AimfoxCampaignJson[];
  audience(campaignId: string): AimfoxAudienceEntryJson[];
  /** Make a LinkedIn profile exist (so adding it by URL succeeds) or not exist, or edit it. */
  setProfile(publicId: string, input: AimfoxProfileInput): AimfoxProfileInfo;
  getProfile(publicId: string): AimfoxProfileInfo | undefined;
  /** The member changes their vanity URL. */
  changePublicIdentifier(leadId: string, newPublicId: string): AimfoxLeadJson;
  /** Move a lead along a campaign's steps; `message` means the invite was accepted (the lead connects). */
  setAudienceState(
    campaignId: string,
    leadId: string,
    state: AudienceState,
    connected?: boolean,
  ): AimfoxAudienceEntryJson;
  setConnected(leadId: string, connected: boolean): AimfoxLeadJson;
  setAccountState(accountId: string, state: 'LoggedIn' | 'LoggedOut'): void;
  setCampaignState(campaignId: string, state: CampaignState): AimfoxCampaignJson;
  setFaults(spec?: string): void;
  stats(): SandboxStats;
  resetStats(): void;
  reset(): void;
}

export interface AdminHooks {
  setFaults(spec?: string): void;
  stats(): SandboxStats;
  resetStats(): void;
  reset(): void;
}

function nameFromPublicId(publicId: string): { firstName: string; lastName: string } {
  const parts = publicId.split('-').filter((p) => /^[a-z]+$/i.test(p));
  const cap = (s: string | undefined, d: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : d);
  return { firstName: cap(parts[0], 'LinkedIn'), lastName: cap(parts[1], 'Member') };
}

export function createAdmin(ctx: AimfoxContext, hooks: AdminHooks): AimfoxAdmin {
  const s = (): AimfoxContext['store'] => ctx.store;
  const profileInfo = (publicId: string): AimfoxProfileInfo | undefined => {
    const p = s().profileByPublicId(publicId);
    if (!p) return undefined;
    return {
      publicIdentifier: p.publicId,
      profileUrl: `https://www.linkedin.com/in/${p.publicId}/`,
      exists: p.exists,
      blocked: p.blocked,
      leadId: s().leads.has(p.id) ? p.id : undefined,
    };
  };

  return {
    listLeads: () => [...s().leads.values()].sort((a, b) => a.seq - b.seq).map((l) => leadJson(s(), l)),
    getLead: (leadId) => {
      const l = s().leads.get(leadId);
      return l ? leadJson(s(), l) : undefined;
    },
    findLeadByPublicIdentifier: (publicId) => {
      const p = s().profileByPublicId(publicId);
      const l = p ? s().leads.get(p.id) : undefined;
      return l ? leadJson(s(), l) : undefined;
    },
    addNote: (leadId, text) => noteJson(s().createNote(leadId, text)),
    editNote: (leadId, noteId, text) => noteJson(s().updateNote(leadId, noteId, text)),
    deleteNote: (leadId, noteId) => s().deleteNote(leadId, noteId),
    listLabels: () => [...s().labels.values()].map((l) => labelJson(s(), l, true)),
    createLabel: (name, color = 'quaternary') => {
      if (!LABEL_COLORS.includes(color)) throw validationError(`color must be one of [${LABEL_COLORS.join(', ')}]`);
      return labelJson(s(), s().createLabel(name, color), false);
    },
    addLabel: (leadId, labelId) => s().attachLabel(leadId, labelId),
    removeLabel: (leadId, labelId) => s().detachLabel(leadId, labelId),
    listCampaigns: () => [...s().campaigns.values()].map(campaignSummaryJson),
    audience: (campaignId) => [...s().campaign(campaignId).audience.values()].map((e) => audienceJson(s(), e)),
    setProfile: (publicId, input) => {
      const id = publicId.trim().toLowerCase();
      if (!/^[^\s/?#]{3,100}$/.test(id)) throw validationError(`"${publicId}" is not a LinkedIn public identifier`);
      let p = s().profileByPublicId(id);
      if (!p) {
        const names = nameFromPublicId(id);
        p = s().addProfile({
          publicId: id,
          firstName: input.firstName ?? names.firstName,
          lastName: input.lastName ?? names.lastName,
          jobTitle: input.jobTitle ?? 'Manager',
          location: { name: 'Australia', urn: '101452733' },
          premium: false,
          openProfile: input.openProfile ?? false,
          exists: input.exists,
          blocked: input.blocked ?? false,
        });
        if (input.hasPicture ?? true) p.pictureUrl = `https://cdn.constel.co/linkedin-profile/${p.urn}.jpg`;
      } else {
        p.exists = input.exists;
        if (input.firstName !== undefined) p.firstName = input.firstName;
        if (input.lastName !== undefined) p.lastName = input.lastName;
        if (input.jobTitle !== undefined) p.jobTitle = input.jobTitle;
        if (input.openProfile !== undefined) p.openProfile = input.openProfile;
        if (input.blocked !== undefined) p.blocked = input.blocked;
        if (input.hasPicture !== undefined)
          p.pictureUrl = input.hasPicture ? `https://cdn.constel.co/linkedin-profile/${p.urn}.jpg` : undefined;
      }
      if (input.companyName !== undefined)
        p.company = {
          urn: s().ids.smallNumeric(8),
          name: input.companyName,
          universalName: input.companyName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        };
      if (input.email !== undefined) p.email = input.email;
      if (input.phone !== undefined) p.phone = input.phone;
      return profileInfo(id) as AimfoxProfileInfo;
    },
    getProfile: profileInfo,
    changePublicIdentifier: (leadId, newPublicId) => {
      const lead = s().lead(leadId);
      s().changePublicId(s().profileOf(lead), newPublicId);
      return leadJson(s(), lead);
    },
    setAudienceState: (campaignId, leadId, state, connected) => {
      if (!AUDIENCE_STATES.includes(state))
        throw validationError(`state must be one of [${AUDIENCE_STATES.join(', ')}]`);
      const c = s().campaign(campaignId);
      return audienceJson(s(), s().setAudienceState(c, leadId, state, connected));
    },
    setConnected: (leadId, connected) => {
      const lead = s().lead(leadId);
      const account = s().accounts.find((a) => a.state === 'LoggedIn') ?? s().accounts[0];
      if (!account) throw new AimfoxError(400, 'the workspace has no LinkedIn account');
      if (connected) s().setConnected(lead, account.id, true);
      else for (const a of [...lead.leadOf]) s().setConnected(lead, a, false);
      return leadJson(s(), lead);
    },
    setAccountState: (accountId, state) => {
      const a = s().accounts.find((x) => x.id === accountId);
      if (!a) throw new AimfoxError(404, 'Account not found');
      a.state = state;
    },
    setCampaignState: (campaignId, state) => {
      if (!CAMPAIGN_STATES.includes(state))
        throw validationError(`state must be one of [${CAMPAIGN_STATES.join(', ')}]`);
      const c = s().campaign(campaignId);
      c.state = state;
      return campaignSummaryJson(c);
    },
    setFaults: hooks.setFaults,
    stats: hooks.stats,
    resetStats: hooks.resetStats,
    reset: hooks.reset,
  };
}
