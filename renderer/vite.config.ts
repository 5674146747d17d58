// Vite build of the window. Run from the repository root: `vite build --config renderer/vite.config.ts`.
// Output goes to dist/renderer, loaded by Electron (app://) and served by serve mode; `base: './'` keeps every asset
// path relative so both work. Not in renderer/tsconfig.json: Vite's types pull in Node's, which the DOM code must
// not see.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Development server only: Vite injects its client, React refresh and CSS inline and talks over a websocket, which
 * the strict meta CSP forbids. The built files keep the strict policy untouched.
 */
const devServerCsp = {
  name: 'ghl-bridge-dev-csp',
  apply: 'serve' as const,
  transformIndexHtml: (html: string) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws:"),
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), devServerCsp],
  publicDir: 'public',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // One small app: keep the output to a handful of files, and never inline assets as data: URLs for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
