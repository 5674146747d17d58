/**
 * Load the sandbox's view of the shared world: every world person with a `linkedinId` is a LinkedIn profile
 * the sandbox knows; those with `in.aimfox` are already leads of the workspace. Aimfox notes of the world
 * become lead notes, and the tags of Aimfox leads become workspace labels attached to them.
 *
 * Start state (deterministic for a world seed):
 * - Accounts: one LoggedIn LinkedIn account (the credentials' accountId) and one LoggedOut one.
 * - Campaigns: "GHL Bridge imports" (list, connect, ACTIVE, empty: the credentials' campaignId);
 *   "Melbourne trades search" (search, connect, ACTIVE: does not accept profile inserts; its audience holds
 *   the not-yet-connected leads at warm-up steps, so adding them elsewhere is refused as `locked`);
 *   "Spring 2026 outreach" (list, connect, DONE: the source of about half the connected leads);
 *   "Existing connections follow-up" (list, message, PAUSED, empty).
 * - About 70% of leads are connected (is_lead, lead_of = the LoggedIn account); only they show email/phones.
 */
import type { World } from '../world.js';
import type { Account, AudienceState, Campaign, Company, LabelColor, Location, Profile } from './model.js';
import { LABEL_COLORS } from './model.js';
import { seededRandom } from './ids.js';
import type { AimfoxStore } from './store.js';

export interface SeedResult {
  accountId: string;
  campaignId: string;
}

const LOCATIONS: Record<string, Location> = {
  VIC: { name: 'Melbourne, Victoria, Australia', urn: '100992797' },
  NSW: { name: 'Sydney, New South Wales, Australia', urn: '104769905' },
  QLD: { name: 'Brisbane, Queensland, Australia', urn: '104468365' },
  SA: { name: 'Adelaide, South Australia, Australia', urn: '107042567' },
  WA: { name: 'Perth, Western Australia, Australia', urn: '103392068' },
};
const AU: Location = { name: 'Australia', urn: '101452733' };
const JOB_TITLES = [
  'Office Manager',
  'Director',
  'Operations Manager',
  'Facilities Manager',
  'Owner',
  'Property Manager',
  'Project Manager',
  'Procurement Lead',
];
const WARMUP: AudienceState[] = ['init', 'view', 'like', 'endorse', 'withdraw'];

function universalName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** LinkedIn members type their own numbers: international, spaced. */
function linkedinPhone(e164: string): string {
  const m = /^\+61(\d)(\d{4})(\d{4})$/.exec(e164);
  if (!m) return e164;
  return m[1] === '4'
    ? `+61 4${m[2]!.slice(0, 2)} ${m[2]!.slice(2)}${m[3]!.slice(0, 1)} ${m[3]!.slice(1)}`
    : `+61 ${m[1]} ${m[2]} ${m[3]}`;
}

function newCampaign(
  store: AimfoxStore,
  fields: Pick<Campaign, 'name' | 'state' | 'type' | 'outreachType' | 'createdAt'> & Partial<Campaign>,
  owner: string,
): Campaign {
  const c: Campaign = {
    id: store.ids.uuid(),
    targetCount: 0,
    audienceSize: 1000,
    owners: [owner],
    startDate:
      fields.state === 'ACTIVE' || fields.state === 'DONE' || fields.state === 'PAUSED'
        ? fields.createdAt + 86_400_000
        : null,
    usesConnectionNote: false,
    inmailOptimization: false,
    excludeActiveTargets: true,
    excludePreviousTargets: true,
    noPfp: false,
    audience: new Map(),
    customVariables: new Map(),
    ...fields,
  };
  store.campaigns.set(c.id, c);
  return c;
}

