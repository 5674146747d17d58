// Vite build of the window. Run from the repository root: `vite build --config renderer/vite.config.ts`.
// Output goes to dist/renderer, loaded by Electron (app://) and served by serve mode; `base: './'` keeps every asset
// path relative so both work. Not in renderer/tsconfig.json: Vite's types pull in Node's, which the DOM code must
// not see.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
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
