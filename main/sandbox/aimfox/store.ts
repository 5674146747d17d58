/**
 * The Aimfox workspace held by the sandbox, and every rule the API enforces on it (what an audience add
 * refuses and why, label and note edits, campaign patches, lead search). The HTTP routes and the in-process
 * admin both call this, so a person editing "in the Aimfox UI" and the API see the same data.
 */
import { AimfoxError, notFound, refusal, validationError } from './errors.js';
import { IdSource } from './ids.js';
import {
  ADDABLE_CAMPAIGN_STATES,
  FINAL_AUDIENCE_STATES,
  type Account,
  type AudienceEntry,
  type AudienceState,
  type Campaign,
  type Label,
  type LabelColor,
  type Lead,
  type Note,
  type OutreachType,
  type Profile,
  type Webhook,
} from './model.js';
import { publicIdFromProfileUrl } from './profile-url.js';

export interface SearchFilters {
  keywords?: string;
  labels?: string[];
  origins?: string[];
  lead_of?: string[];
  current_companies?: string[];
  past_companies?: string[];
  locations?: string[];
  education?: string[];
  interests?: string[];
  languages?: string[];
  skills?: string[];
}

export interface NewCampaign {
  name?: string;
  type?: 'list';
  outreachType: OutreachType;
  audienceSize?: number;
  accountIds?: string[];
  inmailOptimization?: boolean;
  noPfp?: boolean;
  excludeActiveTargets?: boolean;
  excludePreviousTargets?: boolean;
  usesConnectionNote?: boolean;
}

export interface CampaignPatch {
  name?: string;
  state?: 'ACTIVE' | 'PAUSED';
  target_count?: number;
  exclude_active_targets?: boolean;
  exclude_previous_targets?: boolean;
}

