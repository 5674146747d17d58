#!/usr/bin/env node
// CI: the dependency gate for the production dependencies. It fails closed: the build passes only when the
// dependencies were actually checked and nothing high or critical is left undocumented.
//
//   1. `npm audit --omit=dev --json` — the npm registry's live advisories.
//   2. .ci/advisories.json — advisories shipped with the project (GHSA id, package, vulnerable semver range, severity),
//      matched against the production packages that package-lock.json installs. Always checked. When the live audit
//      cannot run (registry unreachable, its audit endpoint refusing — npm's bulk-advisory POST answers 405 on the
//      project's build machines — or an answer that is not an audit report) it is the only check, and then the list must
//      have been reviewed within MAX_LIST_AGE_DAYS; a missing, unreadable or stale list fails the build.
//
// A high or critical advisory from either source fails the build unless SECURITY-EXCEPTIONS.md names its id (GHSA-…)
// with the reason. Options: `--from FILE` judges a saved `npm audit --json` answer instead of running npm (tests);
// `--lockfile FILE`, `--advisories FILE`, `--today YYYY-MM-DD` point at other inputs (tests); `--update-list` adds
// the live audit's high/critical advisories to the shipped list and dates it today (run it where the audit works).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const semver = createRequire(import.meta.url)('semver');

const MAX_LIST_AGE_DAYS = 90;
const GHSA = /GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}/gi;
const SERIOUS = new Set(['high', 'critical']);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const fromFile = opt('--from');
const lockfile = opt('--lockfile') ?? join(root, 'package-lock.json');
const listFile = opt('--advisories') ?? join(root, '.ci', 'advisories.json');
const today = opt('--today') ?? new Date().toISOString().slice(0, 10);
const exceptionsFile = process.env.SECURITY_EXCEPTIONS_FILE ?? join(root, 'SECURITY-EXCEPTIONS.md');

function fail(message) {
  console.error(`FAILED: ${message}`);
  process.exit(1);
}

