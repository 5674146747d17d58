/**
 * `ghl-bridge smoke`: every call the bridge makes, once, against the accounts the person connected, and how each
 * answer compares with what the bridge was built and tested against (README "Before you switch sync on for real").
 *
 * - HighLevel: each answer (raw JSON, through the client's own transport: same headers, pacing and retries) is
 *   compared with its shape pin in main/smoke/pins/ghl.ts — the same pins the sandbox tests use.
 * - AroFlo and Aimfox: through the connectors, whose schemas check every record (connector READMEs); a record that
 *   does not fit is reported with the names of the fields that differ.
 * Read-only unless `write` is set; then one clearly labelled test contact, task and note (and an Aimfox note and
 * label) make a round trip and are removed again. AroFlo has no delete: its test task is archived and the test
 * client ("GHL Bridge smoke test") is reused on later runs; the report says so. Aimfox audience writes are never
 * tried: adding a profile to a campaign starts outreach to a real person.
 * The report holds call names, statuses, counts, field paths and issue kinds — never tokens, names, emails, ids or any
 * other value a record held. Every test record carries the marker in ./marker.ts, which the sync skips.
 */
import type { AimfoxClient } from '../connectors/aimfox/index.js';
import type { ArofloClient } from '../connectors/aroflo/index.js';
import { Where } from '../connectors/aroflo/index.js';
import type { GhlClient } from '../connectors/ghl/index.js';
import { isConnectorError } from '../connectors/shared/errors.js';
import type { FieldIssue } from '../connectors/shared/issues.js';
import { GHL_PINS, GHL_RATE_HEADERS, type GhlPinName } from './pins/ghl.js';
import { SMOKE_EMAIL_PREFIX, SMOKE_LABEL, SMOKE_TAG } from './marker.js';
import { checkPin } from './shape.js';

export type SmokeSystem = 'ghl' | 'aroflo' | 'aimfox';
export type SmokeOutcome = 'ok' | 'differs' | 'failed' | 'skipped';

export interface SmokeStep {
  system: SmokeSystem;
  call: string;
  outcome: SmokeOutcome;
  status?: number | string;
  /** What the answer was compared with. */
  evidence?: string;
  /** Differences (field paths and types), the error kind, or why the step was skipped. */
  details: string[];
}

export interface SmokeReport {
  startedAt: string;
  write: boolean;
  steps: SmokeStep[];
  /** Test records a person may want to tidy up by hand. */
  leftBehind: string[];
  counts: Record<SmokeOutcome, number>;
}

export interface SmokeOptions {
  ghl?: GhlClient;
  aroflo?: ArofloClient;
  aimfox?: AimfoxClient;
  write?: boolean;
  now?: () => number;
}

const DAY_MS = 86_400_000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function errorDetails(e: unknown): { status?: number | string; details: string[] } {
  if (isConnectorError(e))
    return { status: e.status, details: [`${e.kind}${e.status !== undefined ? ` (${e.status})` : ''}`] };
  return { details: [`error: ${(e as Error)?.name ?? 'unknown'}`] };
}

class Recorder {
  readonly steps: SmokeStep[] = [];
  readonly leftBehind: string[] = [];

  add(step: SmokeStep): void {
    this.steps.push(step);
  }

  skip(system: SmokeSystem, call: string, why: string): void {
    this.add({ system, call, outcome: 'skipped', details: [why] });
  }

  /** A connector call returning `{ items, rejected }`: records that do not fit are differences. */
  /** A write returning one outcome per record (AroFlo): anything but `ok` fails the step. */
  outcome(r: Array<{ status: string; error?: unknown }>): string[] {
    const first = r[0];
    if (!first) return ['no outcome'];
    return [first.status, ...(first.error ? errorDetails(first.error).details : [])];
  }

  async listing<T>(
    system: SmokeSystem,
    call: string,
    fn: () => Promise<{ items: T[]; rejected: Array<{ issues?: FieldIssue[] }> }>,
  ): Promise<T[] | undefined> {
    try {
      const r = await fn();
      // Only the field path and the kind of issue (connectors/shared/issues.ts): a rejection's `reason` may quote the
      // value it could not read (a name, an email), so it never reaches the report.
      const issues = [
        ...new Set(
          r.rejected.flatMap((x) =>
            x.issues?.length ? x.issues.map((i) => `${i.path}: ${i.kind}`) : ['(no field paths given)'],
          ),
        ),
      ].slice(0, 20);
      this.add({
        system,
        call,
        outcome: r.rejected.length ? 'differs' : 'ok',
        evidence: 'connector schema',
        details: [
          `${r.items.length} read`,
          ...(r.rejected.length ? [`${r.rejected.length} did not fit: ${issues.join('; ')}`] : []),
        ],
      });
      return r.items;
    } catch (e) {
      this.add({ system, call, outcome: 'failed', ...errorDetails(e) });
      return undefined;
    }
  }

