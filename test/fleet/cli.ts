/**
 * `npm run soak:fleet -- [--locations N] [--workers W] [--cycles C] [--kills K] [--seed S] [--contacts N] [--json]`:
 * the long fleet soak (test/fleet/README.md). Exit code 1 when an invariant fails.
 */
import { parseArgs } from 'node:util';
import { runFleetSoak } from './soak.js';

const { values } = parseArgs({
  options: {
    locations: { type: 'string', default: '20' },
    workers: { type: 'string', default: '3' },
    cycles: { type: 'string', default: '40' },
    kills: { type: 'string', default: '8' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    contacts: { type: 'string', default: '12' },
    'settle-minutes': { type: 'string', default: '10' },
    json: { type: 'boolean' },
  },
});
const num = (k: keyof typeof values) => Number(values[k]);
const report = await runFleetSoak({
  locations: num('locations'),
  workers: num('workers'),
  cycles: num('cycles'),
  kills: num('kills'),
  seed: num('seed'),
  contacts: num('contacts'),
  settleMinutes: num('settle-minutes'),
  onProgress: values.json ? undefined : (l) => process.stdout.write(`${new Date().toISOString()} ${l}\n`),
});
if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
else {
  const { findings, ...rest } = report;
  process.stdout.write(JSON.stringify(rest, null, 2) + '\n');
  for (const f of findings.slice(0, 30)) process.stdout.write(`finding ${f.location} ${f.kind}: ${f.message}\n`);
}
process.exit(report.ok ? 0 : 1);
