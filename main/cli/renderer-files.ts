/** Where the built window (Vite output) lives, building it on first use so `serve` and `demo` work from a fresh clone. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export async function ensureRenderer(log: (line: string) => void = () => undefined): Promise<string> {
  if (existsSync(`${RENDERER_DIR}index.html`)) return RENDERER_DIR;
  log('Building the window (first run only)…');
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
  if (!existsSync(`${RENDERER_DIR}index.html`))
    throw new Error(`The window was not built into ${RENDERER_DIR}; run "npm run build:renderer".`);
  return RENDERER_DIR;
}