export function seedStore(store: AimfoxStore, world: World): SeedResult {
  const r = seededRandom(world.seed ^ 0x5eed);
  const startMs = Date.parse('2026-03-01T00:00:00Z');

  const account: Account = {
    id: store.ids.memberId(),
    urn: store.ids.memberUrn(),
    publicId: 'jordan-avery-office',
    firstName: 'Jordan',
    lastName: 'Avery',
    email: 'jordan.avery@example-office.com.au',
    occupation: 'Office Manager',
    state: 'LoggedIn',
    premium: true,
    salesNavigator: false,
  };
  const dormant: Account = {
    id: store.ids.memberId(),
    urn: store.ids.memberUrn(),
    publicId: 'sam-lee-sales',
    firstName: 'Sam',
    lastName: 'Lee',
    email: 'sam.lee@example-office.com.au',
    occupation: 'Sales',
    state: 'LoggedOut',
    premium: false,
    salesNavigator: false,
  };
  store.accounts = [account, dormant];

  const imports = newCampaign(
    store,
    { name: 'GHL Bridge imports', state: 'ACTIVE', type: 'list', outreachType: 'connect', createdAt: startMs },
    account.id,
  );
  const search = newCampaign(
    store,
    {
      name: 'Melbourne trades search',
      state: 'ACTIVE',
      type: 'search',
      outreachType: 'connect',
      createdAt: startMs + 86_400_000 * 10,
    },
    account.id,
  );
  const spring = newCampaign(
    store,
    {
      name: 'Spring 2026 outreach',
      state: 'DONE',
      type: 'list',
      outreachType: 'connect',
      createdAt: startMs - 86_400_000 * 120,
    },
    account.id,
  );
  newCampaign(
    store,
    {
      name: 'Existing connections follow-up',
      state: 'PAUSED',
      type: 'list',
      outreachType: 'message',
      createdAt: startMs + 86_400_000 * 30,
    },
    account.id,
  );

  const businesses = new Map(world.businesses.map((b) => [b.key, b]));
  const companies = new Map<string, Company>();
  const notesByPerson = new Map<string, Array<{ body: string; createdAt: string }>>();
  for (const n of world.notes) {
    if (n.system !== 'aimfox') continue;
    const list = notesByPerson.get(n.personKey) ?? [];
    list.push({ body: n.body, createdAt: n.createdAt });
    notesByPerson.set(n.personKey, list);
  }
  const labelIdByTag = new Map<string, string>();
  const labelFor = (tag: string): string => {
    let id = labelIdByTag.get(tag);
    if (!id) {
      id = store.createLabel(tag, LABEL_COLORS[labelIdByTag.size % LABEL_COLORS.length] as LabelColor).id;
      labelIdByTag.set(tag, id);
    }
    return id;
  };

  for (const person of world.people) {
    if (!person.linkedinId) continue;
    const business = person.businessKey ? businesses.get(person.businessKey) : undefined;
    let company: Company | undefined;
    if (business) {
      company = companies.get(business.key);
      if (!company) {
        company = { urn: store.ids.smallNumeric(8), name: business.name, universalName: universalName(business.name) };
        companies.set(business.key, company);
      }
    }
    const jobTitle = JOB_TITLES[Math.floor(r() * JOB_TITLES.length)] as string;
    const hasPicture = r() >= 0.1;
    const profileFields: Omit<Profile, 'id' | 'urn'> = {
      publicId: person.linkedinId,
      firstName: person.firstName,
      lastName: person.lastName,
      jobTitle,
      company,
      location: business
        ? (LOCATIONS[business.address.state] ?? AU)
        : r() < 0.8
          ? (Object.values(LOCATIONS)[Math.floor(r() * 5)] as Location)
          : AU,
      email: person.email,
      phone: person.phone ? linkedinPhone(person.phone) : undefined,
      premium: r() < 0.15,
      openProfile: r() < 0.3,
      exists: true,
      blocked: false,
      personKey: person.key,
    };
    const profile = store.addProfile(profileFields);
    if (hasPicture) profile.pictureUrl = `https://cdn.constel.co/linkedin-profile/${profile.urn}.jpg`;
    if (!person.in.aimfox) continue;

    const lead = store.ensureLead(profile);
    lead.firstScrapedAt = person.createdAt;
    lead.lastScrapedAt = person.createdAt;
    lead.favorite = r() < 0.05;
    if (r() < 0.7) {
      store.setConnected(lead, account.id, true);
      if (r() < 0.5) {
        lead.origins.push({ id: spring.id, name: spring.name });
        spring.audience.set(lead.id, { leadId: lead.id, state: r() < 0.7 ? 'done' : 'message', owner: account.id });
      }
    } else {
      lead.origins.push({ id: search.id, name: search.name });
      search.audience.set(lead.id, {
        leadId: lead.id,
        state: WARMUP[Math.floor(r() * WARMUP.length)] as AudienceState,
        owner: account.id,
      });
    }
    for (const tag of person.tags) lead.labelIds.push(labelFor(tag));
    for (const n of notesByPerson.get(person.key) ?? []) store.createNote(lead.id, n.body, n.createdAt);
  }
  for (const c of store.campaigns.values()) c.targetCount = c.audience.size;
  return { accountId: account.id, campaignId: imports.id };
}