  /** A connector call whose answer the connector validates as a whole (a bad shape throws `malformed`). */
  async single<T>(
    system: SmokeSystem,
    call: string,
    fn: () => Promise<T>,
    describe: (r: T) => string[] = () => [],
    failed: (r: T) => boolean = () => false,
  ): Promise<T | undefined> {
    try {
      const r = await fn();
      this.add({
        system,
        call,
        outcome: failed(r) ? 'failed' : 'ok',
        evidence: 'connector schema',
        details: describe(r),
      });
      return r;
    } catch (e) {
      const d = errorDetails(e);
      this.add({ system, call, outcome: isConnectorError(e) && e.kind === 'malformed' ? 'differs' : 'failed', ...d });
      return undefined;
    }
  }
}

// ---------------------------------------------------------------- HighLevel

async function smokeGhl(ghl: GhlClient, rec: Recorder, write: boolean, stamp: string): Promise<void> {
  const loc = ghl.locationId;
  const enc = encodeURIComponent;
  let headersChecked = false;
  const call = async (
    pin: GhlPinName,
    req: {
      method: 'GET' | 'POST' | 'PUT' | 'DELETE';
      path: string;
      searchParams?: Record<string, string | number | undefined>;
      json?: unknown;
    },
  ): Promise<Json | undefined> => {
    const p = GHL_PINS[pin];
    try {
      const res = await ghl.transport.http.send({
        ...req,
        operation: p.call,
        idempotent: req.method !== 'POST' || pin === 'searchContacts' || pin === 'searchTasks' || pin === 'addTags',
      });
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        rec.add({
          system: 'ghl',
          call: p.call,
          outcome: 'differs',
          status: res.status,
          evidence: p.evidence,
          details: ['the answer is not JSON'],
        });
        return undefined;
      }
      const diffs = checkPin(p, res.status, body);
      rec.add({
        system: 'ghl',
        call: p.call,
        outcome: diffs.length ? 'differs' : 'ok',
        status: res.status,
        evidence: p.evidence,
        details: diffs,
      });
      if (!headersChecked) {
        headersChecked = true;
        const missing = GHL_RATE_HEADERS.names.filter((h) => !/^\d+$/.test(String(res.headers[h] ?? '')));
        rec.add({
          system: 'ghl',
          call: 'X-RateLimit-* headers',
          outcome: missing.length ? 'differs' : 'ok',
          evidence: GHL_RATE_HEADERS.evidence,
          details: missing.map((h) => `${h}: missing or not a number`),
        });
      }
      return obj(body);
    } catch (e) {
      rec.add({ system: 'ghl', call: p.call, outcome: 'failed', evidence: p.evidence, ...errorDetails(e) });
      return undefined;
    }
  };

  await call('listCustomFields', { method: 'GET', path: `/locations/${enc(loc)}/customFields` });
  const page = await call('searchContacts', {
    method: 'POST',
    path: '/contacts/search',
    json: { locationId: loc, pageLimit: 20, sort: [{ field: 'dateUpdated', direction: 'desc' }] },
  });
  const items = arr(page?.contacts).map(obj);
  const someone = items[0];
  const withEmail = items.find((c) => str(c.email));
  const withBusiness = items.find((c) => str(c.businessId));
  await call('listContactsDeprecated', {
    method: 'GET',
    path: '/contacts/',
    searchParams: { locationId: loc, limit: 1 },
  });
  await call('searchTasks', {
    method: 'POST',
    path: `/locations/${enc(loc)}/tasks/search`,
    json: { limit: 5, skip: 0 },
  });
  await call('findDuplicate', {
    method: 'GET',
    path: '/contacts/search/duplicate',
    searchParams: { locationId: loc, email: str(withEmail?.email) ?? `nobody-${stamp}@example.com` },
  });
  if (withBusiness)
    await call('businessContacts', {
      method: 'GET',
      path: `/contacts/business/${enc(str(withBusiness.businessId)!)}`,
      searchParams: { locationId: loc, limit: 1 },
    });
  else rec.skip('ghl', GHL_PINS.businessContacts.call, 'no contact with a business among the 20 most recently updated');

  const id = str(someone?.id);
  if (id) {
    const c = `/contacts/${enc(id)}`;
    await call('getContact', { method: 'GET', path: c });
    const tasks = await call('listTasks', { method: 'GET', path: `${c}/tasks` });
    const notes = await call('listNotes', { method: 'GET', path: `${c}/notes` });
    await call('listAppointments', { method: 'GET', path: `${c}/appointments` });
    const taskId = str(obj(arr(tasks?.tasks)[0]).id);
    const noteId = str(obj(arr(notes?.notes)[0]).id);
    if (taskId && !write) await call('getTask', { method: 'GET', path: `${c}/tasks/${enc(taskId)}` });
    if (noteId && !write) await call('getNote', { method: 'GET', path: `${c}/notes/${enc(noteId)}` });
  } else {
    rec.skip('ghl', GHL_PINS.getContact.call, 'the location has no contacts to read');
  }

  if (!write) {
    for (const pin of [
      'createContact',
      'updateContact',
      'upsertContact',
      'deleteContact',
      'addTags',
      'removeTags',
      'createTask',
      'updateTask',
      'completeTask',
      'deleteTask',
      'createNote',
      'updateNote',
      'deleteNote',
    ] as const) {
      rec.skip('ghl', GHL_PINS[pin].call, 'a write: run with --write');
    }
    return;
  }

  // One round trip on a clearly labelled test contact; deleting it removes its task and note too.
  const email = `${SMOKE_EMAIL_PREFIX}${stamp}@example.com`;
  const name = `${SMOKE_LABEL} ${stamp}`;
  const created = await call('createContact', {
    method: 'POST',
    path: '/contacts/',
    json: { locationId: loc, firstName: 'GHL Bridge', lastName: `smoke test ${stamp}`, email, source: SMOKE_LABEL },
  });
  const testId = str(obj(created?.contact).id);
  if (!testId) {
    rec.skip(
      'ghl',
      'the rest of the HighLevel write round trip',
      created ? "the answer did not hold the test contact's id where the bridge reads it" : 'the create call failed',
    );
    // It may exist all the same (an answer in another shape, or one that was lost): look for it by its own email
    // (unique to this run), delete what is found, and list whatever may be left — search can lag behind a create
    // (main/sandbox/ghl/README.md "Search lag"), so "not found" is listed too, never taken as "not created".
    const found = await call('searchContacts', {
      method: 'POST',
      path: '/contacts/search',
      json: { locationId: loc, pageLimit: 10, filters: [{ field: 'email', operator: 'eq', value: email }] },
    });
    const ids = arr(found?.contacts)
      .map(obj)
      .filter((x) => str(x.email)?.toLowerCase() === email.toLowerCase())
      .map((x) => str(x.id))
      .filter((x): x is string => !!x);
    let deleted = 0;
    for (const id of ids)
      if (await call('deleteContact', { method: 'DELETE', path: `/contacts/${enc(id)}` })) deleted++;
    if (!ids.length || deleted < ids.length)
      rec.leftBehind.push(
        `HighLevel: the contact "${name}" (${email}) may have been created — search HighLevel for ${email} and delete it by hand`,
      );
    return;
  }
  const c = `/contacts/${enc(testId)}`;
  try {
    await call('updateContact', { method: 'PUT', path: c, json: { lastName: `smoke test ${stamp} (updated)` } });
    await call('upsertContact', {
      method: 'POST',
      path: '/contacts/upsert',
      json: { locationId: loc, email, firstName: 'GHL Bridge' },
    });
    await call('findDuplicate', {
      method: 'GET',
      path: '/contacts/search/duplicate',
      searchParams: { locationId: loc, email },
    });
    await call('addTags', { method: 'POST', path: `${c}/tags`, json: { tags: [SMOKE_TAG] } });
    await call('removeTags', { method: 'DELETE', path: `${c}/tags`, json: { tags: [SMOKE_TAG] } });
    const task = await call('createTask', {
      method: 'POST',
      path: `${c}/tasks`,
      json: {
        title: `${SMOKE_LABEL} — safe to delete`,
        dueDate: new Date(Date.parse(stampIso(stamp)) + DAY_MS).toISOString(),
        completed: false,
      },
    });
    const taskId = str(obj(task?.task).id);
    if (taskId) {
      const t = `${c}/tasks/${enc(taskId)}`;
      await call('getTask', { method: 'GET', path: t });
      await call('updateTask', {
        method: 'PUT',
        path: t,
        json: { title: `${SMOKE_LABEL} — safe to delete (updated)` },
      });
      await call('completeTask', { method: 'PUT', path: `${t}/completed`, json: { completed: true } });
      await call('deleteTask', { method: 'DELETE', path: t });
    }
    const note = await call('createNote', {
      method: 'POST',
      path: `${c}/notes`,
      json: { body: `${SMOKE_LABEL} — safe to delete` },
    });
    const noteId = str(obj(note?.note).id);
    if (noteId) {
      const n = `${c}/notes/${enc(noteId)}`;
      await call('getNote', { method: 'GET', path: n });
      await call('updateNote', { method: 'PUT', path: n, json: { body: `${SMOKE_LABEL} — safe to delete (updated)` } });
      await call('deleteNote', { method: 'DELETE', path: n });
    }
  } finally {
    const gone = await call('deleteContact', { method: 'DELETE', path: c });
    if (!gone)
      rec.leftBehind.push(`HighLevel: the contact "${name}" (${email}) could not be deleted — delete it by hand`);
  }
}

