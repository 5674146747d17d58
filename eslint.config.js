// ESLint flat config: typescript-eslint's recommended rules everywhere, React hooks rules for the window, and the
// layering rules of GUIDE.md §2 as import bans:
//   - only main/app/ (and the preload) may import 'electron', so everything else runs and is tested in plain Node;
//   - the renderer sees only the bridge contract: nothing from main/, nothing from Node;
//   - only main/store/ imports better-sqlite3; main/sync/ never imports the store's sqlite/, the service or the
//     sandboxes; connectors never import the sync layer; main/domain/ imports nothing outside itself.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const ELECTRON_BAN = {
  name: 'electron',
  message:
    "Only main/app/ (and preload/) may import 'electron': keep the logic in plain Node modules and pass Electron objects in.",
};

const SQLITE_BAN = {
  name: 'better-sqlite3',
  message: "Only main/store/ talks to SQLite: use the store's repositories.",
};

/** main/sync/** may not reach into SQLite, the service, or the sandboxes. */
const SYNC_BANS = [
  {
    group: ['**/store/sqlite/**'],
    message:
      'The sync layer uses the store through its interfaces (main/store/repositories.ts), not its SQLite implementation.',
  },
  {
    group: ['**/service/**'],
    message: 'The service uses the sync layer, not the other way round (main/sync/index.ts is its entry).',
  },
  { group: ['**/sandbox/**'], message: 'The sandboxes are for tests and the demo: the sync layer never imports them.' },
];
const CONNECTOR_BANS = [{ group: ['**/sync/**'], message: 'Connectors know their API, not the sync that uses them.' }];
const DOMAIN_BANS = [
  {
    group: ['../*', 'node:*'],
    message:
      'main/domain holds plain types and constants that import nothing outside main/domain (the window compiles them).',
  },
];

const NODE_GLOBALS = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  globalThis: 'readonly',
  fetch: 'readonly',
  Request: 'readonly',
  Response: 'readonly',
  TextDecoder: 'readonly',
  TextEncoder: 'readonly',
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': ['error', { paths: [ELECTRON_BAN] }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    // TypeScript checks names itself; no-undef only misfires on types and DOM/Node globals.
    rules: { 'no-undef': 'off' },
  },
  {
    // Tests feed deliberately wrong shapes to the code under test.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // The Electron shell and the preload are where Electron lives.
    files: ['main/app/**/*.ts', 'preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['main/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [SQLITE_BAN] }] },
  },
  {
    // Only the store talks to SQLite (main/store/README.md).
    files: ['main/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['main/store/**', 'main/app/**', 'main/sync/**', 'main/connectors/**', 'main/domain/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON_BAN, SQLITE_BAN] }] },
  },
  {
    // The sync layer depends on the store's interfaces, never on SQLite, the service, or the sandboxes (main/sync/README.md).
    files: ['main/sync/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON_BAN, SQLITE_BAN], patterns: SYNC_BANS }] },
  },
  {
    // Connectors know their API, not the sync that uses them.
    files: ['main/connectors/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON_BAN, SQLITE_BAN], patterns: CONNECTOR_BANS }] },
  },
  {
    // Domain types are compiled into the window through the contract: they import nothing outside main/domain.
    files: ['main/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON_BAN, SQLITE_BAN], patterns: DOMAIN_BANS }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_BAN],
          patterns: [
            {
              group: ['**/main/**', 'main/**'],
              message: 'The renderer sees only the bridge contract (preload/contract.ts): never import from main/.',
            },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
          ],
        },
      ],
    },
  },
);
