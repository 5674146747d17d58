/**
 * Aimfox sandbox: workspace labels, labels on leads, lead notes — through the API and through the admin
 * (a person editing in the Aimfox UI), over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LABEL_COLORS,
  startAimfoxSandbox,
  type AimfoxAdmin,
  type AimfoxCredentials,
  type AimfoxLeadJson,
} from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;
let clock = Date.parse('2026-11-05T10:00:00.000Z');

async function api(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${sb.credentials.apiKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sb.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function adminHttp(method: string, path: string, body?: unknown, token = sb.adminToken) {
  const headers: Record<string, string> = {};
  if (token) headers['x-sandbox-admin'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const origin = sb.baseUrl.replace(/\/api\/v2$/, '');
  const res = await fetch(`${origin}/__admin${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const someLead = (): AimfoxLeadJson => sb.admin.listLeads()[0]!;
const otherLead = (): AimfoxLeadJson => sb.admin.listLeads()[1]!;

beforeAll(async () => {
  sb = await startAimfoxSandbox({
    world: generateWorld({ contacts: 120, seed: 8 }),
    rateLimits: 'off',
    admin: true,
    now: () => clock,
  });
});
beforeEach(() => sb.reset());
afterAll(() => sb.close());

describe('Aimfox sandbox: workspace labels', () => {
  it('creates a label with 201 and lists it with a count', async () => {
    const r = await api('POST', '/labels', { name: 'GHL synced', color: 'info' });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('ok');
    expect(r.body.label).toMatchObject({ name: 'GHL synced', color: 'info', agency_id: expect.any(String) });
    expect(r.body.label.id).toMatch(/^[0-9a-f-]{36}$/);
    const list = (await api('GET', '/labels')).body.labels as Array<{ id: string; count: number }>;
    expect(list.find((l) => l.id === r.body.label.id)).toMatchObject({ count: 0 });
  });

  it('takes only the documented colors', async () => {
    for (const color of LABEL_COLORS)
      expect((await api('POST', '/labels', { name: `c-${color}`, color })).status).toBe(201);
    const bad = await api('POST', '/labels', { name: 'red one', color: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ data: 'ValidationError' });
    expect(bad.body.error.message).toContain('color');
    expect((await api('POST', '/labels', { name: 'no color' })).status).toBe(400);
    expect((await api('POST', '/labels', { name: '', color: 'info' })).status).toBe(400);
  });

  it('refuses a second label with the same name', async () => {
    expect((await api('POST', '/labels', { name: 'Partner', color: 'info' })).status).toBe(201);
    const twin = await api('POST', '/labels', { name: 'partner', color: 'success' });
    expect(twin.status).toBe(400);
    expect(
      (await api('GET', '/labels')).body.labels.filter((l: { name: string }) => l.name.toLowerCase() === 'partner'),
    ).toHaveLength(1);
  });

  it('renames and recolors with PATCH (200) and deletes (200), removing it from every lead', async () => {
    const label = (await api('POST', '/labels', { name: 'Temp', color: 'yellow' })).body.label;
    const lead = someLead();
    await api('POST', `/leads/${lead.id}/labels/${label.id}`);
    const patched = await api('PATCH', `/labels/${label.id}`, { name: 'Temporary', color: 'danger' });
    expect(patched.status).toBe(200);
    expect(patched.body.label).toMatchObject({ id: label.id, name: 'Temporary', color: 'danger' });
    expect(
      (await api('GET', `/leads/${lead.id}`)).body.lead.labels.find((l: { id: string }) => l.id === label.id),
    ).toMatchObject({ name: 'Temporary' });
    expect((await api('DELETE', `/labels/${label.id}`)).body).toEqual({ status: 'ok' });
    expect((await api('GET', `/leads/${lead.id}`)).body.lead.labels.map((l: { id: string }) => l.id)).not.toContain(
      label.id,
    );
    expect((await api('PATCH', `/labels/${label.id}`, { name: 'x' })).status).toBe(404);
  });
});

describe('Aimfox sandbox: labels on leads', () => {
  it('attaches with 201 (idempotently) and detaches with 200', async () => {
    const label = (await api('POST', '/labels', { name: 'Hot', color: 'danger' })).body.label;
    const lead = someLead();
    const add = await api('POST', `/leads/${lead.id}/labels/${label.id}`);
    expect(add.status).toBe(201);
    expect(add.body).toEqual({ status: 'ok' });
    expect((await api('POST', `/leads/${lead.id}/labels/${label.id}`)).status).toBe(201);
    const labels = (await api('GET', `/leads/${lead.id}`)).body.lead.labels as Array<{
      id: string;
      name: string;
      color: string;
    }>;
    expect(labels.filter((l) => l.id === label.id)).toEqual([
      expect.objectContaining({ id: label.id, name: 'Hot', color: 'danger' }),
    ]);
    expect((await api('GET', '/labels')).body.labels.find((l: { id: string }) => l.id === label.id).count).toBe(1);
    const del = await api('DELETE', `/leads/${lead.id}/labels/${label.id}`);
    expect(del.status).toBe(200);
    expect((await api('GET', `/leads/${lead.id}`)).body.lead.labels.map((l: { id: string }) => l.id)).not.toContain(
      label.id,
    );
  });

  it('answers an unknown label with 404 and a non-numeric lead id with 400', async () => {
    const lead = someLead();
    expect((await api('POST', `/leads/${lead.id}/labels/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const label = (await api('POST', '/labels', { name: 'Z', color: 'info' })).body.label;
    expect((await api('POST', `/leads/abc/labels/${label.id}`)).body.error).toMatchObject({
      code: 400,
      data: 'ValidationError',
    });
  });
});

describe('Aimfox sandbox: lead notes', () => {
  it('creates with 201, lists, edits keeping created_at (no updated_at), and deletes', async () => {
    const lead = someLead();
    const before = (await api('GET', `/leads/${lead.id}/notes`)).body.notes as unknown[];
    const created = await api('POST', `/leads/${lead.id}/notes`, { text: 'Called, wants a quote' });
    expect(created.status).toBe(201);
    const note = created.body.note;
    expect(note).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      text: 'Called, wants a quote',
      created_at: '2026-11-05T10:00:00.000Z',
    });

    const list = (await api('GET', `/leads/${lead.id}/notes`)).body.notes;
    expect(list).toHaveLength(before.length + 1);
    expect(list).toContainEqual(note);

    clock += 3_600_000;
    const edited = await api('PATCH', `/leads/${lead.id}/notes/${note.id}`, { text: 'Quote sent' });
    expect(edited.status).toBe(200);
    expect(edited.body.note).toEqual({ id: note.id, text: 'Quote sent', created_at: '2026-11-05T10:00:00.000Z' });
    expect((await api('GET', `/leads/${lead.id}`)).body.lead.notes).toContainEqual(edited.body.note);

    expect((await api('DELETE', `/leads/${lead.id}/notes/${note.id}`)).body).toEqual({ status: 'ok' });
    expect((await api('GET', `/leads/${lead.id}/notes`)).body.notes).toHaveLength(before.length);
  });

  it("refuses empty text and another lead's note", async () => {
    const lead = someLead();
    expect((await api('POST', `/leads/${lead.id}/notes`, { text: '' })).status).toBe(400);
    expect((await api('POST', `/leads/${lead.id}/notes`, {})).body.error.message).toContain('text');
    const note = (await api('POST', `/leads/${lead.id}/notes`, { text: 'mine' })).body.note;
    expect((await api('PATCH', `/leads/${otherLead().id}/notes/${note.id}`, { text: 'hijack' })).status).toBe(404);
    expect((await api('DELETE', `/leads/${otherLead().id}/notes/${note.id}`)).status).toBe(404);
    expect((await api('GET', `/leads/${lead.id}/notes`)).body.notes).toContainEqual(note);
  });
});

describe('Aimfox sandbox: edits made in the Aimfox UI (admin)', () => {
  it('shows notes and labels edited in-process through the API', async () => {
    const lead = someLead();
    const label = sb.admin.createLabel('From UI', 'success');
    sb.admin.addLabel(lead.id, label.id);
    const note = sb.admin.addNote(lead.id, 'Typed in the UI');
    const seen = (await api('GET', `/leads/${lead.id}`)).body.lead;
    expect(seen.labels.map((l: { id: string }) => l.id)).toContain(label.id);
    expect(seen.notes).toContainEqual(note);
    sb.admin.editNote(lead.id, note.id, 'Edited in the UI');
    expect((await api('GET', `/leads/${lead.id}/notes`)).body.notes).toContainEqual({
      ...note,
      text: 'Edited in the UI',
    });
  });

  it('does the same over /__admin with the admin token, and refuses without it', async () => {
    const lead = someLead();
    expect((await adminHttp('GET', '/leads', undefined, '')).status).toBe(401);
    expect((await adminHttp('GET', '/leads', undefined, 'wrong-token')).status).toBe(401);
    const label = (await adminHttp('POST', '/labels', { name: 'Admin label', color: 'info' })).body.label;
    expect((await adminHttp('POST', `/leads/${lead.id}/labels/${label.id}`)).status).toBe(200);
    const note = (await adminHttp('POST', `/leads/${lead.id}/notes`, { text: 'Admin note' })).body.note;
    const seen = (await api('GET', `/leads/${lead.id}`)).body.lead;
    expect(seen.labels.map((l: { id: string }) => l.id)).toContain(label.id);
    expect(seen.notes).toContainEqual(note);
    await adminHttp('DELETE', `/leads/${lead.id}/notes/${note.id}`);
    await adminHttp('DELETE', `/leads/${lead.id}/labels/${label.id}`);
    const after = (await api('GET', `/leads/${lead.id}`)).body.lead;
    expect(after.notes).not.toContainEqual(note);
    expect(after.labels.map((l: { id: string }) => l.id)).not.toContain(label.id);
    const fetched = (await adminHttp('GET', `/leads/${lead.id}`)).body.lead;
    expect(fetched).toEqual(after);
  });

  it('forgets every edit on reset', async () => {
    const lead = someLead();
    const notesBefore = lead.notes;
    await api('POST', `/leads/${lead.id}/notes`, { text: 'temporary' });
    await api('POST', '/labels', { name: 'temporary', color: 'info' });
    sb.reset();
    expect(sb.admin.getLead(lead.id)?.notes).toEqual(notesBefore);
    expect(sb.admin.listLabels().map((l) => l.name)).not.toContain('temporary');
  });
});
