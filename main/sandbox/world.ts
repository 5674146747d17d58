/**
 * A deterministic, seeded "world" of people and businesses that the three sandboxes load their own view of.
 *
 * The same person can live in GHL, AroFlo and Aimfox at once: with the same email, or only the same phone
 * written differently in each system, so that first-link matching is exercised for real. A few true
 * duplicates exist inside GHL. Names include non-ASCII letters. Generation is linear and cheap enough for
 * 100,000 people (no faker call per field in the hot loop beyond names).
 */
import { Faker, en, en_AU, base } from '@faker-js/faker';
import { seededRandom } from './random.js';

export interface WorldBusiness {
  key: string;
  name: string;
  email: string;
  /** E.164, e.g. +61390001234 */
  phone: string;
  address: { line1: string; suburb: string; state: string; postcode: string; country: 'AU' };
}

export interface WorldPerson {
  key: string;
  firstName: string;
  lastName: string;
  email?: string;
  /** Canonical E.164 mobile, e.g. +61412345678. Each system writes it in its own style (see formatPhone*). */
  phone?: string;
  businessKey?: string;
  /** LinkedIn public identifier (the /in/<id>/ part), when the person has a profile. */
  linkedinId?: string;
  tags: string[];
  /** Which systems hold this person at start. */
  in: { ghl: boolean; aroflo: boolean; aimfox: boolean };
  /** When true, AroFlo holds this person without their email (only the phone links them). */
  arofloPhoneOnly: boolean;
  /** When set, GHL holds a second record of the same person (a true duplicate) keyed by this value. */
  ghlDuplicateKey?: string;
  createdAt: string;
}

export interface WorldTask {
  key: string;
  personKey: string;
  /** Where the task exists at start. */
  system: 'ghl' | 'aroflo';
  title: string;
  body: string;
  /** YYYY-MM-DD */
  dueDate: string;
  completed: boolean;
}

export interface WorldNote {
  key: string;
  personKey: string;
  /** Where the note exists at start; aroflo notes sit on the person's client (clientnotes) or on a task. */
  system: 'ghl' | 'aroflo' | 'aimfox';
  taskKey?: string;
  body: string;
  createdAt: string;
}

export interface World {
  seed: number;
  businesses: WorldBusiness[];
  people: WorldPerson[];
  tasks: WorldTask[];
  notes: WorldNote[];
}

export interface WorldOptions {
  seed?: number;
  /** Number of people. Default 200. */
  contacts?: number;
  /** Fixed "now" so output does not depend on the clock. Default 2026-11-01T00:00:00Z. */
  now?: Date;
}

const NON_ASCII_FIRST = [
  'Zoë',
  'José',
  'Søren',
  'Ólafur',
  'Łukasz',
  'Amélie',
  'Jürgen',
  'Siobhán',
  'Thảo',
  'Björk',
  'Chloé',
  'Renée',
];
const NON_ASCII_LAST = [
  'Müller',
  'Nguyễn',
  'Ångström',
  "O'Brien",
  'Žukauskas',
  'Fernández',
  'Lefèvre',
  'Østergaard',
  'Çelik',
  'Dvořák',
];
const TAGS = [
  'vip',
  'residential',
  'commercial',
  'maintenance-plan',
  'newsletter',
  'linkedin-lead',
  'follow-up',
  'quote-sent',
];
const TASK_TITLES = [
  'Quote follow-up',
  'Book site visit',
  'Replace hot water unit',
  'Annual service',
  'Check smoke alarms',
  'Send invoice reminder',
  'Call back about leak',
  'Install split system',
  'Inspect roof gutters',
  'Confirm job start date',
];
const NOTE_BODIES = [
  'Customer prefers morning appointments.',
  'Gate code is 4821 — dog in the yard.',
  'Asked for a quote on solar panels.',
  'Paid deposit by bank transfer.',
  'Follow up next week about the second bathroom.',
  'Left voicemail, no answer.',
  'Tenant on site; owner approves work over $500.',
  'Met at the trade show, interested in a maintenance plan.',
];
const STATES: Array<[string, string, string]> = [
  ['VIC', '3000', 'Melbourne'],
  ['NSW', '2000', 'Sydney'],
  ['QLD', '4000', 'Brisbane'],
  ['SA', '5000', 'Adelaide'],
  ['WA', '6000', 'Perth'],
];

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();
}

