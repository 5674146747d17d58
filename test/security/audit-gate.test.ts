/**
 * The CI dependency gate (.ci/audit.mjs, run by .ci/run before the tests), fed saved `npm audit --json` answers:
 * a high or critical advisory in a production dependency fails the build unless SECURITY-EXCEPTIONS.md names it;
 * moderate ones pass; an unreachable registry only warns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../.ci/audit.mjs');
const dir = mkdtempSync(join(tmpdir(), 'ghlb-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(answer: unknown, exceptions = '# none\n') {
  const report = join(dir, `audit-${Math.random().toString(36).slice(2)}.json`);
  const exc = join(dir, `exceptions-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(report, typeof answer === 'string' ? answer : JSON.stringify(answer));
  writeFileSync(exc, exceptions);
  const r = spawnSync(process.execPath, [script, '--from', report], { encoding: 'utf8', env: { ...process.env, SECURITY_EXCEPTIONS_FILE: exc } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const vuln = (severity: string, ghsa: string) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    fastify: { name: 'fastify', severity, via: [{ source: 1099, name: 'fastify', title: 'Something bad', url: `https://github.com/advisories/${ghsa}`, severity }], effects: [] },
  },
  metadata: { vulnerabilities: { [severity]: 1 } },
});

describe('npm audit gate', () => {
  it('fails on an undocumented high or critical advisory, naming it', () => {
    for (const sev of ['high', 'critical']) {
      const r = gate(vuln(sev, 'GHSA-abcd-efgh-ijkl'));
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/GHSA-ABCD-EFGH-IJKL/);
      expect(r.out).toMatch(/SECURITY-EXCEPTIONS\.md/);
    }
  });

  it('passes when SECURITY-EXCEPTIONS.md documents the advisory id', () => {
    const r = gate(vuln('high', 'GHSA-abcd-efgh-ijkl'), '| GHSA-abcd-efgh-ijkl | fastify | only the unused http2 path is affected | 2027-01 |\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/documented exception/);
  });

  it('passes moderate and low advisories, and a clean report', () => {
    expect(gate(vuln('moderate', 'GHSA-aaaa-bbbb-cccc')).code).toBe(0);
    expect(gate({ auditReportVersion: 2, vulnerabilities: {}, metadata: {} }).code).toBe(0);
  });

  it('only warns when the registry cannot be reached for the audit', () => {
    const r = gate({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', error: { summary: '' } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/WARNING: npm audit could not check/);
    expect(gate('').code).toBe(0);
  });
});
