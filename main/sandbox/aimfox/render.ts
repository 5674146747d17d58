/** The JSON shapes Aimfox sends for each record (README "Facts: shapes"). */
import type { Account, AudienceEntry, Campaign, Label, Lead, Note, Profile, Webhook } from './model.js';
import type { AimfoxStore } from './store.js';
import type {
  AimfoxAudienceEntryJson,
  AimfoxCampaignJson,
  AimfoxLabelJson,
  AimfoxLeadJson,
  AimfoxNoteJson,
} from './api-types.js';

const NO_IMAGE = 'https://cdn.constel.co/linkedin-profile/no-image.svg';

export function accountJson(store: AimfoxStore, a: Account): Record<string, unknown> {
  return {
    id: a.id,
    urn: a.urn,
    public_identifier: a.publicId,
    first_name: a.firstName,
    last_name: a.lastName,
    full_name: `${a.firstName} ${a.lastName}`,
    email: a.email,
    occupation: a.occupation,
    picture_url: `https://cdn.constel.co/linkedin-profile/${a.urn}.jpg`,
    premium: a.premium,
    first_scraped_at: '0001-01-01T00:00:00Z',
    last_scraped_at: '0001-01-01T00:00:00Z',
    state: a.state,
    sales_navigator: a.salesNavigator,
    workspace_id: store.workspaceId,
    type: 'user',
    disabled: false,
    subscription_id: null,
    license: { account_id: a.id, status: 'active', lifetime: false, expires_at: 0, source: 'aimfox' },
  };
}

export function noteJson(n: Note): AimfoxNoteJson {
  return { id: n.id, text: n.text, created_at: n.createdAt };
}

export function labelJson(store: AimfoxStore, l: Label, withCount: boolean): AimfoxLabelJson {
  const out: AimfoxLabelJson = { id: l.id, agency_id: store.agencyId, name: l.name, color: l.color };
  if (withCount) out.count = store.labelCount(l.id);
  return out;
}

function experience(p: Profile): Array<Record<string, unknown>> {
  if (!p.company) return [];
  return [
    {
      company: {
        urn: p.company.urn,
        name: p.company.name,
        universal_name: p.company.universalName,
        logo_url: `https://cdn.constel.co/linkedin-companies/${p.company.urn}.jpg`,
      },
      job_title: p.jobTitle,
      employment_type: { urn: '1', name: 'Full-time' },
      start_date: { year: 2019 },
    },
  ];
}

export function occupation(p: Profile): string {
  return p.company ? `${p.jobTitle} at ${p.company.name}` : p.jobTitle;
}

/** The full lead (GET /leads/:id and each search hit). No field holds a LinkedIn URL. */
export function leadJson(store: AimfoxStore, lead: Lead): AimfoxLeadJson {
  const p = store.profileOf(lead);
  const exp = experience(p);
  return {
    id: lead.id,
    urn: p.urn,
    public_identifier: p.publicId,
    first_name: p.firstName,
    last_name: p.lastName,
    full_name: `${p.firstName} ${p.lastName}`,
    industry_urn: '80',
    occupation: occupation(p),
    picture_url: p.pictureUrl ?? NO_IMAGE,
    location: { ...p.location },
    work_experience: exp,
    current_experience: exp,
    education: [],
    certifications: [],
    skills: [],
    languages: [],
    interests: [],
    volunteer_experience: [],
    twitter_handles: [],
    premium: p.premium,
    // Contact info is only visible to 1st-degree connections.
    email: lead.isLead ? (p.email ?? null) : null,
    phones: lead.isLead && p.phone ? [{ number: p.phone, type: 'mobile' }] : [],
    first_scraped_at: lead.firstScrapedAt,
    last_scraped_at: lead.lastScrapedAt,
    is_lead: lead.isLead,
    lead_of: [...lead.leadOf],
    origins: lead.origins.map((o) => ({ ...o })),
    favorite: lead.favorite,
    labels: lead.labelIds.flatMap((id) => {
      const l = store.labels.get(id);
      return l
        ? [
            {
              id: l.id,
              group_id: lead.leadOf[0] ?? store.accounts[0]?.id ?? '',
              agency_id: store.agencyId,
              name: l.name,
              color: l.color,
            },
          ]
        : [];
    }),
    notes: lead.notes.map(noteJson),
  };
}

