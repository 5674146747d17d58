/**
 * AimfoxClient: typed access to the Aimfox v2 API parts GHL Bridge syncs (README "API facts the code relies on"): accounts (credential
 * test), campaigns and their audiences, leads, labels and notes. Every call is paced (60/min across the
 * workspace), retried when safe, validated with zod, and fails with a typed ConnectorError naming the record.
 *
 * Lists return `{ items, rejected }`: a bad item is reported for quarantine while the good ones come through.
 */
import { isConnectorError, pathSegment, type ConnectorError } from '../shared/errors.js';
import { AimfoxError } from './envelope.js';
import { isRefusalCode, matchBulkAnswer, prepareProfiles, refusalOutcome, type BulkProfileInput } from './audience.js';
import { pageLeads, type FetchedLeadPage, type LeadPagingOptions } from './lead-search.js';
import { normalizePublicIdentifier, parseLinkedInProfileUrl } from './linkedin-url.js';
import {
  accountSchema,
  audienceEntrySchema,
  campaignSchema,
  labelSchema,
  leadSchema,
  leadsTotalSchema,
  noteSchema,
  parseList,
} from './schemas.js';
import { AimfoxTransport, type AimfoxBudget, type AimfoxRequest, type AimfoxTransportOptions } from './transport.js';
import {
  AIMFOX_LABEL_COLORS,
  type AimfoxAccount,
  type AimfoxAudienceEntry,
  type AimfoxCampaign,
  type AimfoxLabel,
  type AimfoxLabelColor,
  type AimfoxLead,
  type AimfoxNote,
  type AudienceAddOutcome,
  type LeadSearchFilters,
  type LeadSearchPage,
  type LeadSearchSummary,
  type LeadsTotal,
  type ListResult,
  type RejectedItem,
} from './types.js';

export interface AimfoxClientOptions extends AimfoxTransportOptions {
  /** Profiles per `audience/multiple` request. Default 100. */
  bulkChunkSize?: number;
  /** How long the label list is reused by findOrCreateLabel. Default 60 s. */
  labelCacheMs?: number;
}

export type AimfoxConnectionTest =
  | {
      ok: true;
      system: 'aimfox';
      /** One line for the Connections screen, e.g. "Aimfox workspace 3f7a… — LinkedIn: John Doe". */
      title: string;
      workspaceId?: string;
      accounts: Array<{ id: string; name: string; loggedIn: boolean }>;
      /** Things the person should fix even though the key works (e.g. a logged-out LinkedIn account). */
      warnings: string[];
      budget: AimfoxBudget;
    }
  | { ok: false; system: 'aimfox'; error: ConnectorError; message: string; budget: AimfoxBudget };

export type RemovalResult = 'removed' | 'not_found';

/** What addManyToAudience throws when a chunk fails as a whole: the outcomes of the chunks sent before it. */
export type AudienceBatchError = ConnectorError & { partial?: AudienceAddOutcome[] };

/** One id as a path segment ("", "." and ".." refused before a request goes out). */
const enc = (id: string | number): string => pathSegment('aimfox', id);

export class AimfoxClient {
  private readonly t: AimfoxTransport;
  private readonly now: () => number;
  private readonly chunkSize: number;
  private readonly labelCacheMs: number;
  private labelCache?: { at: number; labels: AimfoxLabel[] };
  private readonly campaignNames = new Map<string, string>();

  constructor(opts: AimfoxClientOptions) {
    this.t = new AimfoxTransport(opts);
    this.now = opts.now ?? Date.now;
    this.chunkSize = Math.max(1, opts.bulkChunkSize ?? 100);
    this.labelCacheMs = opts.labelCacheMs ?? 60_000;
  }

  /** Request allowance: our pacer's view, what the server reported (if anything), 429s seen. */
  budget(): AimfoxBudget {
    return this.t.budget();
  }

  // ---------------------------------------------------------------- accounts