const stampIso = (stamp: string): string =>
  `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;

// ---------------------------------------------------------------- AroFlo

async function smokeAroflo(aro: ArofloClient, rec: Recorder, write: boolean, now: number): Promise<void> {
  const W = (r: Array<{ status: string; error?: unknown }>) => rec.outcome(r);
  const notOk = (r: Array<{ status: string }>) => r[0]?.status !== 'ok';
  const since = new Date(now - 30 * DAY_MS);
  await rec.single(
    'aroflo',
    'testConnection (businessunits)',
    () => aro.testConnection(),
    (r) => [`${r.businessUnits.length} business units, ${r.dailyRemaining} counted calls left today`],
  );
  await rec.single(
    'aroflo',
    'lastupdate (changedSince clients)',
    () => aro.changedSince('clients', since),
    (r) => [`${r.items.length} changes in 30 days`],
  );
  const clients = await rec.listing('aroflo', 'clients (listClients, updated in 30 days)', () =>
    aro.listClients({ updatedSince: since, contacts: true }),
  );
  const firstClient = clients?.[0];
  if (firstClient) {
    await rec.single(
      'aroflo',
      'clients (getClient)',
      () => aro.getClient(firstClient.id, { contacts: true }),
      (r) => [r ? 'found' : 'not found'],
    );
    await rec.listing('aroflo', 'clients (getClients)', () => aro.getClients([firstClient.id], { contacts: true }));
  } else rec.skip('aroflo', 'clients (getClient, getClients)', 'no client changed in the last 30 days');
  const tasks = await rec.listing('aroflo', 'tasks (listTasks with notes, updated in 30 days)', () =>
    aro.listTasks({ updatedSince: since, notes: true }),
  );
  const firstTask = tasks?.[0];
  if (firstTask) await rec.listing('aroflo', 'tasks (getTasks)', () => aro.getTasks([firstTask.id], { notes: true }));
  else rec.skip('aroflo', 'tasks (getTasks)', 'no task changed in the last 30 days');
  await rec.listing('aroflo', 'clientnotes (created in 30 days)', () => aro.listClientNotes({ createdSince: since }));
  const units = await rec.listing('aroflo', 'businessunits', () => aro.listBusinessUnits());
  const types = await rec.listing('aroflo', 'tasktypes', () => aro.listTaskTypes());

  if (!write) {
    rec.skip('aroflo', 'client, client note and task writes', 'writes: run with --write');
    return;
  }
  // AroFlo has no delete: one test client, found again by name on later runs; its test task is archived.
  const existing = await rec.listing('aroflo', 'clients (find the test client by name)', () =>
    aro.listClients({ where: Where.and('clientname', '=', SMOKE_LABEL) }),
  );
  let clientId = existing?.[0]?.id;
  if (!clientId) {
    const out = await rec.single(
      'aroflo',
      'clients (insertClients)',
      () => aro.insertClients([{ name: SMOKE_LABEL, firstName: 'GHL Bridge', surname: 'Smoke test' }]),
      W,
      notOk,
    );
    clientId = out?.[0]?.status === 'ok' ? out[0].id : undefined;
  }
  if (!clientId) return;
  rec.leftBehind.push(
    `AroFlo: the client "${SMOKE_LABEL}" (AroFlo cannot delete through its API; archive it by hand if you like, later runs reuse it)`,
  );
  await rec.single(
    'aroflo',
    'clients (updateClients)',
    () => aro.updateClients([{ id: clientId!, website: 'https://example.com/ghl-bridge-smoke-test' }]),
    W,
    notOk,
  );
  const note = await rec.single(
    'aroflo',
    'clientnotes (insertClientNotes)',
    () => aro.insertClientNotes([{ clientId: clientId!, content: `${SMOKE_LABEL} — safe to delete` }]),
    W,
    notOk,
  );
  const noteId = note?.[0]?.status === 'ok' ? note[0].id : undefined;
  if (noteId)
    await rec.single(
      'aroflo',
      'clientnotes (updateClientNotes)',
      () => aro.updateClientNotes([{ id: noteId, content: `${SMOKE_LABEL} — safe to delete (updated)` }]),
      W,
      notOk,
    );
  const unit = units?.[0];
  const type = types?.[0];
  if (!unit || !type) {
    rec.skip('aroflo', 'tasks (insertTasks, updateTasks)', 'no business unit or task type to create a task with');
    return;
  }
  const due = new Date(now + DAY_MS).toISOString().slice(0, 10);
  const task = await rec.single(
    'aroflo',
    'tasks (insertTasks)',
    () =>
      aro.insertTasks([
        {
          clientId: clientId!,
          businessUnitId: unit.id,
          taskTypeId: type.id,
          name: `${SMOKE_LABEL} — safe to delete`,
          dueDate: due,
        },
      ]),
    W,
    notOk,
  );
  const taskId = task?.[0]?.status === 'ok' ? task[0].id : undefined;
  if (taskId) {
    await rec.single(
      'aroflo',
      'tasks (updateTasks: add a note)',
      () => aro.updateTasks([{ id: taskId, notes: [{ content: `${SMOKE_LABEL} — safe to delete` }] }]),
      W,
      notOk,
    );
    const read = await rec.listing('aroflo', 'tasks (getTasks with notes)', () =>
      aro.getTasks([taskId], { notes: true }),
    );
    const taskNoteId = read?.[0]?.notes?.[0]?.id;
    if (taskNoteId)
      await rec.single(
        'aroflo',
        'task notes (updateTaskNotes)',
        () =>
          aro.updateTaskNotes([{ taskId, noteId: taskNoteId, content: `${SMOKE_LABEL} — safe to delete (updated)` }]),
        W,
        notOk,
      );
    else rec.skip('aroflo', 'task notes (updateTaskNotes)', 'the test task shows no note to update');
    const archived = await rec.single(
      'aroflo',
      'tasks (updateTasks: archive)',
      () => aro.updateTasks([{ id: taskId, status: 'archived' }]),
      W,
      notOk,
    );
    if (archived?.[0]?.status !== 'ok')
      rec.leftBehind.push(
        `AroFlo: the task "${SMOKE_LABEL} — safe to delete" could not be archived — archive it by hand`,
      );
  }
}

// ---------------------------------------------------------------- Aimfox

async function smokeAimfox(aim: AimfoxClient, rec: Recorder, write: boolean, stamp: string): Promise<void> {
  await rec.single(
    'aimfox',
    'testConnection (accounts)',
    () => aim.testConnection(),
    (r) => (r.ok ? ['signed in'] : errorDetails(r.error).details),
    (r) => !r.ok,
  );
  const campaigns = await rec.listing('aimfox', 'campaigns', () => aim.listCampaigns({ acceptsProfiles: true }));
  const campaign = campaigns?.[0];
  if (campaign) await rec.listing('aimfox', 'campaign audience (getAudience)', () => aim.getAudience(campaign.id));
  else rec.skip('aimfox', 'campaign audience (getAudience)', 'no campaign that accepts profiles');
  const leads = await rec.listing('aimfox', 'leads (search, first page)', () =>
    aim.collectLeads({}, { pageSize: 20, maxPages: 1 }),
  );
  const lead = leads?.[0];
  await rec.listing('aimfox', 'labels', () => aim.listLabels());
  if (!lead) {
    rec.skip('aimfox', 'lead, notes', 'the workspace has no leads');
    return;
  }
  await rec.single(
    'aimfox',
    'lead (getLead)',
    () => aim.getLead(lead.id),
    () => ['found'],
  );
  await rec.listing('aimfox', 'lead notes', () => aim.listNotes(lead.id));
  if (!write) {
    rec.skip('aimfox', 'note and label writes', 'writes: run with --write');
    return;
  }
  // Never exercised: adding someone to a campaign starts real LinkedIn outreach to that person.
  rec.skip(
    'aimfox',
    'campaign audience (addManyToAudience, removeFromAudience)',
    'not tried: adding a profile to a campaign would contact a real person',
  );
  const note = await rec.single('aimfox', 'lead notes (createNote)', () =>
    aim.createNote(lead.id, `${SMOKE_LABEL} ${stamp} — safe to delete`),
  );
  if (note) {
    await rec.single('aimfox', 'lead notes (updateNote)', () =>
      aim.updateNote(lead.id, note.id, `${SMOKE_LABEL} ${stamp} — safe to delete (updated)`),
    );
    const del = await rec.single('aimfox', 'lead notes (deleteNote)', () => aim.deleteNote(lead.id, note.id));
    if (!del)
      rec.leftBehind.push(
        `Aimfox: a note "${SMOKE_LABEL} ${stamp}" on one lead could not be deleted — delete it by hand`,
      );
  }
  const label = await rec.single('aimfox', 'labels (findOrCreateLabel)', () =>
    aim.findOrCreateLabel(`${SMOKE_TAG}-${stamp}`),
  );
  if (label) {
    await rec.single('aimfox', 'labels (attachLabel)', () => aim.attachLabel(lead.id, label.id));
    await rec.single('aimfox', 'labels (detachLabel)', () => aim.detachLabel(lead.id, label.id));
    const del = await rec.single('aimfox', 'labels (deleteLabel)', () => aim.deleteLabel(label.id));
    if (!del) rec.leftBehind.push(`Aimfox: the label "${SMOKE_TAG}-${stamp}" could not be deleted — delete it by hand`);
  }
}

// ---------------------------------------------------------------- run and report

export async function runSmoke(opts: SmokeOptions): Promise<SmokeReport> {
  const now = (opts.now ?? Date.now)();
  const startedAt = new Date(now).toISOString();
  const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const rec = new Recorder();
  const write = opts.write ?? false;
  if (opts.ghl) await smokeGhl(opts.ghl, rec, write, stamp);
  else rec.skip('ghl', 'HighLevel', 'not connected (ghl-bridge login ghl)');
  if (opts.aroflo) await smokeAroflo(opts.aroflo, rec, write, now);
  else rec.skip('aroflo', 'AroFlo', 'not connected (ghl-bridge login aroflo)');
  if (opts.aimfox) await smokeAimfox(opts.aimfox, rec, write, stamp);
  else rec.skip('aimfox', 'Aimfox', 'not connected (ghl-bridge login aimfox)');
  const counts: Record<SmokeOutcome, number> = { ok: 0, differs: 0, failed: 0, skipped: 0 };
  for (const s of rec.steps) counts[s.outcome]++;
  return { startedAt, write, steps: rec.steps, leftBehind: rec.leftBehind, counts };
}

const SYSTEM_NAME: Record<SmokeSystem, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };
const MARK: Record<SmokeOutcome, string> = { ok: 'ok     ', differs: 'DIFFERS', failed: 'FAILED ', skipped: 'skipped' };

/** The report as text a person can send back (no secrets, no personal data). */
export function formatSmokeReport(r: SmokeReport, version?: string): string {
  const lines = [
    `GHL Bridge smoke test${version ? ` ${version}` : ''} — ${r.startedAt} — ${r.write ? 'reads and one write round trip (--write)' : 'read-only'}`,
    '',
  ];
  for (const system of ['ghl', 'aroflo', 'aimfox'] as const) {
    const steps = r.steps.filter((s) => s.system === system);
    lines.push(SYSTEM_NAME[system]);
    for (const s of steps) {
      const status = s.status !== undefined ? ` [${s.status}]` : '';
      lines.push(`  ${MARK[s.outcome]}  ${s.call}${status}${s.evidence ? `  (compared with: ${s.evidence})` : ''}`);
      for (const d of s.details) lines.push(`           ${d}`);
    }
    lines.push('');
  }
  if (r.leftBehind.length) {
    lines.push('Left behind on purpose or by a failure:');
    for (const l of r.leftBehind) lines.push(`  - ${l}`);
    lines.push('');
  }
  lines.push(
    `Summary: ${r.counts.ok} ok, ${r.counts.differs} differ, ${r.counts.failed} failed, ${r.counts.skipped} skipped.`,
  );
  lines.push(
    r.counts.differs || r.counts.failed
      ? 'Please send this report to your GHL Bridge contact before switching sync on.'
      : 'Every answer looked as expected.',
  );
  lines.push('This report holds call names, statuses, counts and field names only: no tokens, names, emails or ids.');
  return lines.join('\n');
}
