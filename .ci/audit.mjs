#!/usr/bin/env node
// CI: npm audit of the production dependencies. A high or critical advisory fails the build unless
// SECURITY-EXCEPTIONS.md names its advisory id (GHSA-…) with the reason; if the registry cannot be reached for the
// audit, this only warns. `--from FILE` checks a saved `npm audit --json` answer instead (tests).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fromFile = args.includes('--from') ? args[args.indexOf('--from') + 1] : undefined;
const exceptionsFile = process.env.SECURITY_EXCEPTIONS_FILE ?? join(root, 'SECURITY-EXCEPTIONS.md');

let raw;
if (fromFile) raw = readFileSync(fromFile, 'utf8');
else {
  try {
    raw = execFileSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
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
if (!report || (!report.vulnerabilities && !report.advisories)) {
  const why = report?.message ?? report?.error?.summary ?? (raw.trim() ? raw.trim().split('\n')[0] : 'no answer');
  console.warn(`WARNING: npm audit could not check the production dependencies (${why}). The audit was skipped — run "npm audit --omit=dev" where the registry is reachable.`);
  process.exit(0);
}

const documented = new Set((existsSync(exceptionsFile) ? readFileSync(exceptionsFile, 'utf8') : '').match(/GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}/gi)?.map((s) => s.toUpperCase()) ?? []);
const serious = new Map();
for (const v of Object.values(report.vulnerabilities ?? {})) {
  for (const via of v.via ?? []) {
    if (typeof via !== 'object' || !['high', 'critical'].includes(via.severity)) continue;
    const id = (/GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}/i.exec(via.url ?? '')?.[0] ?? `npm-${via.source}`).toUpperCase();
    serious.set(id, `${via.severity} in ${via.name ?? v.name}: ${via.title ?? ''} (${via.url ?? id})`);
  }
}
const open = [...serious].filter(([id]) => !documented.has(id));
for (const [id, what] of serious) console.log(`${documented.has(id) ? 'documented exception' : 'NOT DOCUMENTED'}: ${id} — ${what}`);
if (open.length) {
  console.error(`npm audit: ${open.length} high/critical advisory(ies) in production dependencies without a documented exception. Update the dependency, or add the advisory id and why it does not apply to SECURITY-EXCEPTIONS.md.`);
  process.exit(1);
}
console.log(`npm audit: no undocumented high or critical advisory in production dependencies (${serious.size} documented).`);