  /** Verify the key (GET /accounts, as N8N does) and say what the Connections screen shows. */
  async testConnection(): Promise<AimfoxConnectionTest> {
    let accounts: ListResult<AimfoxAccount>;
    try {
      accounts = await this.fetchAccounts(true);
    } catch (e) {
      if (!isConnectorError(e)) throw e;
      return { ok: false, system: 'aimfox', error: e, message: e.message, budget: this.budget() };
    }
    const list = accounts.items;
    const warnings: string[] = [];
    if (!list.length)
      warnings.push(
        'No LinkedIn account is connected to this Aimfox workspace — connect one in Aimfox, or campaigns cannot send.',
      );
    for (const a of list) {
      if (!a.loggedIn)
        warnings.push(
          `LinkedIn account ${a.fullName} is logged out in Aimfox — reconnect it in Aimfox; nothing sends from it until then.`,
        );
      else if (a.disabled) warnings.push(`LinkedIn account ${a.fullName} is disabled in Aimfox.`);
    }
    if (accounts.rejected.length) warnings.push(`${accounts.rejected.length} LinkedIn account(s) could not be read.`);
    const workspaceId = list.find((a) => a.workspaceId)?.workspaceId;
    const names = list.map((a) => a.fullName);
    const title = `Aimfox workspace${workspaceId ? ` ${workspaceId}` : ''} — ${names.length ? `LinkedIn: ${names.join(', ')}` : 'no LinkedIn account connected'}`;
    return {
      ok: true,
      system: 'aimfox',
      title,
      workspaceId,
      accounts: list.map((a) => ({ id: a.id, name: a.fullName, loggedIn: a.loggedIn })),
      warnings,
      budget: this.budget(),
    };
  }

  /** The workspace's connected LinkedIn senders. */
  listAccounts(): Promise<ListResult<AimfoxAccount>> {
    return this.fetchAccounts(false);
  }

  private async fetchAccounts(probe: boolean): Promise<ListResult<AimfoxAccount>> {
    const req: AimfoxRequest = { method: 'GET', path: '/accounts', operation: 'GET /accounts', record: 'account list' };
    const body = await this.t.call(req, probe);
    return this.t.list(body, 'accounts', accountSchema, req, 'LinkedIn account');
  }

  // ---------------------------------------------------------------- campaigns

  /** Campaigns; `acceptsProfiles: true` keeps those that take profile inserts. */
  async listCampaigns(
    filter: { acceptsProfiles?: boolean; outreachType?: 'inbound' | 'outbound' } = {},
  ): Promise<ListResult<AimfoxCampaign>> {
    const req: AimfoxRequest = {
      method: 'GET',
      path: '/campaigns',
      searchParams: { accepts_profiles: filter.acceptsProfiles, outreach_type: filter.outreachType },
      operation: 'GET /campaigns',
      record: 'campaign list',
    };
    const result = this.t.list(await this.t.call(req), 'campaigns', campaignSchema, req, 'campaign');
    for (const c of result.items) this.campaignNames.set(c.id, c.name);
    return result;
  }

  async getCampaign(campaignId: string): Promise<AimfoxCampaign> {
    const req: AimfoxRequest = {
      method: 'GET',
      path: `/campaigns/${enc(campaignId)}`,
      operation: 'GET /campaigns/{id}',
      record: this.campaignLabel(campaignId),
    };
    const campaign = this.t.resource(await this.t.call(req), 'campaign', campaignSchema, req);
    this.campaignNames.set(campaign.id, campaign.name);
    return campaign;
  }

  /** The whole audience in one response (Aimfox ignores paging here; big audiences take seconds). */
  async getAudience(campaignId: string): Promise<ListResult<AimfoxAudienceEntry>> {
    const req: AimfoxRequest = {
      method: 'GET',
      path: `/campaigns/${enc(campaignId)}/audience`,
      operation: 'GET /campaigns/{id}/audience',
      record: this.campaignLabel(campaignId),
      timeoutMs: 120_000,
    };
    return this.t.list(
      await this.t.call(req),
      'audience',
      audienceEntrySchema,
      req,
      `person in the audience of ${this.campaignLabel(campaignId)}`,
    );
  }

