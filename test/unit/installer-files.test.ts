/**
 * The installer carries only what the installed app runs (README "Packaging an installer"): main is built as
 * `npm run dist` builds it (scripts/build-main.mjs, into a temporary folder), electron-builder's own file matcher
 * applies the `files` globs of electron-builder.yml to it, and the app entry's import graph is read by esbuild. No
 * sandbox file is packed, the app reaches no sandbox module and no demo-only package, and every module it does reach
 * is packed. Production dependencies are what electron-builder packs from node_modules: the sandboxes' faker is not one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// Both come with electron-builder: the YAML reader it parses its config with, and the matcher it applies `files` with.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { getFileMatchers } = require('app-builder-lib/out/fileMatcher.js') as {
  getFileMatchers(
    config: unknown,
    name: 'files',
    to: string,
    opts: {
      macroExpander: (s: string) => string;
      customBuildOptions: unknown;
      globalOutDir: string;
      defaultSrc: string;
    },
  ): Array<{ createFilter(): (file: string, stat: Stats) => boolean }> | null;
};

const root = mkdtempSync(join(tmpdir(), 'ghlb-installer-'));
let packed: string[] = [];
let reached: string[] = [];
let packages: string[] = [];

function walk(dir: string, keep: (file: string, stat: Stats) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const st = statSync(full);
    if (!keep(full, st)) return [];
    return st.isDirectory() ? walk(full, keep) : [relative(root, full).split('\\').join('/')];
  });
}

beforeAll(async () => {
  const { buildMain } = (await import(join(repo, 'scripts', 'build-main.mjs'))) as {
    buildMain(o: { outDir: string; quiet: boolean }): Promise<void>;
  };
  await buildMain({ outDir: join(root, 'dist'), quiet: true });
  copyFileSync(join(repo, 'package.json'), join(root, 'package.json'));
  const config = yaml.load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
  const matchers = getFileMatchers(config, 'files', '/app', {
    macroExpander: (s) => s,
    customBuildOptions: config,
    globalOutDir: join(root, 'release'),
    defaultSrc: root,
  });
  expect(matchers).toHaveLength(1);
  packed = walk(root, matchers![0]!.createFilter());
  const graph = await build({
    entryPoints: [join(root, 'dist', 'main', 'app', 'index.js')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    external: ['electron'],
    logLevel: 'silent',
  });
  reached = Object.keys(graph.metafile.inputs).map((f) => relative(root, join(process.cwd(), f)).split('\\').join('/'));
  packages = Object.values(graph.metafile.inputs).flatMap((i) =>
    i.imports.filter((x) => x.external).map((x) => x.path),
  );
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the installer', () => {
  it('packs the app and none of the sandboxes or the command line', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/main/app/index.js',
        'dist/preload/index.cjs',
        'dist/main/service/index.js',
      ]),
    );
    expect(packed.filter((f) => f.startsWith('dist/main/sandbox/'))).toEqual([]);
    expect(packed.filter((f) => f.startsWith('dist/main/cli'))).toEqual([]);
    // The PostgreSQL store is server-only (main/store/README.md).
    expect(packed.filter((f) => f.startsWith('dist/main/store/pg/'))).toEqual([]);
    expect(packed).toContain('dist/main/store/sqlite/index.js');
    expect(packed.filter((f) => f.startsWith('dist/main/fleet/') || f.startsWith('dist/main/store/fleet/'))).toEqual(
      [],
    );
  });

  it("the app entry's import graph reaches no sandbox module and no demo-only package, and all of it is packed", () => {
    expect(reached).toContain('dist/main/app/index.js');
    expect(reached.length).toBeGreaterThan(50);
    expect(reached.filter((f) => f.includes('/sandbox/') || f.includes('/cli/'))).toEqual([]);
    expect(packages.filter((p) => p.startsWith('@faker-js/'))).toEqual([]);
    expect(packages.filter((p) => p === 'pg' || p.startsWith('pg/'))).toEqual([]);
    expect(reached.filter((f) => f.includes('/store/pg/'))).toEqual([]);
    // The agencies' fleet (ghl-bridge worker) and its job engine stay out of the desktop app.
    expect(reached.filter((f) => f.includes('/fleet/'))).toEqual([]);
    expect(packages.filter((p) => p === 'pg-boss' || p.startsWith('pg-boss/'))).toEqual([]);
    expect(reached.filter((f) => !packed.includes(f))).toEqual([]);
  });

  it("the sandboxes' fake-data library is not a production dependency (electron-builder packs those)", () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@faker-js/faker']).toBeUndefined();
    expect(pkg.devDependencies['@faker-js/faker']).toBeDefined();
  });
});
