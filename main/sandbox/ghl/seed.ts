/**
 * The world → GHL's view of it. People with `in.ghl` become contacts of the main location (people with
 * `ghlDuplicateKey` get a second, duplicate record), tasks/notes with `system === 'ghl'` are attached to
 * them, a few appointments are derived, and a second location gets three contacts of its own.
 * Every id is derived from the world seed, so the same world gives the same ids.
 */
import type { World } from '../world.js';
import { linkedinUrl } from '../world.js';
import { hex24, id20, uuidLike } from './ids.js';
import type { ContactRec, CustomFieldDef, LocationRec } from './records.js';
import type { GhlStore } from './store.js';
import { SANDBOX_CALENDARS, calendarIds } from './routes-calendars.js';

const DAY = 86_400_000;

export interface GhlIdentity {
  locationId: string;
  otherLocationId: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
  linkedinFieldId: string;
}

export function ghlIdentity(seed: number): GhlIdentity {
  const locationId = id20(seed, 'location:main');
  return {
    locationId,
    otherLocationId: id20(seed, 'location:other'),
    companyId: id20(seed, 'company'),
    clientId: `${hex24(seed, 'marketplace-app')}-${id20(seed, 'client-suffix').slice(0, 8).toLowerCase()}`,
    clientSecret: uuidLike(seed, 'client-secret'),
    linkedinFieldId: id20(seed, `custom-field:${locationId}:linkedin`),
  };
}

function customFields(seed: number, locationId: string, created: number): CustomFieldDef[] {
  return [
    {
      id: id20(seed, `custom-field:${locationId}:linkedin`),
      name: 'LinkedIn URL',
      fieldKey: 'contact.linkedin_url',
      dataType: 'TEXT',
      placeholder: 'https://www.linkedin.com/in/…',
      position: 0,
      dateAdded: created,
    },
    {
      id: id20(seed, `custom-field:${locationId}:contact-time`),
      name: 'Preferred contact time',
      fieldKey: 'contact.preferred_contact_time',
      dataType: 'SINGLE_OPTIONS',
      placeholder: '',
      position: 50,
      picklistOptions: ['Morning', 'Afternoon', 'Evening'],
      dateAdded: created,
    },
    {
      id: id20(seed, `custom-field:${locationId}:customer-since`),
      name: 'Customer since',
      fieldKey: 'contact.customer_since',
      dataType: 'DATE',
      placeholder: '',
      position: 100,
      dateAdded: created,
    },
  ];
}

function location(seed: number, id: string, name: string, companyId: string, created: number): LocationRec {
  return {
    id,
    name,
    companyId,
    timezone: 'Australia/Melbourne',
    country: 'AU',
    address: { address: '12 Wharf Street', city: 'Geelong', state: 'VIC', postalCode: '3220' },
    customFields: customFields(seed, id, created),
    userIds: [0, 1, 2].map((n) => id20(seed, `user:${id}:${n}`)),
  };
}

function blankContact(id: string, locationId: string, added: number, updated: number): ContactRec {
  return {
    id,
    locationId,
    tags: [],
    customFields: new Map(),
    additionalEmails: [],
    additionalPhones: [],
    followers: [],
    dateAdded: added,
    dateUpdated: updated,
  };
}

