/**
 * The store is the only place that knows it is SQLite (main/store/README.md): no SQL and no better-sqlite3 outside
 * main/store, and the sync depends on the repository interfaces, never on their SQLite implementation.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

const under = (f: string, dir: string) => relative(repo, f).startsWith(`${dir.split('/').join(sep)}${sep}`);
const mainFiles = () => files(join(repo, 'main')).filter((f) => !under(f, 'main/sandbox'));

describe('the store behind its interfaces', () => {
  it('no SQL is prepared or run outside main/store', () => {
    // A statement is `db.prepare(`…`)`/`.exec(`…`)` with SQL text; a regex's `.exec(` takes no template literal.
    const sql = /\.(prepare|exec)\(\s*[`'"]\s*(select|insert|update|delete|create|alter|drop|pragma|with)\b/i;
    const offenders = mainFiles()
      .filter((f) => !under(f, 'main/store'))
      .filter(
        (f) => sql.test(readFileSync(f, 'utf8')) || /\bdb\.prepare\(|\.db\.prepare\(/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(repo, f));
    expect(offenders).toEqual([]);
  });

  it('only main/store imports better-sqlite3, and main/sync never imports the SQLite implementation', () => {
    const offenders: string[] = [];
    for (const f of mainFiles()) {
      const text = readFileSync(f, 'utf8');
      if (!under(f, 'main/store') && /from\s+['"]better-sqlite3['"]/.test(text))
        offenders.push(`${relative(repo, f)} → better-sqlite3`);
      if (under(f, 'main/sync') && /from\s+['"][^'"]*store\/(sqlite\/|db\.js)/.test(text))
        offenders.push(`${relative(repo, f)} → main/store SQLite`);
    }
    expect(offenders).toEqual([]);
  });
});
