#!/usr/bin/env node
/**
 * Electron's own security linter, @doyensec/electronegativity, over the code that runs in Electron: main/app/ and
 * preload/, scanned together so its global checks (CSP, navigation limits, permission handler) see both. Part of
 * `npm run lint`.
 *
 * It parses the TypeScript sources itself (typescript-estree, with Babel's TypeScript parser as fallback); a file it
 * cannot parse, or parses only by tolerating errors, fails this script, so nothing is skipped silently. The Electron version comes from node_modules/electron
 * (the webPreferences defaults it checks against depend on it). AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out: it
 * downloads Electron's release list at run time, so its answer changes with the day's releases (and the build machines
 * cannot reach that host); Electron itself is kept current like any other dependency.
 *
 * Every finding must be justified in .electronegativity.json — { check, file, code, reason }, where `code` is a piece
 * of the flagged line — or this fails. Matching on the code, not the line number, keeps a justification with its code
 * when lines move and keeps it from covering a new call. A justification that matches no finding fails too, so the list
 * stays true. Options (tests): --root DIR (a folder with main/app and/or preload), --justifications FILE.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const root = opt('--root') ?? repo;
const justificationsFile = opt('--justifications') ?? join(repo, '.electronegativity.json');
const SCANNED = ['main/app', 'preload'];
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck']; // AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, by its class name

const electronVersion = JSON.parse(
  readFileSync(join(repo, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const justified = JSON.parse(readFileSync(justificationsFile, 'utf8')).justified;
if (!Array.isArray(justified)) throw new Error(`${justificationsFile}: "justified" must be a list`);
for (const j of justified) {
  if (!j.check || !j.file || !j.code || !(j.reason?.length > 20))
    throw new Error(
      `${justificationsFile}: every entry needs check, file, code and a real reason: ${JSON.stringify(j)}`,
    );
}

// One folder holding just the scanned sources, at their repository paths.
const scan = mkdtempSync(join(tmpdir(), 'ghlb-electronegativity-'));
let result;
try {
  for (const dir of SCANNED) {
    if (existsSync(join(root, dir)))
      cpSync(join(root, dir), join(scan, dir), { recursive: true, filter: (src) => !/\.(test\.ts|map)$/.test(src) });
  }
  const run = require('@doyensec/electronegativity');
  // Its own chatter (e.g. that it could not download translations) is shown only if it fails.
  const chatter = [];
  const log = console.log;
  console.log = (...a) => chatter.push(a.join(' '));
  try {
    result = await run(
      {
        input: scan,
        customScan: [],
        excludeFromScan: EXCLUDED,
        isRelative: true,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
  } catch (e) {
    console.error(chatter.join('\n'));
    throw e;
  } finally {
    console.log = log;
  }
  for (const issue of result.issues) {
    const file = issue.file.replace(/\\/g, '/').replace(/^\.?\//, '');
    const line =
      issue.location.line > 0
        ? (readFileSync(join(scan, file), 'utf8').split('\n')[issue.location.line - 1] ?? '')
        : '';
    Object.assign(issue, { file, line: line.trim() });
  }
} finally {
  rmSync(scan, { recursive: true, force: true });
}

let failed = false;
// A "tolerable" error is one the parser recovered from (e.g. esprima's tolerant mode): the tree it built may lack part
// of the file, so it fails as an unparseable file does.
for (const e of result.errors) {
  failed = true;
  console.error(
    `electronegativity ${e.tolerable ? 'parsed only with errors' : 'could not parse'} ${e.file}: ${e.message}`,
  );
}
const used = new Set();
for (const issue of result.issues) {
  const j = justified.find((x) => x.check === issue.id && x.file === issue.file && issue.line.includes(x.code));
  const where =
    issue.location.line > 0 ? `${issue.file}:${issue.location.line}:${issue.location.column}` : '(whole scan)';
  if (j) {
    used.add(j);
    console.log(`justified  ${issue.id} ${where}`);
  } else {
    failed = true;
    console.error(
      `FINDING    ${issue.id} (${issue.severity.name}, ${issue.confidence.name}) ${where}: ${issue.description}${issue.line ? `\n           ${issue.line}` : ''}`,
    );
  }
}
for (const j of justified.filter((x) => !used.has(x))) {
  failed = true;
  console.error(
    `STALE      ${justificationsFile} justifies ${j.check} in ${j.file} at "${j.code}", which is no longer reported: remove it.`,
  );
}
if (failed) {
  console.error(
    `electronegativity (Electron ${electronVersion}): fix each finding above, or justify it in .electronegativity.json.`,
  );
  process.exit(1);
}
console.log(
  `electronegativity (Electron ${electronVersion}, ${result.atomicChecks} checks + ${result.globalChecks} global): ${result.issues.length} finding(s), all justified in ${basename(justificationsFile)}.`,
);
