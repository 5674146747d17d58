/**
 * What people type, fuzzed through the bridge API (the same handlers both transports carry): mappings and their
 * filters, credentials, settings and conflict resolutions. Whatever is typed, the answer is either "saved" or a clear
 * error naming the field — never a crash or a generic error — and nothing is saved when it is refused.
 * No network: the connections point at a closed loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairMapping, Settings } from '../../preload/contract.js';
import { defaultMapping, MappingError, validateMapping } from '../../main/sync/engine/mapping.js';
import { BridgeError } from '../../main/service/errors.js';
import { createService, type Service } from '../../main/service/index.js';
import { openSqliteStore } from '../../main/store/sqlite/index.js';

let svc: Service;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ghlb-fuzz-input-'));
  svc = await createService({
    profileDir: dir,
    env: { GHL_BRIDGE_VAULT_KEY: 'fa83e02f367cd9947ac805ce4b869bd5a33bd70ed42797b116eb460093a444f8' },
  });
  svc.connections.setEndpoints({
    ghl: 'http://127.0.0.1:9/',
    aroflo: 'http://127.0.0.1:9/',
    aimfox: 'http://127.0.0.1:9/',
  });
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Strings people paste: empty, blank, odd unicode, control characters, very long. */
const typed = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u200b',
    '\u0000',
    '🙂',
    'null',
    'undefined',
    '<script>alert(1)</script>',
    "Robert'); DROP TABLE links;--",
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);

/** Run a handler: it either answers or refuses with a BridgeError/MappingError; anything else is a crash. */
async function outcome<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    expect(e, `a clear, typed refusal, not ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`).toSatisfy(
      (x: unknown) => x instanceof BridgeError || x instanceof MappingError,
    );
    expect((e as Error).message.length).toBeLessThan(600);
    return { ok: false, error: e as Error };
  }
}

// ---------------------------------------------------------------- mappings and filters

type Mutation = { path: string; apply: (m: PairMapping) => void; names: RegExp };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ v: fc.oneof(fc.integer(), fc.constant(null), fc.constant('sideways')) }).map(({ v }): Mutation => ({
    path: 'entities.0.fields.0.direction',
    apply: (m) => void ((m.entities[0]!.fields[0] as unknown as Record<string, unknown>).direction = v),
    names: /direction/,
  })),
  fc.record({ v: fc.oneof(fc.constant(''), fc.string({ minLength: 101, maxLength: 300 })) }).map(({ v }): Mutation => ({
    path: 'entities.0.fields.0.key',
    apply: (m) => void (m.entities[0]!.fields[0]!.key = v),
    names: /key/,
  })),
  fc.record({ v: fc.oneof(fc.constant('upside_down'), fc.integer()) }).map(({ v }): Mutation => ({
    path: 'transform',
    apply: (m) => void ((m.entities[0]!.fields[0] as unknown as Record<string, unknown>).transform = v),
    names: /transform/,
  })),
  fc
    .record({ v: fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ minLength: 201, maxLength: 400 })) })
    .map(({ v }): Mutation => ({
      path: 'filters.ghlTags',
      apply: (m) => void (m.filters.ghlTags = ['ok', v]),
      names: /filters.*ghlTags/,
    })),
  fc.record({ v: fc.oneof(fc.constant(''), fc.constant(' ')) }).map(({ v }): Mutation => ({
    path: 'filters.arofloBusinessUnits',
    apply: (m) => void (m.filters.arofloBusinessUnits = [v]),
    names: /filters.*arofloBusinessUnits/,
  })),
  fc
    .record({
      v: fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 366 }), fc.double({ min: 0.1, max: 0.9, noNaN: true })),
    })
    .map(({ v }): Mutation => ({
      path: 'noteToTask.dueOffsetDays',
      apply: (m) => void (m.noteToTask = { enabled: true, match: '', titleTemplate: 'Follow up', dueOffsetDays: v }),
      names: /dueOffsetDays/,
    })),
  fc.constant<Mutation>({
    path: 'noteToTask.titleTemplate',
    apply: (m) => void (m.noteToTask = { enabled: true, match: '', titleTemplate: '', dueOffsetDays: 2 }),
    names: /title template/,
  }),
  fc.constant<Mutation>({
    path: 'entities.0.deletePolicy',
    apply: (m) => void ((m.entities[0] as unknown as Record<string, unknown>).deletePolicy = 'shred'),
    names: /deletePolicy/,
  }),
  fc.constant<Mutation>({
    path: 'duplicate field',
    apply: (m) => void m.entities[0]!.fields.push({ ...m.entities[0]!.fields[0]! }),
    names: /appears twice/,
  }),
  fc.constant<Mutation>({
    path: 'status map without values',
    apply: (m) => void (m.entities[1]!.fields.find((f) => f.key === 'completed')!.valueMap = {}),
    names: /value map/,
  }),
);

