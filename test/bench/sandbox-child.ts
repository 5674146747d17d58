/**
 * The three sandboxes in a child process, for the benchmark: the real services are remote, so the sandboxes'
 * CPU must not be counted as ours nor slow our event loop. Prints one JSON line (base URLs, admin tokens,
 * credentials) and serves until stdin closes. Everything else goes over HTTP (the API, and /__admin for edits
 * and stats), exactly as the bench would talk to any remote service.
 *
 *   node --import tsx test/bench/sandbox-child.ts --serve --seed=7 --contacts=1000 --scale=20 --latencyMs=10
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSandboxes, type Sandboxes } from '../../main/sandbox/index.js';
import { DEMO_REDIRECT } from '../../main/cli/demo.js';

export interface ChildHello {
  ghl: { baseUrl: string; adminToken: string; credentials: Sandboxes['ghl']['credentials'] };
  aroflo: { baseUrl: string; adminToken: string; credentials: Sandboxes['aroflo']['credentials'] };
  aimfox: { baseUrl: string; adminToken: string; credentials: Sandboxes['aimfox']['credentials'] };
  /** How long the child took to generate the world and start the sandboxes. */
  startMs: number;
}

export interface RemoteSandboxes {
  hello: ChildHello;
  /** Move the sandboxes' clock forward (a compressed day: the minutes between two syncs pass at once). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const argOf = (name: string, dflt: number): number => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : dflt;
};

async function serve(): Promise<void> {
  const t0 = performance.now();
  // The sandboxes' clock: real time plus whatever the parent moved it forward by (`advance`).
  let offset = 0;
  const boxes = await startSandboxes({
    now: () => Date.now() + offset,
    seed: argOf('seed', 7),
    contacts: argOf('contacts', 1000),
    rateLimits: argOf('scale', 20),
    admin: true,
    redirectUris: [DEMO_REDIRECT],
  });
  // Every answer takes this long, like a remote service (the real-world latency divided by the time scale).
  const latency = argOf('latencyMs', 0);
  if (latency > 0) boxes.setFaults(`system=*,rate=1,kinds=latency,latency=${latency}`);
  const hello: ChildHello = {
    ghl: { baseUrl: boxes.ghl.baseUrl, adminToken: boxes.ghl.adminToken!, credentials: boxes.ghl.credentials },
    aroflo: {
      baseUrl: boxes.aroflo.baseUrl,
      adminToken: boxes.aroflo.adminToken!,
      credentials: boxes.aroflo.credentials,
    },
    aimfox: {
      baseUrl: boxes.aimfox.baseUrl,
      adminToken: boxes.aimfox.adminToken!,
      credentials: boxes.aimfox.credentials,
    },
    startMs: performance.now() - t0,
  };
  process.stdout.write(`${JSON.stringify(hello)}\n`);
  // Serve until the parent closes our stdin (or dies); a line {"advance": ms} moves the clock, answered {"offset": ms}.
  for await (const line of createInterface({ input: process.stdin })) {
    const m = JSON.parse(line || '{}') as { advance?: number };
    if (typeof m.advance === 'number') {
      offset += m.advance;
      process.stdout.write(`${JSON.stringify({ offset })}\n`);
    }
  }
  await boxes.close();
}

/** Start the sandboxes in a child process and wait for its hello line. */
export async function startRemoteSandboxes(opts: {
  seed: number;
  contacts: number;
  scale: number;
  latencyMs: number;
}): Promise<RemoteSandboxes> {
  const args = [
    `--seed=${opts.seed}`,
    `--contacts=${opts.contacts}`,
    `--scale=${opts.scale}`,
    `--latencyMs=${opts.latencyMs}`,
  ];
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), exited.then(() => undefined)]);
  if (!first || first.done) throw new Error('The sandbox process ended before it was ready (see the error above).');
  const hello = JSON.parse(first.value as string) as ChildHello;
  return {
    hello,
    async advance(ms) {
      child.stdin!.write(`${JSON.stringify({ advance: ms })}\n`);
      const ack = await lines.next();
      if (ack.done) throw new Error('The sandbox process ended.');
    },
    async close() {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGTERM'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

if (process.argv.includes('--serve')) {
  serve().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