/** Lower-case, accents removed: how the search compares text. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export class AimfoxStore {
  readonly ids: IdSource;
  readonly workspaceId: string;
  readonly agencyId = 'aimfox';
  accounts: Account[] = [];
  readonly profiles = new Map<string, Profile>();
  readonly leads = new Map<string, Lead>();
  readonly labels = new Map<string, Label>();
  readonly campaigns = new Map<string, Campaign>();
  readonly webhooks = new Map<string, Webhook>();
  private readonly byPublicId = new Map<string, Profile>();
  private readonly byUrn = new Map<string, Profile>();
  private seq = 0;

  constructor(
    seed: number,
    readonly now: () => number,
  ) {
    this.ids = new IdSource(seed);
    this.workspaceId = this.ids.uuid();
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  // ---- profiles ----

  addProfile(p: Omit<Profile, 'id' | 'urn'>): Profile {
    const publicId = p.publicId.toLowerCase();
    if (this.byPublicId.has(publicId)) throw new Error(`profile ${publicId} already exists`);
    const profile: Profile = { ...p, publicId, id: this.ids.memberId(), urn: this.ids.memberUrn() };
    this.profiles.set(profile.id, profile);
    this.byPublicId.set(publicId, profile);
    this.byUrn.set(profile.urn, profile);
    return profile;
  }

  profileByPublicId(publicId: string): Profile | undefined {
    return this.byPublicId.get(publicId.toLowerCase());
  }

  /** The audience DELETE takes a URN or a public identifier. */
  profileByUrnOrPublicId(key: string): Profile | undefined {
    return this.byUrn.get(key) ?? this.byPublicId.get(safeDecode(key).toLowerCase());
  }

  /** The member edits their vanity URL: the old /in/<id>/ stops resolving. */
  changePublicId(profile: Profile, newPublicId: string): void {
    const next = newPublicId.toLowerCase();
    if (next === profile.publicId) return;
    if (this.byPublicId.has(next)) throw new AimfoxError(400, `public identifier ${next} is taken`);
    this.byPublicId.delete(profile.publicId);
    profile.publicId = next;
    this.byPublicId.set(next, profile);
  }

  // ---- leads ----

  /** The lead record for a profile, created (not connected, no origins) when missing. */
  ensureLead(profile: Profile): Lead {
    let lead = this.leads.get(profile.id);
    if (!lead) {
      const at = this.iso();
      lead = {
        id: profile.id,
        seq: this.seq++,
        isLead: false,
        leadOf: [],
        origins: [],
        labelIds: [],
        notes: [],
        favorite: false,
        firstScrapedAt: at,
        lastScrapedAt: at,
      };
      this.leads.set(lead.id, lead);
    }
    return lead;
  }

  lead(leadId: string): Lead {
    const lead = this.leads.get(leadId);
    if (!lead) throw notFound(`Lead ${leadId}`);
    return lead;
  }

  profileOf(lead: Lead): Profile {
    const p = this.profiles.get(lead.id);
    if (!p) throw new Error(`lead ${lead.id} has no profile`);
    return p;
  }

  /** Make a lead a 1st-degree connection of an account (an accepted invite), or drop that connection. */
  setConnected(lead: Lead, accountId: string, connected: boolean): void {
    const has = lead.leadOf.includes(accountId);
    if (connected && !has) lead.leadOf.push(accountId);
    if (!connected && has) lead.leadOf = lead.leadOf.filter((a) => a !== accountId);
    lead.isLead = lead.leadOf.length > 0;
  }

  // ---- labels ----

  label(labelId: string): Label {
    const label = this.labels.get(labelId);
    if (!label) throw notFound(`Label ${labelId}`);
    return label;
  }

  createLabel(name: string, color: LabelColor): Label {
    this.assertLabelNameFree(name);
    const label: Label = { id: this.ids.uuid(), name, color };
    this.labels.set(label.id, label);
    return label;
  }

  updateLabel(labelId: string, patch: { name?: string; color?: LabelColor }): Label {
    const label = this.label(labelId);
    if (patch.name !== undefined && fold(patch.name) !== fold(label.name)) this.assertLabelNameFree(patch.name);
    if (patch.name !== undefined) label.name = patch.name;
    if (patch.color !== undefined) label.color = patch.color;
    return label;
  }

  deleteLabel(labelId: string): void {
    this.label(labelId);
    this.labels.delete(labelId);
    for (const lead of this.leads.values()) {
      if (lead.labelIds.includes(labelId)) lead.labelIds = lead.labelIds.filter((l) => l !== labelId);
    }
  }

  labelCount(labelId: string): number {
    let n = 0;
    for (const lead of this.leads.values()) if (lead.labelIds.includes(labelId)) n++;
    return n;
  }

  /** Idempotent: attaching a label the lead already has changes nothing. */
  attachLabel(leadId: string, labelId: string): void {
    const lead = this.lead(leadId);
    this.label(labelId);
    if (!lead.labelIds.includes(labelId)) lead.labelIds.push(labelId);
  }

  /** Idempotent: removing a label the lead does not have is not an error (the label itself must exist). */
  detachLabel(leadId: string, labelId: string): void {
    const lead = this.lead(leadId);
    this.label(labelId);
    lead.labelIds = lead.labelIds.filter((l) => l !== labelId);
  }

  private assertLabelNameFree(name: string): void {
    for (const l of this.labels.values()) {
      if (fold(l.name) === fold(name)) throw validationError(`A label named "${l.name}" already exists`);
    }
  }

  // ---- notes ----

  createNote(leadId: string, text: string, createdAt?: string): Note {
    const lead = this.lead(leadId);
    const note: Note = { id: this.ids.uuid(), text, createdAt: createdAt ?? this.iso() };
    lead.notes.push(note);
    return note;
  }

  private note(leadId: string, noteId: string): { lead: Lead; note: Note } {
    const lead = this.lead(leadId);
    const note = lead.notes.find((n) => n.id === noteId);
    if (!note) throw notFound(`Note ${noteId} of lead ${leadId}`);
    return { lead, note };
  }

  /** Edits keep created_at: Aimfox notes have no updated_at. */
  updateNote(leadId: string, noteId: string, text: string): Note {
    const { note } = this.note(leadId, noteId);
    note.text = text;
    return note;
  }

  deleteNote(leadId: string, noteId: string): void {
    const { lead } = this.note(leadId, noteId);
    lead.notes = lead.notes.filter((n) => n.id !== noteId);
  }

  // ---- campaigns ----

  campaign(campaignId: string): Campaign {
    const c = this.campaigns.get(campaignId);
    if (!c) throw notFound(`Campaign ${campaignId}`);
    return c;
  }

  createCampaign(input: NewCampaign): Campaign {
    const loggedIn = this.accounts.filter((a) => a.state === 'LoggedIn').map((a) => a.id);
    const owners = input.accountIds?.length ? input.accountIds : loggedIn.slice(0, 1);
    for (const id of owners) {
      if (!this.accounts.some((a) => a.id === id))
        throw validationError(`"body.account_ids" contains an unknown account ${id}`);
    }
    const campaign: Campaign = {
      id: this.ids.uuid(),
      name: input.name ?? `Custom list Campaign #${this.campaigns.size + 1}`,
      state: 'INIT',
      createdAt: this.now(),
      targetCount: 0,
      audienceSize: input.audienceSize ?? 1000,
      type: input.type ?? 'list',
      outreachType: input.outreachType,
      owners,
      startDate: null,
      usesConnectionNote: input.usesConnectionNote ?? false,
      inmailOptimization: input.inmailOptimization ?? false,
      excludeActiveTargets: input.excludeActiveTargets ?? false,
      excludePreviousTargets: input.excludePreviousTargets ?? false,
      noPfp: input.noPfp ?? false,
      audience: new Map(),
      customVariables: new Map(),
    };
    this.campaigns.set(campaign.id, campaign);
    return campaign;
  }

  updateCampaign(campaignId: string, patch: CampaignPatch): Campaign {
    const c = this.campaign(campaignId);
    if (patch.name !== undefined) c.name = patch.name;
    if (patch.target_count !== undefined) c.targetCount = patch.target_count;
    if (patch.exclude_active_targets !== undefined) c.excludeActiveTargets = patch.exclude_active_targets;
    if (patch.exclude_previous_targets !== undefined) c.excludePreviousTargets = patch.exclude_previous_targets;
    if (patch.state !== undefined) {
      if (patch.state === 'ACTIVE' && c.startDate === null) c.startDate = this.now();
      c.state = patch.state;
    }
    return c;
  }

  deleteCampaign(campaignId: string): void {
    this.campaign(campaignId);
    this.campaigns.delete(campaignId);
  }

  acceptsProfiles(c: Campaign): boolean {
    return c.type === 'list';
  }

  /** Campaign-level reasons an add is refused (before any profile is looked at). */
  assertAcceptsProfiles(c: Campaign): void {
    if (!this.acceptsProfiles(c)) {
      throw new AimfoxError(400, `Campaign type "${c.type}" does not accept profile inserts`, 'invalidCampaignType');
    }
    if (!ADDABLE_CAMPAIGN_STATES.includes(c.state)) {
      throw new AimfoxError(400, `Profiles cannot be added while the campaign is ${c.state}`, 'invalidCampaignState');
    }
  }

  /**
   * Add one profile (by LinkedIn URL) to a campaign's audience. Refusals are AimfoxError 400 with the
   * documented `data` code; see README.md for the order in which they are checked.
   */
  addToAudience(
    c: Campaign,
    profileUrl: string,
    customVariables?: Record<string, string>,
  ): { profile: Profile; entry: AudienceEntry } {
    const publicId = publicIdFromProfileUrl(profileUrl);
    if (!publicId) throw refusal('miningFailed');
    const profile = this.byPublicId.get(publicId);
    if (!profile || !profile.exists) throw refusal('miningFailed');
    if (profile.blocked) throw refusal('blocked');
    const existing = this.leads.get(profile.id);
    if (existing && c.audience.has(existing.id)) throw refusal('alreadyConnected');
    if (existing && this.lockingCampaign(existing, c)) throw refusal('locked');
    const connected = existing?.isLead ?? false;
    if (c.outreachType === 'connect' && connected) throw refusal('alreadyConnected');
    if (c.outreachType === 'message' && !connected) throw refusal('notLead');
    if (c.outreachType === 'inmail' && !connected && !profile.openProfile) throw refusal('closed');
    if (c.noPfp && !profile.pictureUrl) throw refusal('noPFP');

    const lead = this.ensureLead(profile);
    if (!lead.origins.some((o) => o.id === c.id)) lead.origins.push({ id: c.id, name: c.name });
    const entry: AudienceEntry = { leadId: lead.id, state: 'init', owner: c.owners[0] ?? '' };
    c.audience.set(lead.id, entry);
    c.targetCount = c.audience.size;
    if (customVariables && Object.keys(customVariables).length)
      c.customVariables.set(profile.urn, { ...customVariables });
    return { profile, entry };
  }

  /** Another running campaign whose audience holds this lead at a non-final step. */
  lockingCampaign(lead: Lead, except: Campaign): Campaign | undefined {
    for (const other of this.campaigns.values()) {
      if (other === except || (other.state !== 'ACTIVE' && other.state !== 'PAUSED')) continue;
      const entry = other.audience.get(lead.id);
      if (entry && !FINAL_AUDIENCE_STATES.includes(entry.state)) return other;
    }
    return undefined;
  }

  removeFromAudience(c: Campaign, urnOrPublicId: string): void {
    const profile = this.profileByUrnOrPublicId(urnOrPublicId);
    if (!profile || !c.audience.has(profile.id)) throw notFound(`Target ${urnOrPublicId} in campaign ${c.id}`);
    c.audience.delete(profile.id);
    c.customVariables.delete(profile.urn);
    c.targetCount = c.audience.size;
  }

  /** Move an audience entry to another step; `message` (accepted) connects the lead to the campaign owner. */
  setAudienceState(c: Campaign, leadId: string, state: AudienceState, connected?: boolean): AudienceEntry {
    const entry = c.audience.get(leadId);
    if (!entry) throw notFound(`Lead ${leadId} in campaign ${c.id}`);
    entry.state = state;
    const connect = connected ?? (state === 'message' ? true : undefined);
    if (connect !== undefined && entry.owner) this.setConnected(this.lead(leadId), entry.owner, connect);
    return entry;
  }

  // ---- search ----

  searchLeads(f: SearchFilters): Lead[] {
    const kw = f.keywords?.trim() ? fold(f.keywords.trim()) : undefined;
    const any = (xs: string[] | undefined): Set<string> | undefined => (xs && xs.length ? new Set(xs) : undefined);
    const labels = any(f.labels);
    const origins = any(f.origins);
    const leadOf = any(f.lead_of);
    const companies = f.current_companies?.length ? new Set(f.current_companies.map(fold)) : undefined;
    const locations = any(f.locations);
    // Filters on data the sandbox's leads never carry match nothing, as they would for such leads.
    const unmatchable = [f.past_companies, f.education, f.interests, f.languages, f.skills].some(
      (xs) => xs && xs.length,
    );
    if (unmatchable) return [];
    const out: Lead[] = [];
    for (const lead of this.leads.values()) {
      const p = this.profileOf(lead);
      if (labels && !lead.labelIds.some((l) => labels.has(l))) continue;
      if (origins && !lead.origins.some((o) => origins.has(o.id))) continue;
      if (leadOf && !lead.leadOf.some((a) => leadOf.has(a))) continue;
      if (companies && !(p.company && (companies.has(p.company.urn) || companies.has(fold(p.company.name))))) continue;
      if (locations && !locations.has(p.location.urn)) continue;
      if (kw) {
        const hay = fold(
          [
            p.firstName,
            p.lastName,
            `${p.firstName} ${p.lastName}`,
            p.jobTitle,
            p.company?.name ?? '',
            p.publicId,
            p.location.name,
          ].join(' '),
        );
        if (!hay.includes(kw)) continue;
      }
      out.push(lead);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  // ---- webhooks ----

  webhook(webhookId: string): Webhook {
    const w = this.webhooks.get(webhookId);
    if (!w) throw notFound(`Webhook ${webhookId}`);
    return w;
  }

  createWebhook(input: {
    name: string;
    events: string[];
    url: string;
    headers?: Record<string, string>;
    integration?: boolean;
  }): Webhook {
    const at = this.iso();
    const w: Webhook = {
      id: this.ids.uuid(),
      name: input.name,
      events: input.events,
      url: input.url,
      headers: input.headers ?? null,
      integration: input.integration ?? false,
      createdAt: at,
      updatedAt: at,
    };
    this.webhooks.set(w.id, w);
    return w;
  }

  updateWebhook(
    webhookId: string,
    patch: { name?: string; events?: string[]; url?: string; headers?: Record<string, string> },
  ): Webhook {
    const w = this.webhook(webhookId);
    if (patch.name !== undefined) w.name = patch.name;
    if (patch.events !== undefined) w.events = patch.events;
    if (patch.url !== undefined) w.url = patch.url;
    if (patch.headers !== undefined) w.headers = patch.headers;
    w.updatedAt = this.iso();
    return w;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
