// ESLint flat config: typescript-eslint's recommended rules everywhere, React hooks rules for the window, and the
// layering rules of GUIDE.md §2 as import bans:
//   - only main/app/ (and the preload) may import 'electron', so everything else runs and is tested in plain Node;
//   - the renderer sees only the bridge contract: nothing from main/, nothing from Node.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const ELECTRON_BAN = {
  name: 'electron',
  message: "Only main/app/ (and preload/) may import 'electron': keep the logic in plain Node modules and pass Electron objects in.",
};

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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
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
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [ELECTRON_BAN],
          patterns: [
            { group: ['**/main/**', 'main/**'], message: 'The renderer sees only the bridge contract (preload/contract.ts): never import from main/.' },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
          ],
        },
      ],
    },
  },
);
