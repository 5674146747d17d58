/**
 * `ghl-bridge mappings --pair X` as a person scripts it, in real processes against the sandboxes over HTTP: the field
 * catalogue as JSON (HighLevel custom fields read live from the location), the mapping as JSON out and back in (from a
 * file and from standard input), and a mapping the catalogue refuses: the message names the field, the command exits
 * non-zero and nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CatalogueView, FieldMapping, PairMapping } from '../../preload/contract.js';

const BIN = join(import.meta.dirname, '../../bin/ghl-bridge.mjs');
const profile = mkdtempSync(join(tmpdir(), 'ghlb-cli-mappings-'));
const env = {
  ...process.env,
  GHL_BRIDGE_VAULT_KEY: '5b0f3c6f1d2e4a79b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5',
  GHL_BRIDGE_HOME: profile,
};

function cli(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000, input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let sandbox: ChildProcess;
interface Info {
  ghl: { baseUrl: string; locationId: string; privateToken: string };
  aroflo: { baseUrl: string; uEncoded: string; pEncoded: string; orgEncoded: string; secretKey: string };
}
let info: Info;

beforeAll(async () => {
  sandbox = spawn(process.execPath, [BIN, 'sandbox', '--seed', '7', '--contacts', '10', '--rate-limits', 'x50'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: sandbox.stdout! });
    rl.once('line', resolve);
    sandbox.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
  info = JSON.parse(line) as Info;
  const g = cli([
    'login',
    'ghl',
    '--token',
    info.ghl.privateToken,
    '--location',
    info.ghl.locationId,
    '--base-url',
    info.ghl.baseUrl,
    '--create',
  ]);
  expect(g.code, g.err).toBe(0);
  const a = cli([
    'login',
    'aroflo',
    '--u',
    info.aroflo.uEncoded,
    '--p',
    info.aroflo.pEncoded,
    '--org',
    info.aroflo.orgEncoded,
    '--secret',
    info.aroflo.secretKey,
    '--base-url',
    info.aroflo.baseUrl,
  ]);
  expect(a.code, a.err).toBe(0);
}, 180_000);

afterAll(async () => {
  sandbox?.kill('SIGTERM');
  await new Promise((r) => sandbox?.once('exit', r));
  rmSync(profile, { recursive: true, force: true });
});

const mappingJson = (): PairMapping => {
  const r = cli(['mappings', '--pair', 'ghl-aroflo', '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as PairMapping;
};

const catalogueJson = (): CatalogueView => {
  const r = cli(['mappings', '--pair', 'ghl-aroflo', '--catalogue']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as CatalogueView;
};

describe('ghl-bridge mappings --pair (JSON in and out)', () => {
  it('--catalogue prints each side’s fields, HighLevel custom fields included, and which pairs fit', () => {
    const catalogue = catalogueJson();
    expect(catalogue.pair).toBe('ghl-aroflo');
    expect(catalogue.env.country).toMatch(/^[A-Z]{2}$/);
    const contact = catalogue.entities.find((e) => e.entity === 'contact')!;
    expect(contact.ghl.map((f) => f.ref)).toEqual(expect.arrayContaining(['firstName', 'email', 'address1']));
    expect(contact.ghl.some((f) => f.origin === 'custom' && f.ref.startsWith('custom:'))).toBe(true);
    expect(contact.compatible.length).toBeGreaterThan(3);
    for (const p of contact.compatible) expect(p.transforms.length).toBeGreaterThan(0);
  });

  it('prints the mapping, takes it back with a custom field pair and an address pair from a file, and prints what was saved', () => {
    const before = mappingJson();
    const contact = catalogueJson().entities.find((e) => e.entity === 'contact')!;
    const label = (ref: string) => contact.other.find((f) => f.ref === ref)?.label ?? '';
    const pick = contact.compatible.find(
      (p) => p.ghl === 'address1' && /street/i.test(label(p.other)) && !/postal/i.test(label(p.other)),
    )!;
    expect(pick, 'the catalogue offers HighLevel address ⇄ the AroFlo street address').toBeDefined();
    const added: FieldMapping = {
      key: 'street',
      label: 'Street',
      ghlField: pick.ghl,
      otherField: pick.other,
      direction: 'both',
      transform: pick.transforms[0]!,
      conflictDefault: 'ask',
    };
    // The default street address pair is replaced by the one chosen here (two pairs may not write one field).
    const custom = contact.compatible.find((p) => p.ghl.startsWith('custom:') && /abn/i.test(label(p.other)))!;
    expect(custom, 'the catalogue offers a HighLevel custom field ⇄ the AroFlo ABN').toBeDefined();
    const next = structuredClone(before);
    const fields = next.entities.find((e) => e.entity === 'contact')!.fields;
    fields.splice(
      fields.findIndex((f) => f.ghlField === 'address1'),
      1,
    );
    fields.push(added, {
      key: 'abn',
      label: 'ABN',
      ghlField: custom.ghl,
      otherField: custom.other,
      direction: 'to_other',
      transform: custom.transforms[0]!,
      conflictDefault: 'ask',
    });
    const file = join(profile, 'mapping.json');
    writeFileSync(file, JSON.stringify(next, null, 2));
    const r = cli(['mappings', '--pair', 'ghl-aroflo', '--set', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Saved ghl-aroflo; preview it/);
    const after = mappingJson();
    expect(after.entities.find((e) => e.entity === 'contact')!.fields.find((f) => f.key === 'street')).toMatchObject({
      ghlField: 'address1',
      otherField: pick.other,
    });
    expect(after.entities.find((e) => e.entity === 'contact')!.fields.find((f) => f.key === 'abn')).toMatchObject({
      ghlField: custom.ghl,
      otherField: custom.other,
    });
    expect(after.fingerprint).not.toBe(before.fingerprint);
    // Unchanged JSON read back from standard input saves nothing new.
    const same = cli(['mappings', '--pair', 'ghl-aroflo', '--set', '-'], JSON.stringify(after));
    expect(same.code, same.err).toBe(0);
    expect(same.out).toMatch(/nothing changed/);
    expect(mappingJson().fingerprint).toBe(after.fingerprint);
  });

  it('refuses two pairs writing one field, naming it, exits non-zero and saves nothing', () => {
    const before = mappingJson();
    const contact = before.entities.find((e) => e.entity === 'contact')!;
    const email = contact.fields.find((f) => f.key === 'email')!;
    const next = structuredClone(before);
    // A second pair that also writes the AroFlo email (from HighLevel's email: the two types fit, the target is taken).
    next.entities
      .find((e) => e.entity === 'contact')!
      .fields.push({ ...email, key: 'email2', label: 'Second email', direction: 'to_other' });
    const r = cli(['mappings', '--pair', 'ghl-aroflo', '--set', '-'], JSON.stringify(next));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Error: .*(Second email|Email)/);
    expect(mappingJson()).toEqual(before);
  });

  it('refuses a field the catalogue does not have, naming it', () => {
    const before = mappingJson();
    const next = structuredClone(before);
    next.entities
      .find((e) => e.entity === 'contact')!
      .fields.push({
        key: 'nope',
        label: 'Shoe size',
        ghlField: 'shoeSize',
        otherField: 'email',
        direction: 'to_ghl',
        transform: 'none',
        conflictDefault: 'ask',
      });
    const r = cli(['mappings', '--pair', 'ghl-aroflo', '--set', '-'], JSON.stringify(next));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Shoe size|shoeSize/);
    expect(mappingJson()).toEqual(before);
  });

  it('says what is wrong with the command line itself', () => {
    const both = cli(['mappings', '--pair', 'ghl-aroflo', '--json', '--catalogue']);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/choose one of --json/);
    const notJson = cli(['mappings', '--pair', 'ghl-aroflo', '--set', '-'], 'not json');
    expect(notJson.code).toBe(1);
    expect(notJson.err).toMatch(/standard input is not JSON/);
    expect(cli(['mappings', '--pair', 'nowhere', '--json']).err).toMatch(/Name the pair/);
  });
});
