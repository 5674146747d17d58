/**
 * The CI dependency gate (.ci/audit.mjs, run by .ci/run before the tests), fed saved `npm audit --json` answers,
 * small lockfiles and advisory lists: a high or critical advisory in a production dependency fails the build unless
 * SECURITY-EXCEPTIONS.md names it; moderate ones pass. It fails closed: when npm audit cannot run, the production
 * packages are checked against the advisory list shipped in .ci/advisories.json, and a missing or stale list fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const script = join(repo, '.ci/audit.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ghlb-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const path = join(dir, `f${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

interface GateInput {
  answer: unknown; // what `npm audit --json` printed
  exceptions?: string;
  lockfile?: unknown; // parsed package-lock.json, or a path
  list?: unknown; // parsed .ci/advisories.json, a path, or null for a missing file
  today?: string;
  extra?: string[];
}

const LOCK = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', version: '1.0.0' },
    'node_modules/fastify': { version: '5.12.8' },
    'node_modules/@fastify/static': { version: '8.3.0' },
    'node_modules/glob/node_modules/minimatch': { version: '11.0.10' },
    'node_modules/vitest': { version: '4.1.12', dev: true },
  },
};
const EMPTY_LIST = { reviewed: '2026-12-01', advisories: [] };
const UNREACHABLE = {
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  statusCode: 405,
};
const CLEAN = { auditReportVersion: 2, vulnerabilities: {}, metadata: {} };

function gate({
  answer,
  exceptions = '# none\n',
  lockfile = LOCK,
  list = EMPTY_LIST,
  today = '2026-12-04',
  extra = [],
}: GateInput) {
  const listPath = list === null ? join(dir, 'missing.json') : typeof list === 'string' ? list : file(list);
  const lockPath = typeof lockfile === 'string' ? lockfile : file(lockfile);
  const exc = join(dir, `exceptions-${n++}.md`);
  writeFileSync(exc, exceptions);
  const args = [
    script,
    '--from',
    file(answer),
    '--lockfile',
    lockPath,
    '--advisories',
    listPath,
    '--today',
    today,
    ...extra,
  ];
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, SECURITY_EXCEPTIONS_FILE: exc },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, listPath };
}

const vuln = (severity: string, ghsa: string) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    fastify: {
      name: 'fastify',
      severity,
      via: [
        {
          source: 1099,
          name: 'fastify',
          title: 'Something bad',
          url: `https://github.com/advisories/${ghsa}`,
          severity,
          range: '<5.99.0',
        },
      ],
      effects: [],
    },
  },
  metadata: { vulnerabilities: { [severity]: 1 } },
});

const staticAdvisory = {
  id: 'GHSA-83w8-p2f5-377r',
  package: '@fastify/static',
  vulnerable: '<10.1.1',
  severity: 'high',
  title: 'route guard bypass',
};

describe('npm audit gate: the live audit', () => {
  it('fails on an undocumented high or critical advisory, naming it', () => {
    for (const sev of ['high', 'critical']) {
      const r = gate({ answer: vuln(sev, 'GHSA-abcd-efgh-ijkl') });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/GHSA-ABCD-EFGH-IJKL/);
      expect(r.out).toMatch(/SECURITY-EXCEPTIONS\.md/);
    }
  });

  it('passes when SECURITY-EXCEPTIONS.md documents the advisory id', () => {
    const r = gate({
      answer: vuln('high', 'GHSA-abcd-efgh-ijkl'),
      exceptions: '| GHSA-abcd-efgh-ijkl | fastify | only the unused http2 path is affected | 2027-01 |\n',
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/documented exception/);
  });

  it('passes moderate and low advisories, and a clean report', () => {
    expect(gate({ answer: vuln('moderate', 'GHSA-aaaa-bbbb-cccc') }).code).toBe(0);
    expect(gate({ answer: CLEAN }).code).toBe(0);
  });

  it('also applies the shipped list when the audit ran (a clean audit does not hide a listed advisory)', () => {
    const r = gate({ answer: CLEAN, list: { reviewed: '2026-12-01', advisories: [staticAdvisory] } });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/GHSA-83W8-P2F5-377R.*@fastify\/static@8\.3\.0/);
  });
});

describe('npm audit gate: fails closed when the audit cannot run', () => {
  it('fails when npm audit could not check and there is no shipped list to check against', () => {
    for (const answer of [UNREACHABLE, '', 'npm ERR! network', { advisories: {}, metadata: {} }]) {
      const r = gate({ answer, list: null });
      expect(r.code, JSON.stringify(answer)).toBe(1);
      expect(r.out).toMatch(/npm audit could not check/);
      expect(r.out).toMatch(/Nothing was checked/);
    }
  });

  it('fails when the shipped list was last reviewed more than 90 days ago', () => {
    const r = gate({ answer: UNREACHABLE, list: { reviewed: '2026-09-04', advisories: [] }, today: '2026-12-04' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/last reviewed on 2026-09-04 \(91 days ago/);
    expect(
      gate({ answer: UNREACHABLE, list: { reviewed: '2026-09-05', advisories: [] }, today: '2026-12-04' }).code,
    ).toBe(0);
  });

  it('fails on a malformed list (no date, a bad range)', () => {
    expect(gate({ answer: UNREACHABLE, list: { advisories: [] } }).code).toBe(1);
    const bad = gate({
      answer: UNREACHABLE,
      list: { reviewed: '2026-12-01', advisories: [{ ...staticAdvisory, vulnerable: 'not a range' }] },
    });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/invalid "vulnerable" range/);
  });

  it('fails on a production package in a listed high range, naming it; passes outside the range or with an exception', () => {
    const list = {
      reviewed: '2026-12-01',
      advisories: [
        staticAdvisory,
        {
          id: 'GHSA-1111-2222-3333',
          package: 'minimatch',
          vulnerable: '>=11.0.0 <11.0.11',
          severity: 'critical',
          title: 'nested copy',
        },
      ],
    };
    const hit = gate({ answer: UNREACHABLE, list });
    expect(hit.code).toBe(1);
    expect(hit.out).toMatch(/GHSA-83W8-P2F5-377R/);
    expect(hit.out).toMatch(/GHSA-1111-2222-3333.*minimatch@11\.0\.10/); // found under a nested node_modules too
    const fixed = structuredClone(LOCK) as any;
    fixed.packages['node_modules/@fastify/static'].version = '10.1.11';
    fixed.packages['node_modules/glob/node_modules/minimatch'].version = '11.0.11';
    const ok = gate({ answer: UNREACHABLE, list, lockfile: fixed });
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/shipped list only: npm audit did not run/);
    expect(
      gate({ answer: UNREACHABLE, list, exceptions: 'GHSA-83w8-p2f5-377r: not served\nGHSA-1111-2222-3333: x\n' }).code,
    ).toBe(0);
  });

  it('ignores development packages and moderate entries', () => {
    const list = {
      reviewed: '2026-12-01',
      advisories: [
        { ...staticAdvisory, severity: 'moderate' },
        { id: 'GHSA-4444-5555-6666', package: 'vitest', vulnerable: '*', severity: 'critical' },
      ],
    };
    expect(gate({ answer: UNREACHABLE, list }).code).toBe(0);
  });
});

describe('npm audit gate: --update-list', () => {
  it("adds the live audit's high/critical advisories with their ranges and dates the list", () => {
    const list = file({ about: 'kept', reviewed: '2026-01-01', advisories: [staticAdvisory] });
    const r = gate({
      answer: vuln('critical', 'GHSA-abcd-efgh-ijkl'),
      list,
      extra: ['--update-list'],
      exceptions: 'GHSA-abcd-efgh-ijkl GHSA-83w8-p2f5-377r\n',
    });
    expect(r.code).toBe(0);
    const updated = JSON.parse(readFileSync(list, 'utf8'));
    expect(updated.about).toBe('kept');
    expect(updated.reviewed).toBe('2026-12-04');
    expect(updated.advisories).toEqual([
      staticAdvisory,
      {
        id: 'GHSA-ABCD-EFGH-IJKL',
        package: 'fastify',
        vulnerable: '<5.99.0',
        severity: 'critical',
        title: 'Something bad',
      },
    ]);
  });

  it('refuses to update without a live audit', () => {
    const r = gate({ answer: UNREACHABLE, extra: ['--update-list'] });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/needs a live npm audit/);
  });
});

describe("the project's own dependencies", () => {
  const shipped = join(repo, '.ci/advisories.json');
  const reviewed = (JSON.parse(readFileSync(shipped, 'utf8')) as { reviewed: string }).reviewed;
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));

  it('package-lock.json passes the shipped advisory list', () => {
    const r = gate({
      answer: UNREACHABLE,
      list: shipped,
      lockfile: join(repo, 'package-lock.json'),
      today: reviewed,
      exceptions: readFileSync(join(repo, 'SECURITY-EXCEPTIONS.md'), 'utf8'),
    });
    expect(r.out).not.toMatch(/NOT DOCUMENTED/);
    expect(r.code).toBe(0);
  });

  it('the shipped list would catch @fastify/static 8.3.0 (the version the security review flagged)', () => {
    const old = structuredClone(lock);
    old.packages['node_modules/@fastify/static'].version = '8.3.0';
    const r = gate({ answer: UNREACHABLE, list: shipped, lockfile: old, today: reviewed });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/GHSA-83W8-P2F5-377R/);
    expect(r.out).toMatch(/GHSA-423G-23CH-W7C6/);
  });
});
