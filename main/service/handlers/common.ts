/**
 * What every area of the bridge API's handlers shares: the service context they are created with, the per-call helpers
 * (a required argument named in people's words) and the few actions several areas take (publish the status, find a
 * pair's mapping).
 */
import type { PairId, PairMapping } from '../../../preload/contract.js';
import type { Db } from '../../store/db.js';
import type { ConfigStore } from '../../store/settings.js';
import type { Store } from '../../store/repositories.js';
import type { SecretVault } from '../../store/vault.js';
import type { Connections } from '../connections.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { SyncService } from '../sync.js';
import { BridgeError } from '../errors.js';

export interface HandlerContext {
  version: string;
  profileDir: string;
  db: Db;
  store: Store;
  config: ConfigStore;
  vault: SecretVault;
  logger: Logger;
  events: EventBus;
  connections: Connections;
  sync: SyncService;
  redactor: Redactor;
  now: () => number;
}

/** What the areas share once created: the repository and the actions more than one area takes. */
export interface Shared {
  store: Store;
  publishStatus(): Promise<void>;
  publishConflicts(): void;
  mappingFor(pair: PairId): PairMapping;
}

export const PAIRS: PairId[] = ['ghl-aroflo', 'ghl-aimfox'];

export function need<T>(v: T | undefined | null, what: string): T {
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim()))
    throw new BridgeError(`${what} is required.`);
  return v;
}

/** A required text value, trimmed: anything else (a number, an object from a faulty window) is refused by name. */
export function needText(v: unknown, what: string): string {
  const t = need(v, what);
  if (typeof t !== 'string') throw new BridgeError(`${what} must be text.`);
  return t.trim();
}