export function seedStore(store: GhlStore, world: World, ident: GhlIdentity): void {
  const seed = world.seed;
  const created = Date.UTC(2024, 0, 15);
  const main = location(seed, ident.locationId, 'Harbour Plumbing & Electrical', ident.companyId, created);
  const other = location(
    seed,
    ident.otherLocationId,
    'Harbour Plumbing & Electrical — Geelong',
    ident.companyId,
    created,
  );
  store.locations.set(main.id, main);
  store.locations.set(other.id, other);

  const businesses = new Map(world.businesses.map((b) => [b.key, b]));
  for (const b of world.businesses) store.businesses.set(hex24(seed, `business:${b.key}`), b.name);

  const recs: ContactRec[] = [];
  const contactOf = new Map<string, string>();
  // Seeded edits happen after creation but never after the newest creation (≈ the world's "now").
  const latest = world.people.reduce((m, p) => Math.max(m, Date.parse(p.createdAt)), 0);
  world.people.forEach((p, i) => {
    if (!p.in.ghl) return;
    const added = Date.parse(p.createdAt);
    const updated = Math.max(added, Math.min(latest, added + ((i * 2_654_435_761) % (20 * DAY))));
    const rec = blankContact(id20(seed, `contact:${p.key}`), main.id, added, updated);
    rec.firstName = p.firstName;
    rec.lastName = p.lastName;
    if (p.email) rec.email = p.email;
    if (p.phone) rec.phone = p.phone;
    rec.tags = [...p.tags];
    rec.country = 'AU';
    const b = p.businessKey ? businesses.get(p.businessKey) : undefined;
    if (b) {
      rec.businessId = hex24(seed, `business:${b.key}`);
      rec.companyName = b.name;
      rec.address1 = b.address.line1;
      rec.city = b.address.suburb;
      rec.state = b.address.state;
      rec.postalCode = b.address.postcode;
    }
    if (p.linkedinId) rec.customFields.set(ident.linkedinFieldId, linkedinUrl(p.linkedinId));
    if (i % 4 === 0) rec.assignedTo = main.userIds[i % 3];
    recs.push(rec);
    contactOf.set(p.key, rec.id);
    if (p.ghlDuplicateKey) {
      const dup = blankContact(
        id20(seed, `contact:${p.key}:${p.ghlDuplicateKey}`),
        main.id,
        Math.min(added + DAY, latest),
        Math.max(updated, Math.min(added + DAY, latest)),
      );
      Object.assign(dup, {
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        phone: p.phone,
        country: 'AU',
      });
      if (!p.email) delete dup.email;
      if (!p.phone) delete dup.phone;
      recs.push(dup);
    }
    if (i % 11 === 0) {
      const start = Math.floor(added / DAY) * DAY + 3 * DAY + 23 * 3_600_000; // 10:00 in Melbourne (AEDT)
      store.addEvent({
        id: id20(seed, `appointment:${p.key}`),
        // Spread over the location's calendars (GET /calendars/, routes-calendars.ts).
        calendarId: calendarIds(seed, main.id)[(i / 11) % SANDBOX_CALENDARS.length]!,
        contactId: rec.id,
        locationId: main.id,
        title: `Site visit — ${p.firstName} ${p.lastName}`,
        status: 'booked',
        assignedUserId: main.userIds[0]!,
        notes: 'Seeded appointment',
        address: b?.address.line1,
        startTime: start,
        endTime: start + 3_600_000,
        users: [main.userIds[0]!],
        dateAdded: added,
        dateUpdated: added,
      });
    }
  });

  ['Mia Thompson', 'Oliver Chen', 'Aroha Ngata'].forEach((full, n) => {
    const [firstName, lastName] = full.split(' ') as [string, string];
    const added = created + n * DAY;
    const rec = blankContact(id20(seed, `other-contact:${n}`), other.id, added, added);
    Object.assign(rec, {
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@geelong.example.com.au`,
      country: 'AU',
    });
    recs.push(rec);
  });

  store.loadContacts(recs);

  for (const t of world.tasks) {
    const contactId = t.system === 'ghl' ? contactOf.get(t.personKey) : undefined;
    if (!contactId) continue;
    store.createTask(
      contactId,
      { title: t.title, body: t.body, dueDate: `${t.dueDate}T00:00:00.000Z`, completed: t.completed },
      id20(seed, `task:${t.key}`),
    );
  }
  for (const n of world.notes) {
    const contactId = n.system === 'ghl' ? contactOf.get(n.personKey) : undefined;
    if (!contactId) continue;
    store.createNote(
      contactId,
      { body: n.body, userId: main.userIds[0] },
      { id: id20(seed, `note:${n.key}`), dateAdded: Date.parse(n.createdAt) },
    );
  }
}

/** The id of the n-th extra location (README "Several locations"), derived from the main world's seed. */
export const extraLocationId = (seed: number, n: number): string => id20(seed, `location:extra:${n}`);

/**
 * One more sub-account of the same company with its own records: the people (`in.ghl`), tasks and notes of its own
 * world, under its own ids (derived from the main seed and `n`, so the same worlds give the same ids). No duplicates or
 * appointments: those stay the main location's test material.
 */
export function seedExtraLocation(
  store: GhlStore,
  seed: number,
  world: World,
  ident: GhlIdentity,
  n: number,
  name: string,
): { locationId: string; linkedinFieldId: string } {
  const created = Date.UTC(2024, 0, 15);
  const loc = location(seed, extraLocationId(seed, n), name, ident.companyId, created);
  store.locations.set(loc.id, loc);
  const linkedinFieldId = id20(seed, `custom-field:${loc.id}:linkedin`);
  const key = (what: string) => id20(seed, `extra:${n}:${what}`);
  const contactOf = new Map<string, string>();
  const recs: ContactRec[] = [];
  for (const p of world.people) {
    if (!p.in.ghl) continue;
    const added = Date.parse(p.createdAt);
    const rec = blankContact(key(`contact:${p.key}`), loc.id, added, added);
    rec.firstName = p.firstName;
    rec.lastName = p.lastName;
    if (p.email) rec.email = p.email;
    if (p.phone) rec.phone = p.phone;
    rec.tags = [...p.tags];
    rec.country = 'AU';
    if (p.linkedinId) rec.customFields.set(linkedinFieldId, linkedinUrl(p.linkedinId));
    recs.push(rec);
    contactOf.set(p.key, rec.id);
  }
  store.loadContacts(recs);
  for (const t of world.tasks) {
    const contactId = t.system === 'ghl' ? contactOf.get(t.personKey) : undefined;
    if (!contactId) continue;
    store.createTask(
      contactId,
      { title: t.title, body: t.body, dueDate: `${t.dueDate}T00:00:00.000Z`, completed: t.completed },
      key(`task:${t.key}`),
    );
  }
  for (const note of world.notes) {
    const contactId = note.system === 'ghl' ? contactOf.get(note.personKey) : undefined;
    if (!contactId) continue;
    store.createNote(
      contactId,
      { body: note.body, userId: loc.userIds[0] },
      { id: key(`note:${note.key}`), dateAdded: Date.parse(note.createdAt) },
    );
  }
  return { locationId: loc.id, linkedinFieldId };
}
