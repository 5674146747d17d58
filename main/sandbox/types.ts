/**
 * What every sandbox (GHL, AroFlo, Aimfox) looks like from the outside: the CLI, the demo and the tests use
 * only this. Sandbox code may share helpers among the three sandboxes, never with main/connectors.
 */
import type { FastifyInstance } from 'fastify';
import type { FaultController } from './faults.js';
import type { World } from './world.js';

/** "real" = the services' documented limits; "off" = none; a number N = every time window divided by N (counts unchanged). */
export type RateLimitMode = 'real' | 'off' | number;

export function parseRateLimitMode(text: string | undefined): RateLimitMode {
  if (!text || text === 'real') return 'real';
  if (text === 'off') return 'off';
  const m = /^x(\d+(?:\.\d+)?)$/.exec(text);
  if (m && Number(m[1]) > 0) return Number(m[1]);
  throw new Error(`--rate-limits must be real, off or xFACTOR (e.g. x10), got "${text}"`);
}

/** Scale a time window for the mode; undefined means "no limit". */
export function scaledWindow(mode: RateLimitMode, windowMs: number): number | undefined {
  if (mode === 'off') return undefined;
  if (mode === 'real') return windowMs;
  return Math.max(1, Math.round(windowMs / mode));
}

export interface SandboxCommonOptions {
  world: World;
  /** 127.0.0.1 port; 0 = any free port. */
  port?: number;
  rateLimits?: RateLimitMode;
  faults?: FaultController;
  /** Expose /__admin (test and demo only). */
  admin?: boolean;
  /** Injected clock (epoch ms), for token expiry, rate windows and timestamps. Default Date.now. */
  now?: () => number;
  /** Fastify request logging; off by default. */
  logger?: boolean;
}

/** Per-endpoint request counts, as the sandbox saw them (the benchmark's ground truth for "calls used"). */
export interface SandboxStats {
  requests: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  faults: Record<string, number>;
}

export interface SandboxHandle<Creds, Admin> {
  name: 'ghl' | 'aroflo' | 'aimfox';
  baseUrl: string;
  credentials: Creds;
  /** Header value for /__admin requests (x-sandbox-admin), when admin is on. */
  adminToken?: string;
  /** In-process admin: read and edit records as a person in the web app would. */
  admin: Admin;
  app: FastifyInstance;
  faults: FaultController;
  stats(): SandboxStats;
  resetStats(): void;
  /** Reload the world's data and forget everything done since start (tokens issued, counters, edits). */
  reset(): void;
  close(): Promise<void>;
}