  /**
   * Add one profile. Aimfox's documented refusals (blocked, locked, miningFailed, noPFP, alreadyConnected,
   * notLead, closed, and a validation error about the URL) come back as a `refused` outcome, not an error;
   * errors are kept for what stops every add (sign-in, missing campaign or one that takes no profiles now,
   * rate limit, server).
   * An invalid URL is reported without a request.
   */
  async addToAudience(campaignId: string, profileUrl: string): Promise<AudienceAddOutcome> {
    const parsed = parseLinkedInProfileUrl(profileUrl);
    if (!parsed.ok) return { outcome: 'invalid', profileUrl, message: `Not added to Aimfox: ${parsed.reason}.` };
    const campaign = this.campaignLabel(campaignId);
    const req: AimfoxRequest = {
      method: 'POST',
      path: `/campaigns/${enc(campaignId)}/audience`,
      json: { profile_url: parsed.url },
      operation: 'POST /campaigns/{id}/audience',
      record: `${parsed.url} in ${campaign}`,
    };
    try {
      await this.t.call(req);
    } catch (e) {
      // A documented refusal, or a validation error about this profile, is this profile's outcome; anything
      // else (the campaign cannot take profiles, a missing campaign, sign-in…) stops the caller.
      if (
        e instanceof AimfoxError &&
        e.kind === 'rejected' &&
        (isRefusalCode(e.code) || e.code === 'ValidationError')
      ) {
        return refusalOutcome(parsed.url, parsed.publicIdentifier, campaign, e.code, e.detail);
      }
      throw e;
    }
    return { outcome: 'added', profileUrl: parsed.url, publicIdentifier: parsed.publicIdentifier };
  }

  /**
   * Add many profiles (with optional custom variables) through `audience/multiple`, `bulkChunkSize` per
   * request. Returns one outcome per input, in input order (a person given twice shares one outcome).
   * If a chunk fails as a whole, the outcomes of earlier chunks are kept on the error as `partial`.
   */
  async addManyToAudience(
    campaignId: string,
    profiles: ReadonlyArray<string | BulkProfileInput>,
  ): Promise<{ outcomes: AudienceAddOutcome[]; rejected: RejectedItem[] }> {
    const inputs = profiles.map((p) => (typeof p === 'string' ? { profileUrl: p } : p));
    const { send, order } = prepareProfiles(inputs);
    const campaign = this.campaignLabel(campaignId);
    const byKey = new Map<string, AudienceAddOutcome>();
    const rejected: RejectedItem[] = [];
    const assemble = () =>
      order.flatMap((o): AudienceAddOutcome[] => {
        if ('invalid' in o) return [o.invalid];
        const got = byKey.get(o.key);
        return got ? [got] : [];
      });
    for (let i = 0; i < send.length; i += this.chunkSize) {
      const chunk = send.slice(i, i + this.chunkSize);
      const req: AimfoxRequest = {
        method: 'POST',
        path: `/campaigns/${enc(campaignId)}/audience/multiple`,
        json: {
          type: 'profile_url',
          profiles: chunk.map((p) => ({
            profile_url: p.url,
            ...(p.customVariables ? { custom_variables: p.customVariables } : {}),
          })),
        },
        operation: 'POST /campaigns/{id}/audience/multiple',
        record: `${chunk.length} profile(s) for ${campaign}`,
      };
      let body: Record<string, unknown>;
      try {
        body = await this.t.call(req);
      } catch (e) {
        if (isConnectorError(e)) (e as AudienceBatchError).partial = assemble();
        throw e;
      }
      const matched = matchBulkAnswer(chunk, body, campaign);
      if ('error' in matched) {
        for (const p of chunk) {
          byKey.set(normalizePublicIdentifier(p.publicIdentifier), {
            outcome: 'unconfirmed',
            profileUrl: p.url,
            publicIdentifier: p.publicIdentifier,
            message: `Aimfox's answer to adding ${p.url} to ${campaign} could not be read (${matched.error}) — it will be checked on the next audience read.`,
          });
        }
        continue;
      }
      rejected.push(...matched.rejected);
      matched.outcomes.forEach((o, k) =>
        byKey.set(normalizePublicIdentifier((chunk[k] as (typeof chunk)[number]).publicIdentifier), o),
      );
    }
    return { outcomes: assemble(), rejected };
  }

