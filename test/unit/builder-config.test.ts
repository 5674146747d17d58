import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { allIcons, TRAY_ICON_NAMES } from '../../scripts/make-icons.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder (it parses this very file with it).
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  [key: string]: unknown;
  appId: string;
  productName: string;
  files: string[];
  npmRebuild: boolean;
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  win: { target: Array<{ target: string }>; icon: string };
  nsis: Record<string, unknown>;
  mac: { target: Array<{ target: string }>; icon: string };
  linux: { target: string[]; maintainer: string; category: string; icon: string };
  electronFuses?: Record<string, boolean>;
}

const config = yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const schema = JSON.parse(readFileSync(join(repo, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches mistakes (a misspelt key, a wrong type)', () => {
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
    expect(validate({ ...config, nsis: { ...config.nsis, oneClick: 'yes' } })).toBe(false);
  });

  it('names the app and packs the build output', () => {
    expect(config.appId).toBe('com.ghlbridge.app');
    expect(config.productName).toBe('GHL Bridge');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
    expect(config.npmRebuild).toBe(true);
  });

  it('Windows: per-user one-click NSIS; macOS: dmg; Linux: AppImage and deb with maintainer and category', () => {
    expect(config.win.target[0]?.target).toBe('nsis');
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
    expect(config.mac.target[0]?.target).toBe('dmg');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<[^@>]+@[^>]+>/);
    expect(config.linux.category).toBe('Office');
  });

  it('unpacks the native SQLite module from the asar archive', () => {
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
  });

  it('ships the tray icons and the window icon as extra resources, and they exist', () => {
    const froms = config.extraResources.map((r) => [r.from, r.to]);
    expect(froms).toEqual(
      expect.arrayContaining([
        ['build/tray', 'tray'],
        ['build/icon.png', 'icon.png'],
      ]),
    );
    for (const [from] of froms) expect(existsSync(join(repo, from!)), from).toBe(true);
    for (const key of ['win', 'mac', 'linux'] as const)
      expect(existsSync(join(repo, config[key].icon)), key).toBe(true);
  });
});

describe('Electron fuses (flipped in the packaged Electron binary)', () => {
  // What npm run dist does with `electronFuses`: app-builder-lib turns it into an @electron/fuses config and flips the
  // fuse wire that follows this sentinel in the Electron binary (Electron's own layout: version 1, then one byte per fuse).
  const fuses = require('@electron/fuses') as {
    flipFuses(path: string, config: object): Promise<number>;
    getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
    FuseV1Options: Record<string, number>;
  };
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const ON = '1'.charCodeAt(0);
  const OFF = '0'.charCodeAt(0);

  it('turns off ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect and file:// privileges; turns on asar integrity, asar-only loading and cookie encryption', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // A misspelt fuse is caught by the schema.
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
  });

  it("electron-builder flips exactly those fuses in a binary with Electron's fuse wire", async () => {
    const { PlatformPackager } = require('app-builder-lib') as {
      PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<object> } };
    };
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    const dir = mkdtempSync(join(tmpdir(), 'ghlb-fuses-'));
    try {
      const binary = join(dir, 'electron');
      // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off,
      // asar-only off, browser V8 snapshot off, file:// privileges on.
      writeFileSync(
        binary,
        Buffer.concat([
          Buffer.alloc(4096, 0xcc),
          Buffer.from(SENTINEL),
          Buffer.from([1, 8]),
          Buffer.from('10110001'),
          Buffer.alloc(4096, 0xcc),
        ]),
      );
      expect(await fuses.flipFuses(binary, fuseConfig)).toBe(1);
      const wire = await fuses.getCurrentFuseWire(binary);
      const o = fuses.FuseV1Options;
      expect(wire[o.RunAsNode!]).toBe(OFF);
      expect(wire[o.EnableCookieEncryption!]).toBe(ON);
      expect(wire[o.EnableNodeOptionsEnvironmentVariable!]).toBe(OFF);
      expect(wire[o.EnableNodeCliInspectArguments!]).toBe(OFF);
      expect(wire[o.EnableEmbeddedAsarIntegrityValidation!]).toBe(ON);
      expect(wire[o.OnlyLoadAppFromAsar!]).toBe(ON);
      expect(wire[o.LoadBrowserProcessSpecificV8Snapshot!]).toBe(OFF); // left as Electron ships it
      expect(wire[o.GrantFileProtocolExtraPrivileges!]).toBe(OFF);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the app can live with them: it never starts itself as Node and never loads pages from file://', () => {
    // RunAsNode off breaks child_process.fork in the main process; the shell loads app:// pages (main/app/security.ts).
    const appDir = join(repo, 'main', 'app');
    for (const f of readdirSync(appDir).filter((n) => n.endsWith('.ts'))) {
      expect(readFileSync(join(appDir, f), 'utf8'), f).not.toMatch(
        /ELECTRON_RUN_AS_NODE|node:child_process|\.fork\(|loadFile\(/,
      );
    }
  });
});

describe('icons', () => {
  it('app icon is 512 px; every tray state has 16 px and @2x 32 px versions; favicon 32 px', () => {
    expect(pngSize(readFileSync(join(repo, 'build/icon.png')))).toEqual({ width: 512, height: 512 });
    expect(pngSize(readFileSync(join(repo, 'renderer/public/favicon.png')))).toEqual({ width: 32, height: 32 });
    for (const name of TRAY_ICON_NAMES) {
      expect(pngSize(readFileSync(join(repo, `build/tray/tray-${name}.png`)))).toEqual({ width: 16, height: 16 });
      expect(pngSize(readFileSync(join(repo, `build/tray/tray-${name}@2x.png`)))).toEqual({ width: 32, height: 32 });
    }
  });

  it('the committed icons are what scripts/make-icons.ts draws (run it after changing the drawing)', () => {
    for (const [rel, bytes] of Object.entries(allIcons())) {
      expect(readFileSync(join(repo, rel)).equals(bytes), rel).toBe(true);
    }
  });

  it('the tray states look different from each other', () => {
    const files = TRAY_ICON_NAMES.map((n) => readFileSync(join(repo, `build/tray/tray-${n}.png`)).toString('base64'));
    expect(new Set(files).size).toBe(TRAY_ICON_NAMES.length);
  });
});
