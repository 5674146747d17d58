/**
 * "1 % of records changed on each side", made the way people make them: through each system's own UI (the
 * sandboxes' admin API), on records that are linked, different records on each side (so no conflicts).
 */
import type { Store } from '../../main/store/repositories.js';
import type { Admin } from './admin.js';

export interface EditCounts {
  ghlContacts: number;
  ghlTags: number;
  ghlTasks: number;
  arofloPeople: number;
  arofloTasks: number;
  /** Distinct GHL contacts whose own record changed (what GHL's change feed can show). */
  ghlContactsTouched: string[];
  /** Distinct AroFlo clients changed (a contact's change shows as its client's). */
  arofloClientsTouched: string[];
}

/** Every 100th linked record, from an offset (different offsets per side keep the sides apart). */
const e = encodeURIComponent;
const every100 = <T>(xs: T[], offset: number): T[] => xs.filter((_, i) => i % 100 === offset % 100);

export async function editOnePercent(admin: Admin, store: Store, round = 1): Promise<EditCounts> {
  const contacts = store.links.active('ghl-aroflo', 'contact').sort((a, b) => a.id - b.id);
  const tasks = store.links.active('ghl-aroflo', 'task').sort((a, b) => a.id - b.id);
  const leads = store.links.active('ghl-aimfox', 'lead').sort((a, b) => a.id - b.id);
  const ghlTouched = new Set<string>();
  const arofloTouched = new Set<string>();

  // HighLevel side: names, tags (→ Aimfox labels), task completion.
  const gContacts = every100(contacts, 0).filter((l) => l.ghl_id);
  for (const l of gContacts) {
    const { contact } = await admin.call<{ contact: { lastName?: string } }>('ghl', 'GET', `/contacts/${e(l.ghl_id!)}`);
    await admin.call('ghl', 'PUT', `/contacts/${e(l.ghl_id!)}`, {
      lastName: `${contact.lastName ?? ''} Edit${round}`.trim(),
    });
    ghlTouched.add(l.ghl_id!);
  }
  const gLeads = every100(leads, 33).filter((l) => l.ghl_id);
  for (const l of gLeads) {
    const { contact } = await admin.call<{ contact: { tags: string[] } }>('ghl', 'GET', `/contacts/${e(l.ghl_id!)}`);
    await admin.call('ghl', 'PUT', `/contacts/${e(l.ghl_id!)}/tags`, { tags: [...contact.tags, `bench-${round}`] });
    ghlTouched.add(l.ghl_id!);
  }
  const gTasks = every100(tasks, 0).filter((l) => l.ghl_id?.includes('/'));
  for (const l of gTasks) {
    const [cid, tid] = l.ghl_id!.split('/') as [string, string];
    const { task } = await admin.call<{ task: { completed: boolean } }>(
      'ghl',
      'GET',
      `/contacts/${e(cid)}/tasks/${e(tid)}`,
    );
    await admin.call('ghl', 'POST', `/contacts/${e(cid)}/tasks/${e(tid)}/complete`, { completed: !task.completed });
  }

  // AroFlo side: people's surnames, task status.
  const aPeople = every100(contacts, 50).filter((l) => l.other_id);
  for (const l of aPeople) {
    const [kind, a, b] = l.other_id!.split(':') as [string, string, string | undefined];
    if (kind === 'client') {
      const c = await admin.call<{ surname: string }>('aroflo', 'GET', `/clients/${e(a)}`);
      await admin.call('aroflo', 'PATCH', `/clients/${e(a)}`, { surname: `${c.surname} Edit${round}`.slice(0, 50) });
    } else {
      const c = await admin.call<{ surname: string }>('aroflo', 'GET', `/contacts/${e(b!)}`);
      await admin.call('aroflo', 'PATCH', `/contacts/${e(b!)}`, { surname: `${c.surname} Edit${round}`.slice(0, 50) });
    }
    arofloTouched.add(a);
  }
  const aTasks = every100(tasks, 50).filter((l) => l.other_id);
  for (const l of aTasks) {
    const t = await admin.call<{ status: string }>('aroflo', 'GET', `/tasks/${e(l.other_id!)}`);
    await admin.call('aroflo', 'POST', `/tasks/${e(l.other_id!)}/status`, {
      status: t.status === 'Completed' ? 'In Progress' : 'Completed',
    });
  }
  return {
    ghlContacts: gContacts.length,
    ghlTags: gLeads.length,
    ghlTasks: gTasks.length,
    arofloPeople: aPeople.length,
    arofloTasks: aTasks.length,
    ghlContactsTouched: [...ghlTouched],
    arofloClientsTouched: [...arofloTouched],
  };
}
