/**
 * What the demo does after its first sync so the review can be seen: edits "as a person would", through the
 * sandboxes' own admin HTTP APIs (header x-sandbox-admin, see main/sandbox/{ghl,aroflo}/README.md):
 *  - three linked contacts get a different first name in HighLevel and in AroFlo → three conflicts;
 *  - a new HighLevel contact and two new contacts of a new AroFlo business share an email → a possible duplicate
 *    across systems;
 *  - two new HighLevel contacts share a mobile number → a possible duplicate inside HighLevel;
 * then syncs again. The README's demo section lists exactly this.
 */
import type { Service } from '../service/index.js';
import type { Sandboxes } from '../sandbox/index.js';
import type { RunSummary } from '../../preload/contract.js';

export const REVIEW_CONFLICTS = [
  { ghl: 'Sam', aroflo: 'Samantha' },
  { ghl: 'Alex', aroflo: 'Alexandra' },
  { ghl: 'Jo', aroflo: 'Joanne' },
] as const;
export const CROSS_DUPLICATE = {
  first: 'Robin',
  last: 'Fairweather',
  email: 'robin.fairweather@example.net',
  business: 'Fairweather Plumbing',
} as const;
export const GHL_DUPLICATE = { first: 'Morgan', last: 'Ellery', phone: '+61 400 555 123' } as const;

async function admin(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const origin = new URL(base).origin;
  const res = await fetch(`${origin}/__admin${path}`, {
    method,
    headers: { 'x-sandbox-admin': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`The sandbox admin refused ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Make the edits above, then sync; returns the second run's summary. */
export async function stageReview(svc: Service, boxes: Sandboxes): Promise<RunSummary> {
  const g = { base: boxes.ghl.baseUrl, token: boxes.ghl.adminToken! };
  const a = { base: boxes.aroflo.baseUrl, token: boxes.aroflo.adminToken! };
  const ghl = (m: string, p: string, b?: unknown) => admin(g.base, g.token, m, p, b);
  const aroflo = (m: string, p: string, b?: unknown) => admin(a.base, a.token, m, p, b);

  // 1. Conflicts: the same people edited differently on both sides since the last sync.
  const contacts = (await ghl('GET', '/contacts')).contacts as Array<{
    id: string;
    email?: string | null;
    firstName?: string | null;
  }>;
  const linked = contacts.filter(
    (c) => c.email && c.firstName && svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id)?.state === 'active',
  );
  for (const [i, names] of REVIEW_CONFLICTS.entries()) {
    const c = linked[i * 7];
    const otherId = c && svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id)?.other_id;
    if (!c || !otherId) break;
    const [kind, clientId, userId] = otherId.split(':');
    await ghl('PUT', `/contacts/${encodeURIComponent(c.id)}`, { firstName: names.ghl });
    if (kind === 'contact')
      await aroflo('PATCH', `/contacts/${encodeURIComponent(userId!)}`, { givennames: names.aroflo });
    else {
      const client = (await aroflo('GET', `/clients/${encodeURIComponent(clientId!)}`)) as { surname?: string };
      const surname = client.surname ?? '';
      await aroflo('PATCH', `/clients/${encodeURIComponent(clientId!)}`, {
        firstname: names.aroflo,
        clientname: `${names.aroflo} ${surname}`.trim(),
      });
    }
  }

  // 2. A possible duplicate across systems: a new HighLevel contact, and two new contacts of an AroFlo business with
  //    the same email — which one is the same person is for a person to say.
  const d = CROSS_DUPLICATE;
  await ghl('POST', '/contacts', { firstName: d.first, lastName: d.last, email: d.email });
  const biz = (await aroflo('POST', '/clients', { clientname: d.business })) as { clientid?: string; id?: string };
  const bizId = encodeURIComponent(String(biz.clientid ?? biz.id));
  await aroflo('POST', `/clients/${bizId}/contacts`, {
    givennames: d.first,
    surname: d.last,
    email: d.email,
    mobile: '0400 111 222',
  });
  await aroflo('POST', `/clients/${bizId}/contacts`, {
    givennames: d.first,
    surname: `${d.last}-Lowe`,
    email: d.email,
  });

  // 3. A possible duplicate inside HighLevel: two new contacts, one mobile number.
  const t = GHL_DUPLICATE;
  await ghl('POST', '/contacts', { firstName: t.first, lastName: t.last, phone: t.phone });
  await ghl('POST', '/contacts', { firstName: t.first, lastName: `${t.last}-Hart`, phone: t.phone.replace(/\s/g, '') });

  return svc.sync.runNow({ trigger: 'cli', dryRun: false });
}
