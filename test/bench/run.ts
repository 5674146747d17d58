/**
 * GHL Bridge performance benchmark (issue 8): shows the sync is bounded by the APIs' own limits, not by us.
 *
 *   npm run bench                       everything: 1,000 and 10,000 people, planner, UI  (~15 min on 2 cores)
 *   npm run bench -- --quick            CI smoke: 1,000 people only, planner and UI once  (< 2 min)
 *   npm run bench -- --json             one JSON object on stdout (progress goes to stderr)
 *   npm run bench -- --only=day         a day of syncs (288 at 5 min) with a day's changes: calls/day, edit delays,
 *                                       then a tail with no new changes so every change has its whole window
 *   npm run bench -- --only=sdk         the official SDK's careful script and the bridge, one full read side by side
 *   options: --sdk-contacts=1000, --day-contacts=1000 --day-syncs=288 (the day's size), --day-tail=288 (default: the re-read window in syncs; 0 with --quick), --scale=20 (time scale of every rate limit), --latency=200 (each answer's latency in real ms; divided by
 *            the scale like every window), --seed=7, --only=world,day,sdk,planner,ui,pacing,dashboard, --contacts=1000,10000 (world sizes),
 *            --verbose (minimums term by term, where the time went)
 *   npm run bench -- --only=fleet       scenario 8: full syncs per hour with 1, 2 and 4 workers on PostgreSQL (~8 min;
 *                                       not in the default set; --locations=8 --fleet-seconds=60 --workers=1,2,4)
 *
 * It prints figures; it asserts nothing (tests never assert on wall-clock time).
 */
import { runWorld, type WorldReport } from './world-bench.js';
import { dayBlock, runDay, type DayReport } from './day.js';
import { runSdkSideBySide, sdkBlock, type SdkReport } from './sdk-side-by-side.js';
import { runPlannerBench, type PlannerReport } from './planner-cost.js';
import { runUiBench, type UiReport } from './ui-conflicts.js';
import { runPacingBench, type PacingReport } from './pacing.js';
import { dashboardBlock, runDashboardBench, type DashboardReport } from './ui-dashboard.js';
import { limitsLine, plannerBlock, uiBlock, worldBlocks } from './report.js';
import { fleetBlock, runFleetBench, type FleetBenchReport } from './fleet.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string, dflt: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;

const json = flag('json');
const quick = flag('quick');
const verbose = flag('verbose');
const scale = Number(opt('scale', '20'));
const seed = Number(opt('seed', '7'));
const latency = Number(opt('latency', '200'));
const only = new Set(opt('only', 'world,day,sdk,planner,ui,pacing,dashboard').split(','));
const sdkContacts = Number(opt('sdk-contacts', quick ? '200' : '1000'));
// The day runs at --day-contacts (1,000 by default; --day-contacts=10000 takes about an hour on 2 shared cores, the
// morning's initial sync, the day and its tail): at fewer people HighLevel's per-sync costs are scaled to 10,000 too
// (test/bench/day.ts).
const dayContacts = Number(opt('day-contacts', quick ? '300' : '1000'));
const daySyncs = Number(opt('day-syncs', quick ? '48' : '288'));
// Syncs after the day with no new changes, so a change made late in the day still gets its whole re-read window
// (undefined: the window in syncs, from the settings).
const dayTailOpt = opt('day-tail', '');
const dayTail = dayTailOpt === '' ? (quick ? 0 : undefined) : Number(dayTailOpt);
if (dayTail !== undefined && !(Number.isInteger(dayTail) && dayTail >= 0))
  throw new Error('--day-tail must be a whole number of syncs, e.g. --day-tail=288');
const sizes = opt('contacts', quick ? '1000' : '1000,10000')
  .split(',')
  .map(Number);
if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number, e.g. --scale=20');

const progress = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  progress(`GHL Bridge benchmark${quick ? ' (quick)' : ''} — ${new Date().toISOString()}`);
  progress(limitsLine(scale));
  progress(
    `Each answer takes ${latency} ms (real scale; ${(latency / scale).toFixed(1)} ms here), like a remote service.`,
  );
  const worlds: WorldReport[] = [];
  if (only.has('world')) {
    for (const contacts of sizes) {
      progress(`\nScenarios 1–3 with ${contacts.toLocaleString('en')} people…`);
      worlds.push(await runWorld({ contacts, seed, scale, latencyMs: latency, log: progress }));
    }
  }
  let day: DayReport | undefined;
  if (only.has('day')) {
    progress(
      `\nA day: ${daySyncs} syncs at 5 min with ${dayContacts.toLocaleString('en')} people, then ${dayTail ?? 'the re-read window in'} syncs with no new changes…`,
    );
    day = await runDay({
      contacts: dayContacts,
      seed,
      scale,
      latencyMs: latency,
      syncs: daySyncs,
      tail: dayTail,
      intervalMin: 5,
      log: progress,
    });
  }
  let sdk: SdkReport | undefined;
  if (only.has('sdk')) {
    progress(`\nSDK side by side with ${sdkContacts.toLocaleString('en')} people…`);
    sdk = await runSdkSideBySide({ contacts: sdkContacts, seed, scale, latencyMs: latency, log: progress });
  }
  let planner: PlannerReport | undefined;
  if (only.has('planner')) {
    progress('\nScenario 4: planner cost…');
    planner = await runPlannerBench({ links: 100_000, repeat: quick ? 1 : 3, log: progress });
  }
  let ui: UiReport | undefined;
  if (only.has('ui')) {
    progress('\nScenario 5: the Conflicts screen in Chromium…');
    ui = await runUiBench({ conflicts: 10_000, log: progress });
  }
  let pacing: PacingReport | undefined;
  if (only.has('pacing')) {
    progress('\nScenario 6: rate windows shared between processes…');
    pacing = await runPacingBench({ log: progress });
  }
  let dashboard: DashboardReport | undefined;
  if (only.has('dashboard')) {
    progress('\nScenario 7: the Dashboard with 100,000 linked people in Chromium…');
    dashboard = await runDashboardBench({ people: quick ? 10_000 : 100_000, log: progress });
  }
  let fleet: FleetBenchReport | undefined;
  if (only.has('fleet')) {
    progress('\nScenario 8: a fleet of workers on PostgreSQL…');
    fleet = await runFleetBench({
      locations: Number(opt('locations', '8')),
      seconds: Number(opt('fleet-seconds', '60')),
      workers: opt('workers', '1,2,4').split(',').map(Number),
      seed,
      log: progress,
    });
  }
  const out = {
    scale,
    latencyMs: latency,
    seed,
    quick,
    worlds,
    day,
    planner,
    ui,
    pacing,
    dashboard,
    fleet,
    totalMs: Date.now() - started,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const lines: string[] = [''];
  for (const w of worlds) lines.push(...worldBlocks(w, verbose), '');
  if (day) lines.push(...dayBlock(day), '');
  if (sdk) lines.push(...sdkBlock(sdk), '');
  if (planner) lines.push(...plannerBlock(planner), '');
  if (ui) lines.push(...uiBlock(ui), '');
  if (dashboard) lines.push(...dashboardBlock(dashboard), '');
  if (fleet) lines.push(...fleetBlock(fleet), '');
  lines.push(`Benchmark finished in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
