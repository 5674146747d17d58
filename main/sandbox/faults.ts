/**
 * Fault injection for the sandboxes, by seed and rate, per system and endpoint.
 *
 * Spec grammar (the `--faults` flag and the admin API take the same string):
 *   SPEC := RULE (";" RULE)*
 *   RULE := KEY "=" VALUE ("," KEY "=" VALUE)*
 *   keys: system   ghl | aroflo | aimfox | *            (default *)
 *         path     substring of "METHOD /path?query"    (default: every request)
 *         rate     0..1 probability per matching request (default 0.05)
 *         kinds    "|"-separated FaultKind list          (default all)
 *         seed     integer                               (default 1)
 *         latency  extra delay in ms for `latency`       (default 1500)
 *         burst    how many requests a `429` burst lasts (default 5)
 * Example: "system=ghl,path=/contacts/search,rate=0.2,kinds=5xx|reset;system=aroflo,rate=0.05,kinds=latency"
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { seededRandom } from './random.js';

export const FAULT_KINDS = ['latency', '429', '5xx', 'reset', 'truncated', 'malformed', 'html', 'revoke'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type SandboxSystem = 'ghl' | 'aroflo' | 'aimfox';

export interface FaultRule {
  system: SandboxSystem | '*';
  path?: string;
  rate: number;
  kinds: FaultKind[];
  seed: number;
  latencyMs: number;
  burst: number;
}

export class FaultSpecError extends Error {}

export function parseFaultSpec(spec: string | undefined): FaultRule[] {
  if (!spec || !spec.trim()) return [];
  return spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((ruleText) => {
      const rule: FaultRule = { system: '*', rate: 0.05, kinds: [...FAULT_KINDS], seed: 1, latencyMs: 1500, burst: 5 };
      for (const part of ruleText.split(',')) {
        const eq = part.indexOf('=');
        if (eq < 0) throw new FaultSpecError(`fault rule part "${part}" is not key=value`);
        const key = part.slice(0, eq).trim();
        const value = part.slice(eq + 1).trim();
        switch (key) {
          case 'system':
            if (!['ghl', 'aroflo', 'aimfox', '*'].includes(value))
              throw new FaultSpecError(`unknown system "${value}"`);
            rule.system = value as FaultRule['system'];
            break;
          case 'path':
            rule.path = value;
            break;
          case 'rate': {
            const n = Number(value);
            if (!(n >= 0 && n <= 1)) throw new FaultSpecError(`rate must be between 0 and 1, got "${value}"`);
            rule.rate = n;
            break;
          }
          case 'kinds': {
            const kinds = value.split('|').map((k) => k.trim());
            for (const k of kinds)
              if (!(FAULT_KINDS as readonly string[]).includes(k))
                throw new FaultSpecError(`unknown fault kind "${k}"`);
            rule.kinds = kinds as FaultKind[];
            break;
          }
          case 'seed':
          case 'latency':
          case 'burst': {
            const n = Number(value);
            if (!Number.isInteger(n) || n < 0)
              throw new FaultSpecError(`${key} must be a whole number, got "${value}"`);
            if (key === 'seed') rule.seed = n;
            else if (key === 'latency') rule.latencyMs = n;
            else rule.burst = n;
            break;
          }
          default:
            throw new FaultSpecError(`unknown fault key "${key}"`);
        }
      }
      return rule;
    });
}

/** How each sandbox renders the faults whose shape is system-specific. */
export interface FaultRenderer {
  /** Reply for a 429 (status, headers and body as the real service sends them). */
  tooMany(reply: FastifyReply): FastifyReply;
  /** Reply for a server error (JSON-ish, as the real service). */
  serverError(reply: FastifyReply): FastifyReply;
  /** Invalidate the credential used by this request (token revoked in the web app). */
  revoke(request: FastifyRequest): void;
}

/** Runtime fault state for one sandbox: rules can be swapped while the server runs, counts are kept by kind. */
export class FaultController {
  private rules: Array<{ rule: FaultRule; random: () => number; burstLeft: number }> = [];
  readonly counts: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<
    FaultKind,
    number
  >;

  constructor(
    readonly system: SandboxSystem,
    spec?: string | FaultRule[],
  ) {
    this.set(spec);
  }

  set(spec?: string | FaultRule[]): void {
    const rules = typeof spec === 'string' || spec === undefined ? parseFaultSpec(spec) : spec;
    this.rules = rules
      .filter((r) => r.system === '*' || r.system === this.system)
      .map((rule) => ({ rule, random: seededRandom(rule.seed), burstLeft: 0 }));
  }

  clear(): void {
    this.rules = [];
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Decide the fault (if any) for a request line such as "POST /contacts/search". */
  decide(requestLine: string): { kind: FaultKind; rule: FaultRule } | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.path && !requestLine.includes(rule.path)) continue;
      if (entry.burstLeft > 0) {
        entry.burstLeft--;
        this.counts['429']++;
        return { kind: '429', rule };
      }
      if (entry.random() >= rule.rate) continue;
      const kind = rule.kinds[Math.floor(entry.random() * rule.kinds.length)] as FaultKind;
      if (kind === '429') entry.burstLeft = Math.max(0, rule.burst - 1);
      this.counts[kind]++;
      return { kind, rule };
    }
    return undefined;
  }
}

const FAULT_DECISION = Symbol('faultDecision');

/**
 * Install the fault hooks on a sandbox's Fastify instance. `skip` lets a sandbox keep its admin routes
 * (and anything else that must stay reliable) free of faults.
 */
export function installFaults(
  app: FastifyInstance,
  controller: FaultController,
  render: FaultRenderer,
  skip: (request: FastifyRequest) => boolean = (req) => req.url.startsWith('/__admin'),
): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!controller.active || skip(request)) return;
    const decision = controller.decide(`${request.method} ${request.url}`);
    if (!decision) return;
    (request as unknown as Record<symbol, unknown>)[FAULT_DECISION] = decision.kind;
    switch (decision.kind) {
      case 'latency':
        await new Promise((r) => setTimeout(r, decision.rule.latencyMs));
        return;
      case '429':
        return render.tooMany(reply);
      case '5xx':
        return render.serverError(reply);
      case 'html':
        return reply
          .code(502)
          .type('text/html; charset=utf-8')
          .send(
            '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
          );
      case 'reset':
        request.raw.socket.destroy();
        return reply.hijack();
      case 'revoke':
        render.revoke(request);
        return; // the request itself now fails auth like any later one
      default:
        return; // truncated / malformed are applied to the real answer in onSend
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const kind = (request as unknown as Record<symbol, unknown>)[FAULT_DECISION];
    if (kind !== 'truncated' && kind !== 'malformed') return payload;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    if (kind === 'malformed') {
      // Valid JSON of the wrong shape: the classic "200 with something else" answer.
      reply.header('content-length', undefined as unknown as string);
      return JSON.stringify({ ok: true, data: text.length ? 'unexpected' : null, items: 'not-an-array' });
    }
    // Truncated: half the bytes, sent with a matching length so the client sees a complete but broken body.
    const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    reply.header('content-length', Buffer.byteLength(cut));
    return cut;
  });
}
