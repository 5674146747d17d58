#!/usr/bin/env node
/**
 * Builds everything that runs in Node/Electron into dist/:
 *   main/**\/*.ts + preload/contract.ts + preload/ipc-envelope.ts → dist/**\/*.js  (ESM, one file per source; esbuild)
 *   preload/index.ts                                              → dist/preload/index.cjs (one CommonJS bundle)
 * The preload is bundled because a sandboxed preload can neither load ESM nor require our other files; only
 * 'electron' stays external. esbuild does not type-check: `npm run typecheck` does.
 */
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The preload as one CommonJS file; only 'electron' stays a require(). */
export async function buildPreload({ outfile = join(root, 'dist', 'preload', 'index.cjs'), quiet = false } = {}) {
  await build({
    entryPoints: [join(root, 'preload', 'index.ts')],
    outfile,
    format: 'cjs',
    platform: 'node',
    target: 'chrome120',
    bundle: true,
    external: ['electron'],
    sourcemap: false,
    logLevel: quiet ? 'silent' : 'warning',
  });
}

export async function buildMain({ outDir = join(root, 'dist'), quiet = false } = {}) {
  for (const sub of ['main', 'preload']) rmSync(join(outDir, sub), { recursive: true, force: true });
  const entryPoints = [
    ...sources(join(root, 'main')),
    join(root, 'preload', 'contract.ts'),
    join(root, 'preload', 'ipc-envelope.ts'),
  ];
  await build({
    entryPoints,
    outdir: outDir,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    sourcemap: 'linked',
    logLevel: quiet ? 'silent' : 'warning',
  });
  await buildPreload({ outfile: join(outDir, 'preload', 'index.cjs'), quiet });
  if (!quiet)
    console.log(`built ${entryPoints.length} modules and the preload bundle into ${relative(root, outDir) || '.'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildMain().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