describe('mappings and filters', () => {
  it('validateMapping refuses each wrong value with a message naming the field', () => {
    fc.assert(
      fc.property(mutation, (mu) => {
        const m = structuredClone(defaultMapping('ghl-aroflo'));
        mu.apply(m);
        let err: unknown;
        try {
          validateMapping(m);
        } catch (e) {
          err = e;
        }
        expect(err, mu.path).toBeInstanceOf(MappingError);
        expect((err as Error).message).toMatch(mu.names);
      }),
      { numRuns: 200 },
    );
  });

  it('saveMapping saves nothing when the mapping is refused, and any label or filter text people type is kept as typed', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, typed, async (mu, label) => {
        const before = await svc.api.getMappings();
        const bad = structuredClone(before.find((m) => m.pair === 'ghl-aroflo')!);
        mu.apply(bad);
        const r = await outcome(() => svc.api.saveMapping({ mapping: bad }));
        expect(r.ok).toBe(false);
        expect(await svc.api.getMappings()).toEqual(before);
        // A free-text label of any content is either saved exactly or refused by name.
        const good = structuredClone(before.find((m) => m.pair === 'ghl-aroflo')!);
        good.label = label;
        const s = await outcome(() => svc.api.saveMapping({ mapping: good }));
        if (s.ok) expect((await svc.api.getMappings()).find((m) => m.pair === 'ghl-aroflo')!.label).toBe(label);
        else expect(s.error.message).toMatch(/label/);
      }),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------- credentials

describe('credentials', () => {
  const connections = async () => JSON.stringify(await svc.api.getConnections());

  it('blank AroFlo, GHL and Aimfox credentials are refused by name and nothing is saved', async () => {
    const blank = fc.constantFrom('', ' ', '\t', '\n \n');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('uEncoded', 'pEncoded', 'orgEncoded', 'secretKey'), blank, async (field, v) => {
        const before = await connections();
        const creds = {
          uEncoded: 'u-value-123',
          pEncoded: 'p-value-123',
          orgEncoded: 'o-value-123',
          secretKey: 'secret-value-123',
          [field]: v,
        };
        const r = await outcome(() => svc.api.saveArofloCredentials(creds));
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error.message).toMatch(field === 'secretKey' ? /secret key/i : new RegExp(field));
        expect(await connections()).toBe(before);
        expect(await svc.vault.get('aroflo.credentials')).toBeUndefined();
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(blank, fc.constantFrom('token', 'locationId'), async (v, field) => {
        const r = await outcome(() =>
          svc.api.saveGhlPrivateToken({ token: 'pit-1234567890abcdef', locationId: 'loc-123', [field]: v }),
        );
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error.message).toMatch(field === 'token' ? /token/i : /location/i);
        expect(await svc.vault.get('ghl.pit')).toBeUndefined();
      }),
      { numRuns: 20 },
    );
    const r = await outcome(() => svc.api.saveAimfoxKey({ apiKey: '  ' }));
    expect(r.ok ? '' : r.error.message).toMatch(/API key/);
    expect(await svc.vault.get('aimfox.apiKey')).toBeUndefined();
  });

  // Found by this suite: the token was written to the vault before the settings refused the location ID.
  it('a location ID longer than settings allow is refused by name and leaves nothing saved', async () => {
    await fc
      .assert(
        fc.asyncProperty(
          fc.string({ minLength: 101, maxLength: 400 }).filter((s) => s.trim().length > 100),
          async (loc) => {
            const r = await outcome(() =>
              svc.api.saveGhlPrivateToken({ token: 'pit-1234567890abcdef', locationId: loc }),
            );
            expect(r.ok).toBe(false);
            expect(r.ok ? '' : r.error.message).toMatch(/location/i);
            expect(await svc.vault.get('ghl.pit')).toBeUndefined();
          },
        ),
        { numRuns: 5 },
      )
      .finally(() => svc.vault.delete('ghl.pit'));
  });

  // Found by this suite: a value that is not text (a faulty or hostile window) crashed the handler with a TypeError.
  it('a credential that is not text is refused with a message naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('uEncoded', 'pEncoded', 'orgEncoded', 'secretKey'),
        fc.oneof(fc.integer(), fc.boolean(), fc.object(), fc.array(fc.string())),
        async (field, v) => {
          const creds = {
            uEncoded: 'u-value-123',
            pEncoded: 'p-value-123',
            orgEncoded: 'o-value-123',
            secretKey: 'secret-value-123',
            [field]: v,
          } as never;
          const r = await outcome(() => svc.api.saveArofloCredentials(creds));
          expect(r.ok).toBe(false);
          expect(r.ok ? '' : r.error.message).toMatch(new RegExp(field === 'secretKey' ? 'secret key' : field));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('a token too short to be a Private Integration token, or a non-loopback redirect URI, is refused and not saved', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 9 }).filter((s) => s.trim().length > 0 && s.trim().length < 10),
        async (t) => {
          const r = await outcome(() => svc.api.saveGhlPrivateToken({ token: t, locationId: 'loc-1' }));
          expect(r.ok).toBe(false);
          expect(r.ok ? '' : r.error.message).toMatch(/Private Integration token/);
          // The refusal never repeats what was typed (it may be a secret).
          if (t.trim().length >= 4) expect(r.ok ? '' : r.error.message).not.toContain(t.trim());
          expect(await svc.vault.get('ghl.pit')).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.webUrl(),
          fc.constantFrom(
            'http://example.com/cb',
            'https://127.0.0.1:4000/cb',
            'http://127.0.0.1/cb',
            'file:///etc/passwd',
            'javascript:alert(1)',
          ),
        ),
        async (uri) => {
          const r = await outcome(() =>
            svc.api.saveGhlOAuthApp({ clientId: 'client-1', clientSecret: 'client-secret-123', redirectUri: uri }),
          );
          expect(r.ok).toBe(false);
          expect(r.ok ? '' : r.error.message).toMatch(/redirect URI/);
          expect(await svc.vault.get('ghl.clientSecret')).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------- settings

describe('settings', () => {
  const bad: fc.Arbitrary<[string, Partial<Settings>]> = fc.oneof(
    fc
      .oneof(fc.integer({ max: 0 }), fc.integer({ min: 1441 }), fc.double({ min: 1.1, max: 1.9, noNaN: true }))
      .map((v) => ['syncIntervalMinutes', { syncIntervalMinutes: v }] as [string, Partial<Settings>]),
    fc
      .oneof(fc.integer({ max: -1 }), fc.integer({ min: 101 }))
      .map(
        (v) =>
          ['maxDeletePercent', { guard: { maxDeletePercent: v } as Settings['guard'] }] as [string, Partial<Settings>],
      ),
    fc
      .oneof(fc.integer({ max: -1 }), fc.constant(1e12))
      .map((v) => ['maxDeletes', { guard: { maxDeletes: v } as Settings['guard'] }] as [string, Partial<Settings>]),
    fc
      .oneof(fc.integer({ max: 0 }), fc.integer({ min: 169 }))
      .map((v) => ['rereadWindowHours', { budget: { rereadWindowHours: v } }] as [string, Partial<Settings>]),
    fc
      .oneof(fc.string(), fc.integer())
      .map((v) => ['startAtLogin', { startAtLogin: v as unknown as boolean }] as [string, Partial<Settings>]),
  );

  it('an out-of-range or wrongly typed setting is refused by name and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(bad, async ([field, settings]) => {
        const before = await svc.api.getSettings();
        const r = await outcome(() => svc.api.saveSettings({ settings }));
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error.message).toContain(field);
        expect(await svc.api.getSettings()).toEqual(before);
      }),
      { numRuns: 80 },
    );
  });

  it('a valid setting is saved as given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1440 }), fc.integer({ min: 0, max: 100 }), async (minutes, pct) => {
        const s = await svc.api.saveSettings({
          settings: { syncIntervalMinutes: minutes, guard: { maxDeletePercent: pct } as Settings['guard'] },
        });
        expect(s.syncIntervalMinutes).toBe(minutes);
        expect(s.guard.maxDeletePercent).toBe(pct);
        expect(s.guard.maxDeletes).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------- conflict resolutions

describe('conflict resolutions', () => {
  it('a resolution that misses a field or takes an unknown side is refused by name and the conflict stays open', async () => {
    const store = openSqliteStore(svc.db);
    const linkId = store.links.insert({
      pair: 'ghl-aroflo',
      entity: 'contact',
      ghl_id: 'g-fuzz',
      other_id: 'client:fuzz',
      ghl_parent: null,
      other_parent: null,
      other_kind: 'client',
      label: 'Fuzz Person',
    });
    const { id } = store.conflicts.upsert({
      kind: 'conflict',
      pair: 'ghl-aroflo',
      entity: 'contact',
      system: 'aroflo',
      linkId,
      subject: `conflict:fuzz:${linkId}`,
      label: 'Fuzz Person',
      diffs: [
        { field: 'firstName', label: 'First name', base: 'A', ghl: 'B', other: 'C' },
        { field: 'phone', label: 'Phone', base: null, ghl: '+61400000001', other: '+61400000002' },
      ],
      runId: 'run_fuzz',
    });
    const choice = fc.oneof(
      fc.constant(undefined),
      fc.record({ take: fc.constantFrom('ghl', 'other') }),
      fc.record({ take: fc.oneof(fc.string(), fc.constantFrom('both', 'neither', 'GHL')) }),
    );
    await fc.assert(
      fc.asyncProperty(choice, choice, async (a, b) => {
        const valid = (c: unknown) => !!c && ['ghl', 'other'].includes((c as { take: string }).take);
        fc.pre(!(valid(a) && valid(b)));
        const choices = { ...(a ? { firstName: a } : {}), ...(b ? { phone: b } : {}) } as Record<string, never>;
        const r = await outcome(() => svc.api.resolveConflict({ id, choices }));
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.error.message).toMatch(/First name|Phone/);
        expect(store.conflicts.get(id)?.status).toBe('open');
      }),
      { numRuns: 60 },
    );
    const gone = await outcome(() => svc.api.resolveConflict({ id: 'c_does_not_exist', choices: {} }));
    expect(gone.ok ? '' : gone.error.message).toMatch(/not open/);
  });
});
