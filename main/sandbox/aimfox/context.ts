/** What every route module needs: the current store (replaced on reset), the keys and the tunables. */
import type { FastifyInstance } from 'fastify';
import type { AimfoxStore } from './store.js';

/** Which key a route takes. A key of the other type gets HTTP 500, as Aimfox answers (README "Facts: keys"). */
export type KeyType = 'normal' | 'master';

declare module 'fastify' {
  interface FastifyContextConfig {
    keyType?: KeyType;
  }
}

export interface AimfoxContext {
  /** The live workspace; a getter because reset() swaps it. */
  readonly store: AimfoxStore;
  /** POST /leads:search page size when `count` is absent (OBS saw 10 per call). */
  readonly searchDefaultCount: number;
  /** The largest `count` honoured; bigger values are cut to it. */
  readonly searchMaxCount: number;
}

export type RouteModule = (app: FastifyInstance, ctx: AimfoxContext) => void;