/** The generator. Same options → same world, byte for byte. */
export function generateWorld(opts: WorldOptions = {}): World {
  const seed = opts.seed ?? 1;
  const count = opts.contacts ?? 200;
  const now = opts.now ?? new Date('2026-11-01T00:00:00Z');
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const faker = new Faker({ locale: [en_AU, en, base], seed });

  const businesses: WorldBusiness[] = [];
  const people: WorldPerson[] = [];
  const tasks: WorldTask[] = [];
  const notes: WorldNote[] = [];
  const usedEmails = new Set<string>();
  const usedPhones = new Set<string>();

  const uniquePhone = (prefix: string, digits: number): string => {
    for (;;) {
      let n = '';
      for (let i = 0; i < digits; i++) n += Math.floor(r() * 10);
      const p = prefix + n;
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };
  const uniqueEmail = (local: string, domain: string): string => {
    let e = `${local}@${domain}`;
    for (let i = 2; usedEmails.has(e); i++) e = `${local}${i}@${domain}`;
    usedEmails.add(e);
    return e;
  };

  const businessCount = Math.max(1, Math.round(count * 0.08));
  for (let b = 0; b < businessCount; b++) {
    const name = `${faker.company.name()}`.slice(0, 48);
    const [state, postcode, suburb] = pick(STATES);
    const domain = `${slug(name).slice(0, 20) || 'biz'}.com.au`;
    businesses.push({
      key: `b${b}`,
      name: businesses.some((x) => x.name === name) ? `${name} ${b}`.slice(0, 50) : name,
      email: uniqueEmail('office', domain),
      phone: uniquePhone('+6139', 7),
      address: { line1: faker.location.streetAddress(), suburb, state, postcode, country: 'AU' },
    });
  }

  const DAY = 86_400_000;
  for (let i = 0; i < count; i++) {
    const exotic = r() < 0.12;
    const firstName = exotic ? pick(NON_ASCII_FIRST) : faker.person.firstName();
    const lastName = exotic && r() < 0.6 ? pick(NON_ASCII_LAST) : faker.person.lastName();
    const business = r() < 0.4 ? pick(businesses) : undefined;
    const domain = business
      ? business.email.split('@')[1]!
      : pick(['gmail.com', 'outlook.com', 'bigpond.com', 'icloud.com']);
    const hasEmail = r() < 0.9;
    const hasPhone = r() < 0.85 || !hasEmail;
    const roll = r();
    // 45% in both GHL and AroFlo, 35% GHL only, 20% AroFlo only.
    const inGhl = roll < 0.8;
    const inAroflo = roll < 0.45 || roll >= 0.8;
    const linkedinId =
      r() < 0.35 ? `${slug(firstName)}-${slug(lastName)}-${(i * 7919 + seed).toString(36)}` : undefined;
    const person: WorldPerson = {
      key: `p${i}`,
      firstName,
      lastName,
      email: hasEmail ? uniqueEmail(`${slug(firstName)}.${slug(lastName)}`, domain) : undefined,
      phone: hasPhone ? uniquePhone('+614', 8) : undefined,
      businessKey: business?.key,
      linkedinId,
      tags: TAGS.filter(() => r() < 0.15),
      in: { ghl: inGhl, aroflo: inAroflo, aimfox: !!linkedinId && r() < 0.6 },
      arofloPhoneOnly: inGhl && inAroflo && hasPhone && r() < 0.1,
      createdAt: new Date(now.getTime() - Math.floor(r() * 400) * DAY).toISOString(),
    };
    if (inGhl && r() < 0.01) person.ghlDuplicateKey = `dup-${i}`;
    people.push(person);

    const taskCount = r() < 0.35 ? 1 + Math.floor(r() * 2) : 0;
    for (let t = 0; t < taskCount; t++) {
      const system: 'ghl' | 'aroflo' = inGhl && (!inAroflo || r() < 0.5) ? 'ghl' : 'aroflo';
      const due = new Date(now.getTime() + Math.floor(r() * 60 - 20) * DAY).toISOString().slice(0, 10);
      const task: WorldTask = {
        key: `t${i}-${t}`,
        personKey: person.key,
        system,
        title: pick(TASK_TITLES),
        body: `Job for ${firstName} ${lastName}.`,
        dueDate: due,
        completed: r() < 0.25,
      };
      tasks.push(task);
      if (system === 'aroflo' && r() < 0.5) {
        notes.push({
          key: `n${i}-t${t}`,
          personKey: person.key,
          system: 'aroflo',
          taskKey: task.key,
          body: pick(NOTE_BODIES),
          createdAt: new Date(now.getTime() - Math.floor(r() * 30) * DAY).toISOString(),
        });
      }
    }
    if (r() < 0.3) {
      const systems: Array<'ghl' | 'aroflo' | 'aimfox'> = [];
      if (inGhl) systems.push('ghl');
      if (inAroflo) systems.push('aroflo');
      if (person.in.aimfox) systems.push('aimfox');
      if (systems.length) {
        notes.push({
          key: `n${i}`,
          personKey: person.key,
          system: pick(systems),
          body: pick(NOTE_BODIES),
          createdAt: new Date(now.getTime() - Math.floor(r() * 90) * DAY).toISOString(),
        });
      }
    }
  }
  return { seed, businesses, people, tasks, notes };
}

/** GHL's usual phone style: E.164 as stored. */
export function formatPhoneGhl(e164: string): string {
  return e164;
}

/** AroFlo users type Australian numbers nationally: "0412 345 678" / "(03) 9000 1234". */
export function formatPhoneAroflo(e164: string): string {
  const national = '0' + e164.replace(/^\+61/, '');
  if (national.startsWith('04')) return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  return `(${national.slice(0, 2)}) ${national.slice(2, 6)} ${national.slice(6)}`;
}

/** Build a LinkedIn profile URL the way Aimfox expects it. */
export function linkedinUrl(publicId: string): string {
  return `https://www.linkedin.com/in/${publicId}/`;
}