  /**
   * Remove a person from a campaign by URN, public identifier or profile URL. `not_found` when Aimfox
   * says they are not there (nothing left to do).
   */
  async removeFromAudience(campaignId: string, person: string): Promise<RemovalResult> {
    let key = person.trim();
    if (/linkedin\.com/i.test(key)) {
      const parsed = parseLinkedInProfileUrl(key);
      if (!parsed.ok)
        throw new AimfoxError({
          system: 'aimfox',
          kind: 'rejected',
          detail: parsed.reason,
          message: `Cannot remove from Aimfox: ${parsed.reason}.`,
        });
      key = parsed.publicIdentifier;
    }
    const req: AimfoxRequest = {
      method: 'DELETE',
      path: `/campaigns/${enc(campaignId)}/audience/${enc(key)}`,
      operation: 'DELETE /campaigns/{id}/audience/{urn}',
      record: `${key} in ${this.campaignLabel(campaignId)}`,
    };
    return this.deleteCall(req);
  }

  // ---------------------------------------------------------------- leads

  /** One lead by its numeric id, with labels (and notes when Aimfox embeds them). */
  async getLead(leadId: string): Promise<AimfoxLead> {
    const req: AimfoxRequest = {
      method: 'GET',
      path: `/leads/${enc(checkLeadId(leadId))}`,
      operation: 'GET /leads/{id}',
      record: `lead ${leadId}`,
    };
    return this.t.resource(await this.t.call(req), 'lead', leadSchema, req);
  }

  /**
   * Page through `POST /leads:search` (see lead-search.ts for how a server that ignores paging is handled).
   * Yields pages; the generator's return value is the summary (use `collectLeads` to get it easily).
   */
  searchLeads(
    filters: LeadSearchFilters = {},
    opts: LeadPagingOptions = {},
  ): AsyncGenerator<LeadSearchPage, LeadSearchSummary, void> {
    return pageLeads((start, count) => this.fetchLeadPage(filters, start, count), opts);
  }

