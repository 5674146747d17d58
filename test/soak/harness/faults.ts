/**
 * The faults the soak injects, as one sandbox fault spec (see main/sandbox/faults.ts for the grammar), and the
 * bookkeeping around them: totals by kind from the sandboxes' own counters, and which credentials a "revoke"
 * fault took away (the person then signs in again).
 */
import { FAULT_KINDS, type FaultKind } from '../../../main/sandbox/faults.js';
import type { Sandboxes } from '../../../main/sandbox/index.js';

const COMMON: FaultKind[] = ['latency', '429', '5xx', 'reset', 'truncated', 'malformed', 'html'];

/**
 * Every API call has `rate` chance of a fault (of any kind but revoke); revokes are rarer. Aimfox gets no revoke:
 * its sandbox cannot issue a new API key, so a revoked key would end the soak rather than test it.
 */
export function faultSpec(seed: number, rate: number, revokeRate: number): string {
  const common = `rate=${rate},kinds=${COMMON.join('|')},latency=250,burst=3,seed=${seed}`;
  return [
    `system=ghl,rate=${revokeRate},kinds=revoke,seed=${seed + 1}`,
    `system=aroflo,rate=${revokeRate},kinds=revoke,seed=${seed + 2}`,
    `system=*,${common}`,
  ].join(';');
}

export type FaultCounts = Record<FaultKind, number>;

export function faultTotals(boxes: Sandboxes): FaultCounts {
  const out = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts;
  for (const s of Object.values(boxes.stats())) for (const k of FAULT_KINDS) out[k] += s.faults[k] ?? 0;
  return out;
}

/** Revokes seen per system so far (to notice new ones after each run). */
export function revokes(boxes: Sandboxes): { ghl: number; aroflo: number } {
  const s = boxes.stats();
  return { ghl: s.ghl.faults.revoke ?? 0, aroflo: s.aroflo.faults.revoke ?? 0 };
}