// 1. The live audit.
let raw;
if (fromFile) raw = readFileSync(fromFile, 'utf8');
else {
  try {
    raw = execFileSync('npm', ['audit', '--omit=dev', '--json'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (e) {
    // npm audit exits non-zero when it finds something (the JSON is still on stdout) or when it fails.
    raw = e.stdout ?? '';
  }
}
let report;
try {
  report = JSON.parse(raw);
} catch {
  report = undefined;
}
// Only an npm 7+ audit report counts as "checked"; anything else (an error answer, npm 6's format, nothing) did not check.
const audited =
  report?.auditReportVersion === 2 && report.vulnerabilities !== null && typeof report.vulnerabilities === 'object';

const serious = new Map(); // advisory id → what it is
if (audited) {
  for (const v of Object.values(report.vulnerabilities)) {
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || !SERIOUS.has(via.severity)) continue;
      const id = ((via.url ?? '').match(GHSA)?.[0] ?? `npm-${via.source}`).toUpperCase();
      serious.set(id, `${via.severity} in ${via.name ?? v.name}: ${via.title ?? ''} (${via.url ?? id}) [npm audit]`);
    }
  }
} else {
  const why = report?.message ?? report?.error?.summary ?? (raw.trim() ? raw.trim().split('\n')[0] : 'no answer');
  console.warn(
    `npm audit could not check the production dependencies (${why}); checking them against the advisory list shipped in ${listFile} instead.`,
  );
}

// 2. The shipped advisory list.
let list;
try {
  list = JSON.parse(readFileSync(listFile, 'utf8'));
} catch (e) {
  list = undefined;
  if (!audited)
    fail(`npm audit did not run and the shipped advisory list cannot be read (${e.message}). Nothing was checked.`);
  console.warn(`WARNING: the shipped advisory list cannot be read (${e.message}); only the live audit was checked.`);
}
if (list) {
  if (!Array.isArray(list.advisories) || !/^\d{4}-\d{2}-\d{2}$/.test(list.reviewed ?? '')) {
    fail(`${listFile} must have "reviewed": "YYYY-MM-DD" and an "advisories" array.`);
  }
  const ageDays = (Date.parse(today) - Date.parse(list.reviewed)) / 86_400_000;
  if (!audited && !(ageDays <= MAX_LIST_AGE_DAYS)) {
    fail(
      `npm audit did not run and the shipped advisory list was last reviewed on ${list.reviewed} (${Math.round(ageDays)} days ago, more than ${MAX_LIST_AGE_DAYS}). Review it against the GitHub Advisory Database (or run "node .ci/audit.mjs --update-list" where npm audit works) and update "reviewed".`,
    );
  }
  if (!(ageDays <= MAX_LIST_AGE_DAYS))
    console.warn(
      `WARNING: the shipped advisory list was last reviewed on ${list.reviewed}; CI fails on it when npm audit cannot run. Refresh it with --update-list.`,
    );

  const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
  if (!lock.packages) fail(`${lockfile} has no "packages" (lockfileVersion 2 or later is needed).`);
  const installed = []; // [name, version] of every production package
  for (const [path, p] of Object.entries(lock.packages)) {
    if (!path || p.dev || p.link || !p.version) continue;
    installed.push([p.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), p.version]);
  }
  let hits = 0;
  for (const a of list.advisories) {
    if (!SERIOUS.has(a.severity)) continue;
    if (!semver.validRange(a.vulnerable))
      fail(`${listFile}: ${a.id} has an invalid "vulnerable" range ${JSON.stringify(a.vulnerable)}.`);
    for (const [name, version] of installed) {
      if (name !== a.package || !semver.satisfies(version, a.vulnerable, { includePrerelease: true })) continue;
      hits++;
      serious.set(
        a.id.toUpperCase(),
        `${a.severity} in ${name}@${version} (vulnerable ${a.vulnerable}): ${a.title ?? ''} [shipped list]`,
      );
    }
  }
  console.log(
    `Shipped advisory list (reviewed ${list.reviewed}): ${list.advisories.length} advisories against ${installed.length} production packages, ${hits} match.`,
  );
}

if (args.includes('--update-list')) {
  if (!audited) fail('--update-list needs a live npm audit report, and npm audit did not run.');
  const entries = new Map((list?.advisories ?? []).map((a) => [`${a.id.toUpperCase()} ${a.package}`, a]));
  for (const v of Object.values(report.vulnerabilities)) {
    for (const via of v.via ?? []) {
      const id = (via?.url ?? '').match(GHSA)?.[0]?.toUpperCase();
      if (typeof via !== 'object' || !SERIOUS.has(via.severity) || !id || !semver.validRange(via.range)) continue;
      entries.set(`${id} ${via.name}`, {
        id,
        package: via.name,
        vulnerable: via.range,
        severity: via.severity,
        title: via.title ?? '',
      });
    }
  }
  writeFileSync(
    listFile,
    `${JSON.stringify({ ...(list ?? {}), reviewed: today, advisories: [...entries.values()] }, null, 2)}\n`,
  );
  console.log(`Updated ${listFile}: ${entries.size} advisories, reviewed ${today}.`);
}

const documented = new Set(
  (existsSync(exceptionsFile) ? readFileSync(exceptionsFile, 'utf8') : '').match(GHSA)?.map((s) => s.toUpperCase()) ??
    [],
);
const open = [...serious].filter(([id]) => !documented.has(id));
for (const [id, what] of serious)
  console.log(`${documented.has(id) ? 'documented exception' : 'NOT DOCUMENTED'}: ${id} — ${what}`);
if (open.length) {
  fail(
    `${open.length} high/critical advisory(ies) in production dependencies without a documented exception. Update the dependency, or add the advisory id and why it does not apply to SECURITY-EXCEPTIONS.md.`,
  );
}
console.log(
  `Dependency audit (${audited ? 'npm audit + shipped list' : 'shipped list only: npm audit did not run'}): no undocumented high or critical advisory in production dependencies (${serious.size} documented).`,
);