  /** Every lead matching the filters, with the rejected items and why iteration stopped. */
  async collectLeads(
    filters: LeadSearchFilters = {},
    opts: LeadPagingOptions = {},
  ): Promise<ListResult<AimfoxLead> & { summary: LeadSearchSummary }> {
    const it = this.searchLeads(filters, opts);
    const items: AimfoxLead[] = [];
    const rejected: RejectedItem[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) return { items, rejected, summary: r.value };
      items.push(...r.value.items);
      rejected.push(...r.value.rejected);
    }
  }

  private async fetchLeadPage(filters: LeadSearchFilters, start: number, count: number): Promise<FetchedLeadPage> {
    const req: AimfoxRequest = {
      method: 'POST',
      path: '/leads:search',
      searchParams: { start, count },
      json: searchBody(filters),
      idempotent: true,
      operation: 'POST /leads:search',
      record: 'lead search',
    };
    const body = await this.t.call(req);
    // The docs show `leads: [...]`; a community types file models `leads: {hits, total_leads}`. Accept both.
    const leads = body.leads;
    if (
      leads &&
      typeof leads === 'object' &&
      !Array.isArray(leads) &&
      Array.isArray((leads as { hits?: unknown }).hits)
    ) {
      const { hits, total_leads } = leads as { hits: unknown[]; total_leads?: unknown };
      return {
        ...parseList(hits, leadSchema, 'lead'),
        total: typeof total_leads === 'number' ? total_leads : undefined,
      };
    }
    return this.t.list(body, 'leads', leadSchema, req, 'lead');
  }

  /** How many leads match (POST /leads:search/total). */
  async leadsTotal(filters: LeadSearchFilters = {}): Promise<LeadsTotal> {
    const req: AimfoxRequest = {
      method: 'POST',
      path: '/leads:search/total',
      json: searchBody(filters),
      idempotent: true,
      operation: 'POST /leads:search/total',
      record: 'lead count',
    };
    const body = await this.t.call(req);
    const parsed = this.t.resource({ totals: body }, 'totals', leadsTotalSchema, req);
    return { total: parsed.total_leads, syncing: parsed.sync ?? false };
  }

  // ---------------------------------------------------------------- labels

  async listLabels(): Promise<ListResult<AimfoxLabel>> {
    const req: AimfoxRequest = { method: 'GET', path: '/labels', operation: 'GET /labels', record: 'label list' };
    const result = this.t.list(await this.t.call(req), 'labels', labelSchema, req, 'label');
    this.labelCache = { at: this.now(), labels: result.items };
    return result;
  }

  async createLabel(name: string, color: AimfoxLabelColor = 'info'): Promise<AimfoxLabel> {
    const clean = checkLabel(name, color);
    const req: AimfoxRequest = {
      method: 'POST',
      path: '/labels',
      json: { name: clean, color },
      operation: 'POST /labels',
      record: `label "${clean}"`,
    };
    const label = this.t.resource(await this.t.call(req), 'label', labelSchema, req);
    if (this.labelCache) this.labelCache.labels = [...this.labelCache.labels, label];
    return label;
  }

  async updateLabel(labelId: string, patch: { name?: string; color?: AimfoxLabelColor }): Promise<AimfoxLabel> {
    if (patch.name !== undefined || patch.color !== undefined) checkLabel(patch.name ?? 'x', patch.color ?? 'info');
    const req: AimfoxRequest = {
      method: 'PATCH',
      path: `/labels/${enc(labelId)}`,
      json: {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.color ? { color: patch.color } : {}),
      },
      idempotent: true, // sets absolute values
      operation: 'PATCH /labels/{id}',
      record: `label ${patch.name ? `"${patch.name.trim()}"` : labelId}`,
    };
    const label = this.t.resource(await this.t.call(req), 'label', labelSchema, req);
    this.labelCache = undefined;
    return label;
  }

  async deleteLabel(labelId: string): Promise<RemovalResult> {
    const result = await this.deleteCall({
      method: 'DELETE',
      path: `/labels/${enc(labelId)}`,
      operation: 'DELETE /labels/{id}',
      record: `label ${labelId}`,
    });
    this.labelCache = undefined;
    return result;
  }

  /** The workspace label with this name (trimmed, case-insensitive), created if there is none. */
  async findOrCreateLabel(name: string, color: AimfoxLabelColor = 'info'): Promise<AimfoxLabel> {
    const clean = checkLabel(name, color);
    const cached =
      this.labelCache && this.now() - this.labelCache.at < this.labelCacheMs ? this.labelCache.labels : undefined;
    const found = findLabel(cached ?? (await this.listLabels()).items, clean);
    if (found) return found;
    if (cached) {
      // The cache may be stale (someone added it in Aimfox meanwhile): look again before creating a twin.
      const fresh = findLabel((await this.listLabels()).items, clean);
      if (fresh) return fresh;
    }
    try {
      return await this.createLabel(clean, color);
    } catch (e) {
      // Created concurrently, or refused as a twin of a name spelled differently (Aimfox may compare names
      // without accents): the list now has it.
      if (isConnectorError(e) && (e.kind === 'rejected' || e.kind === 'network')) {
        const labels = (await this.listLabels()).items;
        const again = findLabel(labels, clean) ?? labels.find((l) => foldLabel(l.name) === foldLabel(clean));
        if (again) return again;
      }
      throw e;
    }
  }

  /** Put a label on a lead (safe to repeat). */
  async attachLabel(leadId: string, labelId: string): Promise<void> {
    await this.t.call({
      method: 'POST',
      path: `/leads/${enc(checkLeadId(leadId))}/labels/${enc(labelId)}`,
      idempotent: true,
      operation: 'POST /leads/{id}/labels/{labelId}',
      record: `label ${labelId} on lead ${leadId}`,
    });
  }

  async detachLabel(leadId: string, labelId: string): Promise<RemovalResult> {
    return this.deleteCall({
      method: 'DELETE',
      path: `/leads/${enc(checkLeadId(leadId))}/labels/${enc(labelId)}`,
      operation: 'DELETE /leads/{id}/labels/{labelId}',
      record: `label ${labelId} on lead ${leadId}`,
    });
  }

  // ---------------------------------------------------------------- notes

  async listNotes(leadId: string): Promise<ListResult<AimfoxNote>> {
    const req: AimfoxRequest = {
      method: 'GET',
      path: `/leads/${enc(checkLeadId(leadId))}/notes`,
      operation: 'GET /leads/{id}/notes',
      record: `notes of lead ${leadId}`,
    };
    return this.t.list(await this.t.call(req), 'notes', noteSchema, req, `note on lead ${leadId}`);
  }

  /** Not retried on an unclear failure (a retry could post the note twice); the engine's outbox decides. */
  async createNote(leadId: string, text: string): Promise<AimfoxNote> {
    const req: AimfoxRequest = {
      method: 'POST',
      path: `/leads/${enc(checkLeadId(leadId))}/notes`,
      json: { text: checkNote(text, leadId) },
      operation: 'POST /leads/{id}/notes',
      record: `a note on lead ${leadId}`,
    };
    return this.t.resource(await this.t.call(req), 'note', noteSchema, req);
  }

  async updateNote(leadId: string, noteId: string, text: string): Promise<AimfoxNote> {
    const req: AimfoxRequest = {
      method: 'PATCH',
      path: `/leads/${enc(checkLeadId(leadId))}/notes/${enc(noteId)}`,
      json: { text: checkNote(text, leadId) },
      idempotent: true, // sets the whole text
      operation: 'PATCH /leads/{id}/notes/{noteId}',
      record: `note ${noteId} on lead ${leadId}`,
    };
    return this.t.resource(await this.t.call(req), 'note', noteSchema, req);
  }

  async deleteNote(leadId: string, noteId: string): Promise<RemovalResult> {
    return this.deleteCall({
      method: 'DELETE',
      path: `/leads/${enc(checkLeadId(leadId))}/notes/${enc(noteId)}`,
      operation: 'DELETE /leads/{id}/notes/{noteId}',
      record: `note ${noteId} on lead ${leadId}`,
    });
  }

  // ---------------------------------------------------------------- helpers

  private async deleteCall(req: AimfoxRequest): Promise<RemovalResult> {
    try {
      await this.t.call(req);
      return 'removed';
    } catch (e) {
      if (isConnectorError(e) && e.kind === 'not_found') return 'not_found';
      throw e;
    }
  }

  private campaignLabel(campaignId: string): string {
    const name = this.campaignNames.get(campaignId);
    return name ? `campaign "${name}"` : `campaign ${campaignId}`;
  }
}

