/**
 * The cost of sharing the rate windows between processes (main/connectors/shared/README.md, "Pacing across
 * processes"): the same 2,000 grants through a pacer of GHL's limits (100 per 10 s) with and without the shared file,
 * on a clock that moves 100 ms a request (the pace the limit allows, so nothing waits): what each grant costs on top,
 * and how often the file is written. Real files in a temporary profile folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FilePaceShare } from '../../main/connectors/shared/pace-share.js';
import { Pacer } from '../../main/connectors/shared/pacer.js';

export interface PacingReport {
  grants: number;
  localUsPerCall: number;
  sharedUsPerCall: number;
  overheadUsPerCall: number;
  writesPerCall: number;
}

let clock = Date.now();
const now = () => clock;

async function grantAll(grants: number, share?: FilePaceShare): Promise<number> {
  const pacer = new Pacer({
    windows: [{ name: 'burst', max: 100, windowMs: 10_000 }],
    now,
    sleep: async (ms) => void (clock += ms),
    countUntilDone: true,
    share,
  });
  const t0 = performance.now();
  for (let i = 0; i < grants; i++) {
    await pacer.acquire();
    pacer.attemptDone();
    clock += 100;
  }
  return performance.now() - t0;
}

export async function runPacingBench(
  opts: { grants?: number; log?: (line: string) => void } = {},
): Promise<PacingReport> {
  const grants = opts.grants ?? 2_000;
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-pacing-bench-'));
  try {
    const local = await grantAll(grants);
    const share = new FilePaceShare({ path: join(dir, 'pacing', 'ghl.json'), now });
    const shared = await grantAll(grants, share);
    const r = {
      grants,
      localUsPerCall: (local * 1000) / grants,
      sharedUsPerCall: (shared * 1000) / grants,
      overheadUsPerCall: ((shared - local) * 1000) / grants,
      writesPerCall: share.writes / grants,
    };
    opts.log?.(pacingLine(r));
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const pacingLine = (r: PacingReport) =>
  `Shared pacing: ${r.overheadUsPerCall.toFixed(0)} µs per call on top of ${r.localUsPerCall.toFixed(0)} µs (${r.grants} grants at GHL's limit), ` +
  `one file write per ${(1 / r.writesPerCall).toFixed(0)} calls.`;
