/** Shared set-up for the AroFlo connector's integration tests: a real sandbox over HTTP, time-scaled limits. */
import { startArofloSandbox } from '../../main/sandbox/aroflo/index.js';
import { generateWorld } from '../../main/sandbox/world.js';
import { ArofloClient, type ArofloClientOptions } from '../../main/connectors/aroflo/index.js';
import type { ArofloLimits } from '../../main/connectors/aroflo/transport.js';

/**
 * Our pacer windows for a sandbox whose windows are divided by `factor` (counts unchanged). The safety margins
 * absorb the delay between a granted slot and the request reaching the server, which does not shrink with the
 * time scale, so they are given in real milliseconds.
 */
export function scaledLimits(
  factor: number,
  margins: { secondMs?: number; minuteMs?: number } = {},
): Partial<ArofloLimits> {
  return {
    secondWindowMs: 1000 / factor,
    minuteWindowMs: 60_000 / factor,
    secondMarginMs: margins.secondMs ?? 10,
    minuteMarginMs: margins.minuteMs ?? 50,
  };
}

export async function sandbox(
  opts: { contacts?: number; seed?: number; rateLimits?: 'real' | 'off' | number; now?: () => number } = {},
) {
  return startArofloSandbox({
    world: generateWorld({ seed: opts.seed ?? 11, contacts: opts.contacts ?? 120 }),
    port: 0,
    // Limits are enforced only where a test is about them (the pacing test); elsewhere a stray 429 would only
    // add noise to request counts the tests check.
    rateLimits: opts.rateLimits ?? 'off',
    admin: true,
    now: opts.now,
  });
}

export type Sandbox = Awaited<ReturnType<typeof sandbox>>;

export function clientFor(sb: Sandbox, factor = 20, extra: Partial<ArofloClientOptions> = {}): ArofloClient {
  const { uEncoded, pEncoded, orgEncoded, secretKey } = sb.credentials;
  return new ArofloClient({
    baseUrl: sb.baseUrl,
    credentials: { uEncoded, pEncoded, orgEncoded, secretKey },
    limits: scaledLimits(factor),
    baseDelayMs: 20,
    maxDelayMs: 200,
    ...extra,
  });
}
