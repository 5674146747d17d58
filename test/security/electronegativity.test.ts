/**
 * Electron's security linter in `npm run lint` (scripts/electronegativity.mjs): it runs @doyensec/electronegativity
 * over main/app and preload, TypeScript as it is, and fails on any finding not justified in .electronegativity.json,
 * on a justification that no longer matches a finding, and on a file it cannot parse.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const script = join(repo, 'scripts/electronegativity.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ghlb-eneg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function lint(files: Record<string, string>, justified: unknown[]) {
  const root = join(dir, `app${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const list = join(root, 'justifications.json');
  writeFileSync(list, JSON.stringify({ justified }));
  return run([script, '--root', root, '--justifications', list]);
}

/** Runs the script; its runs mostly wait (the linter tries to download translations), so the tests run concurrently. */
async function run(args: string[]) {
  try {
    const r = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
    return { code: 0, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return {
      code: e.code as number,
      out: `${e.stdout}${e.stderr}`,
      stdout: e.stdout as string,
      stderr: e.stderr as string,
    };
  }
}

// A window that turns the protections off, in TypeScript.
const UNSAFE = `import { BrowserWindow } from 'electron';
export function open(url: string): BrowserWindow {
  const win: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  void win.loadURL(url);
  return win;
}
`;

// What the global checks want somewhere in the app: a CSP, navigation limits, a permission handler.
const HARDENED = `import { app, session } from 'electron';
export function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'none'"] } }));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
`;

// Each run loads the linter (its own ESLint, TypeScript and Babel): seconds of CPU on a busy machine.
describe.concurrent('electronegativity in lint', { timeout: 120_000 }, () => {
  it('fails on unjustified findings in main/app and preload, naming the check, file and line', async () => {
    const r = await lint(
      {
        'main/app/window.ts': UNSAFE,
        'preload/index.ts': `import { shell } from 'electron';\nexport const go = (u: string): Promise<void> => shell.openExternal(u);\n`,
      },
      [],
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /FINDING\s+CONTEXT_ISOLATION_JS_CHECK \(HIGH, FIRM\) main\/app\/window\.ts:3:\d+: Review the use of the contextIsolation option/,
    );
    expect(r.out).toMatch(/FINDING\s+SANDBOX_JS_CHECK \(MEDIUM, FIRM\) main\/app\/window\.ts:3:/);
    expect(r.out).toMatch(/FINDING\s+OPEN_EXTERNAL_JS_CHECK .* preload\/index\.ts:2:/);
    // and what the whole app lacks: a CSP, navigation limits, a permission handler
    expect(r.out).toMatch(/FINDING\s+CSP_GLOBAL_CHECK \(MEDIUM, CERTAIN\) \(whole scan\): No CSP/);
    expect(r.out).toMatch(/FINDING\s+LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(r.out).toMatch(/FINDING\s+PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK/);
    expect(r.out).toMatch(/justify it in \.electronegativity\.json/);
  });

  it('a justification covers its own check and line only, and one that matches nothing fails as stale', async () => {
    const files = {
      'main/app/harden.ts': HARDENED,
      'preload/index.ts': `import { shell } from 'electron';\nexport const go = (url: string): Promise<void> => shell.openExternal(url);\n`,
    };
    const just = (check: string, code: string) => ({
      check,
      file: 'preload/index.ts',
      code,
      reason: 'reviewed: callers pass only allowlisted https pages',
    });
    const ok = await lint(files, [just('OPEN_EXTERNAL_JS_CHECK', 'shell.openExternal(url)')]);
    expect(ok.out).toMatch(/justified\s+OPEN_EXTERNAL_JS_CHECK preload\/index\.ts:2:/);
    expect(ok.code).toBe(0);
    const other = await lint(files, [
      just('OPEN_EXTERNAL_JS_CHECK', 'shell.openExternal(helpPage)'),
      just('SANDBOX_JS_CHECK', 'shell.openExternal(url)'),
    ]);
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/FINDING\s+OPEN_EXTERNAL_JS_CHECK/);
    expect(other.out).toMatch(/STALE .*OPEN_EXTERNAL_JS_CHECK .*shell\.openExternal\(helpPage\)/);
    expect(other.out).toMatch(/STALE .*SANDBOX_JS_CHECK/);
  });

  it('fails when a file cannot be parsed, rather than skipping it', async () => {
    const r = await lint({ 'main/app/broken.ts': 'export const = ;\n' }, []);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/could not parse .*broken\.ts/);
  });

  it('fails when a file parses only with errors the parser tolerated (part of it may not have been checked)', async () => {
    const r = await lint({ 'main/app/harden.ts': HARDENED, 'main/app/legacy.js': 'export const mode = 0644;\n' }, []);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/parsed only with errors .*legacy\.js: .*Octal/);
  });

  it("the project's main/app and preload pass with the checked-in justifications, and lint runs it", async () => {
    const r = await run([script]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all justified in \.electronegativity\.json/);
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts.lint).toMatch(
      /node scripts\/electronegativity\.mjs/,
    );
  });
});
