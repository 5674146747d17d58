/**
 * AimfoxClient against the Aimfox sandbox over real HTTP on 127.0.0.1. The sandbox runs its 60-request window
 * time-scaled (x100: 600 ms) and the client is told the same window, so pacing is real but the file is fast.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AimfoxClient, type AimfoxClientOptions } from '../../main/connectors/aimfox/index.js';
import { startAimfoxSandbox, type AimfoxAdmin, type AimfoxCredentials } from '../../main/sandbox/aimfox/index.js';
import type { SandboxHandle } from '../../main/sandbox/types.js';
import { generateWorld } from '../../main/sandbox/world.js';

const SCALE = 100;
let sb: SandboxHandle<AimfoxCredentials, AimfoxAdmin>;

function client(extra: Partial<AimfoxClientOptions> = {}): AimfoxClient {
  return new AimfoxClient({
    baseUrl: sb.baseUrl,
    apiKey: sb.credentials.apiKey,
    limits: { windowMs: 60_000 / SCALE },
    baseDelayMs: 20,
    ...extra,
  });
}

function endpointCount(endpoint: string): number {
  return sb.stats().byEndpoint[endpoint] ?? 0;
}

beforeAll(async () => {
  sb = await startAimfoxSandbox({
    world: generateWorld({ seed: 11, contacts: 150 }),
    port: 0,
    rateLimits: SCALE,
    admin: true,
  });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(() => {
  sb.reset();
});

describe('credential test', () => {
  it('a workspace key: shows the LinkedIn accounts, warns about a logged-out one, reports the allowance', async () => {
    const result = await client().testConnection();
    if (!result.ok) throw new Error(result.message);
    expect(result.workspaceId).toBe(sb.credentials.workspaceId);
    expect(result.accounts.map((a) => a.id)).toContain(sb.credentials.accountId);
    expect(result.accounts.find((a) => a.id === sb.credentials.accountId)?.loggedIn).toBe(true);
    expect(result.title).toContain(sb.credentials.workspaceId);
    const loggedOut = result.accounts.filter((a) => !a.loggedIn);
    expect(result.warnings.length).toBe(loggedOut.length);
    for (const a of loggedOut) expect(result.warnings.join('\n')).toContain(`${a.name} is logged out`);
    expect(result.budget.minuteLimit).toBe(60);
    expect(result.budget.minuteRemaining).toBe(59);
    expect(result.budget.dailyRemaining).toBeNull();
  });

  it('a wrong key: signed_out, telling where to find the right one, after a single request', async () => {
    const result = await client({ apiKey: 'not-a-real-key' }).testConnection();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('signed_out');
    expect(result.message).toMatch(/did not accept the API key.*Workspace Settings → Integrations/);
    expect(sb.stats().requests).toBe(1);
  });

  it('a master key (HTTP 500 on workspace routes): a config error saying to use a workspace key', async () => {
    const result = await client({ apiKey: sb.credentials.masterKey }).testConnection();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('config');
    expect(result.message).toContain('this looks like a master key; use a workspace API key');
  });

  it('no key saved: a config error without any request', async () => {
    const result = await client({ apiKey: () => undefined }).testConnection();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('config');
    expect(sb.stats().requests).toBe(0);
  });
});

describe('campaigns and audience', () => {
  it('lists campaigns, and only those taking profile inserts with acceptsProfiles', async () => {
    const c = client();
    const all = await c.listCampaigns();
    const accepting = await c.listCampaigns({ acceptsProfiles: true });
    expect(all.rejected).toEqual([]);
    expect(accepting.items.map((x) => x.id)).toContain(sb.credentials.campaignId);
    expect(accepting.items.length).toBeLessThan(all.items.length);
    const one = await c.getCampaign(sb.credentials.campaignId);
    expect(one).toMatchObject({ id: sb.credentials.campaignId, state: 'ACTIVE', stateAllowsAdds: true });
  });

  it('adds a profile (ok), reports a profile LinkedIn cannot find (miningFailed) and one already in the audience', async () => {
    const c = client();
    const campaignId = sb.credentials.campaignId;
    sb.admin.setProfile('kate-newperson-42', { exists: true });

    const added = await c.addToAudience(campaignId, 'HTTP://M.LinkedIn.com/in/Kate-NewPerson-42?trk=x');
    expect(added).toEqual({
      outcome: 'added',
      profileUrl: 'https://www.linkedin.com/in/kate-newperson-42/',
      publicIdentifier: 'kate-newperson-42',
    });
    const audience = await c.getAudience(campaignId);
    const entry = audience.items.find((e) => e.publicIdentifier === 'kate-newperson-42');
    expect(entry).toMatchObject({ state: 'init', profileUrl: 'https://www.linkedin.com/in/kate-newperson-42/' });

    const missing = await c.addToAudience(campaignId, 'https://www.linkedin.com/in/nobody-by-this-name-9/');
    expect(missing).toMatchObject({ outcome: 'refused', reason: 'miningFailed', retryLater: false });
    if (missing.outcome === 'refused')
      expect(missing.message).toMatch(
        /could not find the LinkedIn profile https:\/\/www\.linkedin\.com\/in\/nobody-by-this-name-9\//,
      );

    const again = await c.addToAudience(campaignId, 'https://www.linkedin.com/in/kate-newperson-42/');
    expect(again).toMatchObject({ outcome: 'refused', reason: 'alreadyConnected' });
    expect(
      (await c.getAudience(campaignId)).items.filter((e) => e.publicIdentifier === 'kate-newperson-42'),
    ).toHaveLength(1);
  });

  it('an invalid URL is refused locally without a request', async () => {
    const before = sb.stats().requests;
    const r = await client().addToAudience(sb.credentials.campaignId, 'https://www.linkedin.com/company/acme/');
    expect(r).toMatchObject({ outcome: 'invalid' });
    if (r.outcome === 'invalid') expect(r.message).toMatch(/company or school page/);
    expect(sb.stats().requests).toBe(before);
  });

  it('a campaign that takes no profiles is an error for the caller, not a per-profile refusal', async () => {
    const c = client();
    const search = (await c.listCampaigns()).items.find((x) => x.type === 'search');
    if (!search) throw new Error('the sandbox seeds a search campaign');
    sb.admin.setProfile('someone-new-77', { exists: true });
    await expect(c.addToAudience(search.id, 'https://www.linkedin.com/in/someone-new-77/')).rejects.toMatchObject({
      kind: 'rejected',
    });
  });

  it('bulk add: one outcome per input in order, chunked, with mixed outcomes', async () => {
    const c = client({ bulkChunkSize: 2 });
    const campaignId = sb.credentials.campaignId;
    sb.admin.setProfile('amy-bulk-1', { exists: true });
    sb.admin.setProfile('ben-bulk-2', { exists: true });
    sb.admin.setProfile('cat-blocked-3', { exists: true, blocked: true });
    sb.admin.setProfile('dan-already-4', { exists: true });
    expect((await c.addToAudience(campaignId, 'https://www.linkedin.com/in/dan-already-4/')).outcome).toBe('added');
    // Someone at a warm-up step of the running search campaign: locked elsewhere.
    const search = (await c.listCampaigns()).items.find((x) => x.type === 'search' && x.state === 'ACTIVE');
    const busy = (await c.getAudience(search!.id)).items.find((e) =>
      ['init', 'view', 'like', 'endorse'].includes(e.state ?? ''),
    );
    if (!busy) throw new Error('the sandbox seeds leads at warm-up steps in the search campaign');
    sb.resetStats();

    const { outcomes, rejected } = await c.addManyToAudience(campaignId, [
      { profileUrl: 'https://www.linkedin.com/in/amy-bulk-1/', customVariables: { 'first name': 'Amy' } },
      'https://www.linkedin.com/in/ghost-bulk-0/',
      'https://www.linkedin.com/in/cat-blocked-3',
      'https://www.linkedin.com/company/acme/',
      'https://www.linkedin.com/in/dan-already-4/',
      'linkedin.com/in/BEN-BULK-2',
      busy.profileUrl,
      'https://www.linkedin.com/in/amy-bulk-1/?again=1',
    ]);
    expect(rejected).toEqual([]);
    expect(outcomes.map((o) => [o.outcome, 'reason' in o ? o.reason : undefined])).toEqual([
      ['added', undefined],
      ['refused', 'miningFailed'],
      ['refused', 'blocked'],
      ['invalid', undefined],
      ['refused', 'alreadyConnected'],
      ['added', undefined],
      ['refused', 'locked'],
      ['added', undefined],
    ]);
    const locked = outcomes[6];
    expect(locked?.outcome === 'refused' && locked.retryLater).toBe(true);
    expect(outcomes[0]).toMatchObject({ entry: { publicIdentifier: 'amy-bulk-1', state: 'init' } });
    // 6 distinct valid people, 2 per request.
    expect(endpointCount('POST /campaigns/:campaign_id/audience/multiple')).toBe(3);
    const audience = await c.getAudience(campaignId);
    expect(audience.items.map((e) => e.publicIdentifier).sort()).toEqual(['amy-bulk-1', 'ben-bulk-2', 'dan-already-4']);
  });

  it('removes a person by profile URL, and says not_found the second time', async () => {
    const c = client();
    sb.admin.setProfile('eve-remove-5', { exists: true });
    await c.addToAudience(sb.credentials.campaignId, 'https://www.linkedin.com/in/eve-remove-5/');
    expect(await c.removeFromAudience(sb.credentials.campaignId, 'https://www.linkedin.com/in/Eve-Remove-5/')).toBe(
      'removed',
    );
    expect(
      (await c.getAudience(sb.credentials.campaignId)).items.some((e) => e.publicIdentifier === 'eve-remove-5'),
    ).toBe(false);
    expect(await c.removeFromAudience(sb.credentials.campaignId, 'eve-remove-5')).toBe('not_found');
  });
});

describe('leads', () => {
  it('search pages through every lead exactly once, matching the total and the workspace', async () => {
    const c = client();
    const total = await c.leadsTotal();
    const { items, rejected, summary } = await c.collectLeads({}, { pageSize: 7 });
    expect(rejected).toEqual([]);
    expect(summary.stoppedBecause, JSON.stringify({ summary, ids: items.map((l) => l.id), stats: sb.stats() })).toBe(
      'end',
    );
    expect(items).toHaveLength(total.total);
    expect(new Set(items.map((l) => l.id)).size).toBe(items.length);
    expect(items.map((l) => l.id).sort()).toEqual(
      sb.admin
        .listLeads()
        .map((l) => l.id)
        .sort(),
    );
    expect(summary.pages).toBe(Math.ceil(total.total / 7) + 1); // the last, empty page says the end
    // With the total known, no extra empty page is asked for.
    const known = await c.collectLeads({}, { pageSize: 7, total: total.total });
    expect(known.summary).toMatchObject({ stoppedBecause: 'total', pages: Math.ceil(total.total / 7) });
  });

  it('gets one lead with its profile URL, labels and contact details', async () => {
    const c = client();
    const raw = sb.admin.listLeads().find((l) => l.is_lead && l.labels.length > 0 && l.email);
    if (!raw) throw new Error('the sandbox seeds connected, labelled leads with email');
    const lead = await c.getLead(raw.id);
    expect(lead).toMatchObject({
      id: raw.id,
      publicIdentifier: raw.public_identifier,
      profileUrl: `https://www.linkedin.com/in/${raw.public_identifier}/`,
      email: raw.email,
      isLead: true,
    });
    expect(lead.labels.map((l) => l.name).sort()).toEqual(raw.labels.map((l) => l.name).sort());
  });

  it('an unknown lead is not_found naming it; a non-numeric id is refused without a request', async () => {
    const c = client();
    await expect(c.getLead('999999999999')).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('lead 999999999999'),
    });
    const before = sb.stats().requests;
    await expect(c.getLead('abc')).rejects.toMatchObject({ kind: 'rejected' });
    expect(sb.stats().requests).toBe(before);
  });
});

describe('labels', () => {
  it('find-or-create by name creates once, then finds it (any case), without a twin', async () => {
    const c = client();
    const created = await c.findOrCreateLabel('GHL: Hot lead', 'danger');
    expect(created).toMatchObject({ name: 'GHL: Hot lead', color: 'danger' });
    expect(await c.findOrCreateLabel('  ghl: HOT lead ')).toMatchObject({ id: created.id });
    expect(sb.admin.listLabels().filter((l) => l.name.toLowerCase() === 'ghl: hot lead')).toHaveLength(1);
  });

  it('finds a label someone created in Aimfox after the list was cached, instead of creating a twin', async () => {
    const c = client();
    await c.listLabels(); // warms the cache
    const made = sb.admin.createLabel('Made in the app', 'info');
    const found = await c.findOrCreateLabel('made in the app');
    expect(found.id).toBe(made.id);
    expect(sb.admin.listLabels().filter((l) => l.name === 'Made in the app')).toHaveLength(1);
  });

  it('a name Aimfox treats as a twin (same letters, other accents) finds the existing label', async () => {
    const c = client();
    const existing = sb.admin.createLabel('Resume sent', 'info');
    const found = await c.findOrCreateLabel('Résumé sent');
    expect(found.id).toBe(existing.id);
  });

  it('attaches a label to a lead and detaches it', async () => {
    const c = client();
    const lead = sb.admin.listLeads()[0]!;
    const label = await c.findOrCreateLabel('Synced from GHL');
    await c.attachLabel(lead.id, label.id);
    await c.attachLabel(lead.id, label.id); // repeating is harmless
    expect((await c.getLead(lead.id)).labels.map((l) => l.id)).toContain(label.id);
    expect(await c.detachLabel(lead.id, label.id)).toBe('removed');
    expect((await c.getLead(lead.id)).labels.map((l) => l.id)).not.toContain(label.id);
  });

  it('updates and deletes a label', async () => {
    const c = client();
    const label = await c.createLabel('Temp label', 'yellow');
    expect(await c.updateLabel(label.id, { name: 'Renamed label', color: 'success' })).toMatchObject({
      id: label.id,
      name: 'Renamed label',
      color: 'success',
    });
    expect(await c.deleteLabel(label.id)).toBe('removed');
    expect((await c.listLabels()).items.some((l) => l.id === label.id)).toBe(false);
  });
});

describe('notes', () => {
  it('create, list, update, delete; a second delete is not_found', async () => {
    const c = client();
    const lead = sb.admin.listLeads()[1]!;
    const note = await c.createNote(lead.id, 'Called on Tuesday — wants a quote. Zoë, über-keen.');
    expect(note).toMatchObject({ text: 'Called on Tuesday — wants a quote. Zoë, über-keen.' });
    expect(note.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await c.listNotes(lead.id)).items.map((n) => n.id)).toContain(note.id);

    const updated = await c.updateNote(lead.id, note.id, 'Quote sent.');
    expect(updated).toMatchObject({ id: note.id, text: 'Quote sent.' });
    expect(sb.admin.getLead(lead.id)?.notes.find((n) => n.id === note.id)?.text).toBe('Quote sent.');

    expect(await c.deleteNote(lead.id, note.id)).toBe('removed');
    expect((await c.listNotes(lead.id)).items.some((n) => n.id === note.id)).toBe(false);
    expect(await c.deleteNote(lead.id, note.id)).toBe('not_found');
  });

  it('sees a note a person added in the Aimfox app', async () => {
    const lead = sb.admin.listLeads()[2]!;
    const n = sb.admin.addNote(lead.id, 'Added in the app');
    expect((await client().listNotes(lead.id)).items).toContainEqual({
      id: n.id,
      text: 'Added in the app',
      createdAt: n.created_at,
    });
  });
});