function searchBody(f: LeadSearchFilters): Record<string, unknown> {
  return {
    keywords: f.keywords ?? '',
    current_companies: f.current_companies ?? [],
    past_companies: f.past_companies ?? [],
    education: f.education ?? [],
    interests: f.interests ?? [],
    labels: f.labels ?? [],
    languages: f.languages ?? [],
    locations: f.locations ?? [],
    origins: f.origins ?? [],
    skills: f.skills ?? [],
    lead_of: f.lead_of ?? [],
    optimize: f.optimize ?? false,
  };
}

/** Lead ids are numeric (Aimfox answers 400 ValidationError otherwise): refuse locally, saving a request. */
function checkLeadId(leadId: string): string {
  const id = String(leadId).trim();
  if (!/^\d+$/.test(id)) {
    throw new AimfoxError({
      system: 'aimfox',
      kind: 'rejected',
      detail: 'lead id must be numeric',
      message: `"${id}" is not an Aimfox lead id (they are numbers) — re-link this contact to its Aimfox lead.`,
    });
  }
  return id;
}

function checkLabel(name: string, color: string): string {
  const clean = name.trim();
  if (!clean)
    throw new AimfoxError({
      system: 'aimfox',
      kind: 'rejected',
      detail: 'empty label name',
      message: 'An Aimfox label needs a name — check the tag mapping.',
    });
  if (!(AIMFOX_LABEL_COLORS as readonly string[]).includes(color)) {
    throw new AimfoxError({
      system: 'aimfox',
      kind: 'rejected',
      detail: `unknown label color ${color}`,
      message: `Aimfox label colour "${color}" does not exist — pick one of ${AIMFOX_LABEL_COLORS.join(', ')}.`,
    });
  }
  return clean;
}

function checkNote(text: string, leadId: string): string {
  if (!text.trim()) {
    throw new AimfoxError({
      system: 'aimfox',
      kind: 'rejected',
      detail: 'empty note',
      message: `An empty note cannot be saved on Aimfox lead ${leadId} — nothing was sent.`,
    });
  }
  return text;
}

function labelKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** Case- and accent-insensitive, for recognising a twin Aimfox refused. */
function foldLabel(name: string): string {
  return labelKey(name).normalize('NFKD').replace(/\p{M}/gu, '');
}

function findLabel(labels: readonly AimfoxLabel[], name: string): AimfoxLabel | undefined {
  const exact = labels.find((l) => l.name.trim() === name);
  return exact ?? labels.find((l) => labelKey(l.name) === labelKey(name));
}
