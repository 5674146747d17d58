import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(full);
  }
  return out;
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(text: string): string[] {
  const re =
    /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('layering (GUIDE.md §2), checked on the code as it is', () => {
  it("nothing under main/ outside main/app/ imports 'electron'", () => {
    const offenders = files(join(repo, 'main'))
      .filter((f) => !relative(repo, f).startsWith(`main${sep}app${sep}`))
      .filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => s === 'electron' || s.startsWith('electron/')))
      .map((f) => relative(repo, f));
    expect(offenders).toEqual([]);
  });

  it('the renderer imports nothing from main/, from Node or from electron', () => {
    const offenders: string[] = [];
    for (const f of files(join(repo, 'renderer', 'src'))) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (s === 'electron' || s.startsWith('node:') || /(^|\/)main\//.test(s))
          offenders.push(`${relative(repo, f)} → ${s}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('main/sync imports nothing from the SQLite store, the service or the sandboxes; connectors nothing from main/sync', () => {
    const offenders: string[] = [];
    const check = (dir: string, bad: (s: string) => boolean) => {
      for (const f of files(join(repo, dir)))
        for (const s of specifiers(readFileSync(f, 'utf8'))) if (bad(s)) offenders.push(`${relative(repo, f)} → ${s}`);
    };
    check('main/sync', (s) => s === 'better-sqlite3' || /(^|\/)(store\/sqlite|service|sandbox)\//.test(s));
    check('main/connectors', (s) => /(^|\/)sync\//.test(s));
    check('main/domain', (s) => !s.startsWith('./'));
    expect(offenders).toEqual([]);
  });

  it('only main/store imports better-sqlite3', () => {
    const offenders = files(join(repo, 'main'))
      .filter((f) => !relative(repo, f).startsWith(`main${sep}store${sep}`))
      .filter((f) => specifiers(readFileSync(f, 'utf8')).includes('better-sqlite3'))
      .map((f) => relative(repo, f));
    expect(offenders).toEqual([]);
  });

  it('the import scanner sees the imports it must see', () => {
    expect(
      specifiers(
        "import { app } from 'electron';\nimport type { X } from \"electron\";\nconst m = await import('electron');\nexport * from '../main/x.js';",
      ),
    ).toEqual(['electron', 'electron', 'electron', '../main/x.js']);
  });
});

describe('the ESLint rules enforce the same', () => {
  const eslint = new ESLint({ cwd: repo });
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(repo, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it("flags 'electron' outside main/app/ (types too), allows it in main/app/ and the preload", async () => {
    expect(
      await lint('main/sync/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(await lint('main/web/x.ts', "import type { App } from 'electron';\nexport type A = App;\n")).toHaveLength(1);
    expect(await lint('main/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(
      await lint('preload/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n"),
    ).toEqual([]);
  });

  it('keeps the sync layer off SQLite, the service and the sandboxes, and connectors off the sync layer', async () => {
    expect(
      await lint('main/sync/engine/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"),
    ).toHaveLength(1);
    expect(
      await lint('main/sync/engine/x.ts', "import { x } from '../../store/sqlite/links.js';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await lint(
        'main/sync/pairs/x.ts',
        "import type { Connections } from '../../service/connections.js';\nexport type C = Connections;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint(
        'main/sync/x.ts',
        "import { startSandboxes } from '../sandbox/index.js';\nexport const s = startSandboxes;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint(
        'main/sync/x.ts',
        "import type { SyncRepo } from '../store/sync-repo.js';\nexport type R = SyncRepo;\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'main/connectors/ghl/x.ts',
        "import { runSync } from '../../sync/index.js';\nexport const r = runSync;\n",
      ),
    ).toHaveLength(1);
  });

  it('lets only main/store/ import better-sqlite3, and keeps main/domain self-contained', async () => {
    expect(
      await lint('main/service/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"),
    ).toHaveLength(1);
    expect(
      await lint('main/app/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"),
    ).toHaveLength(1);
    expect(
      await lint('main/store/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"),
    ).toEqual([]);
    expect(
      await lint(
        'main/domain/x.ts',
        "import type { SyncRepo } from '../store/sync-repo.js';\nexport type R = SyncRepo;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('main/domain/x.ts', "import type { PairId } from './systems.js';\nexport type P = PairId;\n"),
    ).toEqual([]);
  });

  it('flags renderer imports from main/ and from Node, allows the contract', async () => {
    expect(
      await lint(
        'renderer/src/x.ts',
        "import { createService } from '../../main/service/index.js';\nexport const c = createService;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"),
    ).toHaveLength(1);
    expect(
      await lint(
        'renderer/src/x.ts',
        "import { BRIDGE_METHODS } from '../../preload/contract.js';\nexport const b = BRIDGE_METHODS;\n",
      ),
    ).toEqual([]);
  });
});