/** An audience entry (GET /campaigns/:id/audience, and the `profiles` of audience/multiple). */
export function audienceJson(store: AimfoxStore, entry: AudienceEntry): AimfoxAudienceEntryJson {
  const p = store.profileOf(store.lead(entry.leadId));
  const out: AimfoxAudienceEntryJson = {
    id: p.id,
    full_name: `${p.firstName} ${p.lastName}`,
    public_identifier: p.publicId,
    picture_url: p.pictureUrl ?? NO_IMAGE,
    occupation: occupation(p),
    urn: p.urn,
    location: { ...p.location },
    company: p.company?.name ?? null,
    state: entry.state,
  };
  if (entry.state !== 'init') out.owner = entry.owner;
  return out;
}

export function campaignSummaryJson(c: Campaign): AimfoxCampaignJson {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    created_at: c.createdAt,
    target_count: c.targetCount,
    type: c.type,
    outreach_type: c.outreachType,
    owners: [...c.owners],
    start_date: c.startDate,
    miner: c.owners[0] ?? null,
    uses_connection_note: c.usesConnectionNote,
    labels: [],
  };
}

const WEEK = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export function campaignDetailJson(c: Campaign): Record<string, unknown> {
  const schedule: Record<string, unknown> = { timezone: { name: 'Australia/Melbourne', offset: 600 } };
  for (const day of WEEK)
    schedule[day] = { intervals: day === 'sunday' || day === 'saturday' ? [] : [{ start: 9, end: 17 }] };
  const done = [...c.audience.values()].filter((e) => e.state === 'done').length;
  const keys = new Set<string>();
  for (const vars of c.customVariables.values()) for (const k of Object.keys(vars)) keys.add(k);
  // Flow ids are derived from the campaign id so they stay the same on every read.
  const flow = (type: string, name: string, n: number): Record<string, unknown> => ({
    id: `${c.id.slice(0, 24)}${String(n).padStart(12, '0')}`,
    type,
    name,
    template: null,
    flow_message_templates: [],
    withdraw_delay: 21,
    endorse_enabled: false,
    like_enabled: false,
  });
  return {
    ...campaignSummaryJson(c),
    schedule,
    audience_size: c.audienceSize,
    completion: c.audience.size ? Math.round((done / c.audience.size) * 100) / 100 : 0,
    custom_variable_keys: [...keys].map((k) => ({ name: k, value: `{{CUSTOM.${k}}}` })),
    inmail_optimization: c.inmailOptimization,
    exclude_active_targets: c.excludeActiveTargets,
    exclude_previous_targets: c.excludePreviousTargets,
    no_pfp: c.noPfp,
    crm_type: null,
    autolabel_ids: [],
    flows: [
      flow('PRIMARY_CONNECT', 'Primary', 1),
      flow('INMAIL_OPTIMIZATION', 'InMail optimization', 2),
      flow('CONNECT_OPTIMIZATION', 'Connect optimization', 3),
    ],
  };
}

export function campaignMetricsJson(c: Campaign): Record<string, number> {
  const entries = [...c.audience.values()];
  const sent = entries.filter(
    (e) => e.state !== 'init' && e.state !== 'view' && e.state !== 'like' && e.state !== 'endorse',
  ).length;
  const accepted = entries.filter((e) => e.state === 'message' || e.state === 'done').length;
  return {
    sent_connections: sent,
    accepted_connections: accepted,
    sent_messages: 0,
    replies: 0,
    inmail_replies: 0,
    sent_inmails: 0,
    message_requests: 0,
    sent_endorsements: 0,
    views: entries.filter((e) => e.state !== 'init').length,
    sent_likes: 0,
  };
}

export function webhookJson(store: AimfoxStore, w: Webhook): Record<string, unknown> {
  return {
    id: w.id,
    workspace_id: store.workspaceId,
    name: w.name,
    events: [...w.events],
    url: w.url,
    account_id: null,
    headers: w.headers,
    deleted: false,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    integration: w.integration,
  };
}
