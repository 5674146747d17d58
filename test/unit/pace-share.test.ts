/**
 * The shared pacing file (main/connectors/shared/pace-share.ts): what one process reserved counts for every other
 * process on the profile, a process that died blocks nobody once its window is over, and a server's hold-off reaches
 * every process. Each FilePaceShare below stands for one process (its own token), all on one file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePaceShare, type ShareWindow } from '../../main/connectors/shared/pace-share.js';
import { Pacer } from '../../main/connectors/shared/pacer.js';

const dir = mkdtempSync(join(tmpdir(), 'ghlb-pace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clock = 1_000_000;
const now = () => clock;
let n = 0;
const file = () => join(dir, `share-${++n}.json`);
const window = (own: number[] = [], inFlight = 0): ShareWindow[] => [
  { name: 'burst', max: 10, windowMs: 1_000, own, inFlight },
];

describe('FilePaceShare', () => {
  it("a process's reserved and used slots are not handed to another process until they leave the window", async () => {
    const path = file();
    const a = new FilePaceShare({ path, now, batch: 4, leaseMs: 100, flightMs: 50 });
    const b = new FilePaceShare({ path, now, batch: 4, leaseMs: 100, flightMs: 50 });
    // A has 6 requests done in the window and reserves 4 more: the window (10) is A's.
    const ra = await a.reserve(
      clock,
      window([clock + 900, clock + 900, clock + 950, clock + 950, clock + 1000, clock + 1000]),
    );
    expect(ra.slots).toBe(4);
    const rb = await b.reserve(clock, window());
    expect(rb.slots).toBe(0);
    expect(rb.retryMs).toBeGreaterThan(0);
    // When A's oldest requests have left the window, B gets exactly what they freed.
    clock += 901;
    const later = await b.reserve(clock, window());
    expect(later.slots).toBe(2);
  });

  it('a process that died blocks nobody once its slots have left the window', async () => {
    const path = file();
    const dead = new FilePaceShare({ path, now, batch: 10, leaseMs: 100, flightMs: 50 });
    expect((await dead.reserve(clock, window([], 0))).slots).toBe(10);
    const next = new FilePaceShare({ path, now, batch: 10, leaseMs: 100, flightMs: 50 });
    expect((await next.reserve(clock, window())).slots).toBe(0);
    clock += 100 + 50 + 1_000 + 1; // lease + flight + one window: the reserved slots expire with their window
    expect((await next.reserve(clock, window())).slots).toBe(10);
  });

  it('a process shares again one window after a passing file error, and says so once', async () => {
    const path = file();
    const problems: string[] = [];
    const a = new FilePaceShare({ path, now, batch: 10, leaseMs: 100, flightMs: 50 });
    const b = new FilePaceShare({
      path,
      now,
      batch: 10,
      leaseMs: 100,
      flightMs: 50,
      onProblem: (m) => problems.push(m),
    });
    // The state file's name is briefly taken by a directory (as a sync tool, a scanner's lock or a full disk would
    // make one write fail): B paces alone for now.
    mkdirSync(join(path, 'x'), { recursive: true });
    expect((await b.reserve(clock, window())).slots).toBe(10);
    await b.reserve(clock, window());
    expect(problems).toHaveLength(1);
    rmSync(path, { recursive: true, force: true });
    // One window later the file works again: A takes the whole window, and B, asked afterwards, counts that.
    clock += 1_000;
    expect((await a.reserve(clock, window())).slots).toBe(10);
    expect((await b.reserve(clock, window())).slots, 'B counts what A holds').toBe(0);
    expect(problems).toHaveLength(1);
  });

  it("a server's hold-off seen by one process holds every process", async () => {
    const path = file();
    const a = new FilePaceShare({ path, now });
    const b = new FilePaceShare({ path, now });
    await a.holdOff(clock + 5_000);
    expect((await b.reserve(clock, window())).blockedUntil).toBe(clock + 5_000);
  });

  it('two pacers on one file never grant more than the window between them', async () => {
    const path = file();
    const grants: number[] = [];
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const pacer = () =>
      new Pacer({
        windows: [{ name: 'burst', max: 10, windowMs: 1_000 }],
        now,
        sleep,
        countUntilDone: true,
        share: new FilePaceShare({ path, now, flightMs: 50 }),
      });
    const [p, q] = [pacer(), pacer()];
    for (let i = 0; i < 30; i++) {
      for (const x of [p, q]) {
        await x.acquire();
        grants.push(clock);
        x.attemptDone();
      }
    }
    // In every window of 1 s (counting a request until one window after its answer, here at once) at most 10.
    for (const t of grants) expect(grants.filter((g) => g > t - 1_000 && g <= t).length).toBeLessThanOrEqual(10);
  });
});
