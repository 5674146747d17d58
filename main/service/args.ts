/**
 * One zod schema per bridge method's argument, and the one place they are applied: `withValidatedArgs` wraps the
 * handler object, so the Electron IPC transport, serve mode and the CLI all go through the same checks before any
 * handler (or SQL) sees a value. A refused argument is a BridgeError of kind `invalid_request` (HTTP 400) naming the
 * field; the value itself is never echoed.
 *
 * The contract's types (preload/contract.ts) stay the source: `satisfies` proves each schema produces the argument type
 * its handler declares, and `_argsMatchContract` below fails to compile when a schema and its type drift apart (a
 * field added to the type but not to the schema would otherwise be stripped silently).
 *
 * Schemas check shape, type and range; handlers keep their own people-worded checks for meaning (an empty name, an
 * unknown conflict). Deep mapping validation stays with the engine (validateMapping).
 */
import { z } from 'zod';
import { BRIDGE_METHODS, ENTITY_KINDS } from '../../preload/contract.js';
import type { BridgeApi, BridgeMethod, FieldChoice, PairMapping, SettingsPatch } from '../../preload/contract.js';
import { BridgeError } from './errors.js';

/** The argument a method takes (undefined for methods without one). */
export type ArgOf<M extends BridgeMethod> = Parameters<BridgeApi[M]> extends [infer A] ? A : undefined;

const system = z.enum(['ghl', 'aroflo', 'aimfox']);
const pair = z.enum(['ghl-aroflo', 'ghl-aimfox']);
const entity = z.enum(ENTITY_KINDS);
const logLevel = z.enum(['debug', 'info', 'warn', 'error']);
/** An id or a short value typed by a person: presence is the handler's business, size is ours. */
const id = z.string().max(200);
const text = (max: number) => z.string().max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Methods without an argument: nothing, null or an empty object (the HTTP transport always sends a JSON body). */
const none = z.union([z.undefined(), z.null(), z.object({})]).transform(() => undefined);

/** An argument whose every field is optional: absent or null means {}. */
function optionalFields<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess((v) => v ?? {}, z.object(shape));
}

/**
 * One field's choice: an object, and a typed value text or null. Which side it takes is the handler's to judge, so an
 * unknown side is refused with the field's label ("Unknown choice for \"Phone\"").
 */
const fieldChoice = z.custom<FieldChoice>(
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const c = v as { take?: unknown; value?: unknown };
    return c.take !== 'value' || c.value === null || (typeof c.value === 'string' && c.value.length <= 5000);
  },
  { message: 'Expected { take: "ghl" | "other" } or { take: "value", value: text or null }' },
);

const settingsPatch = z.object({
  syncIntervalMinutes: int(1, 1440).optional(),
  startAtLogin: z.boolean().optional(),
  notifications: z
    .object({ conflicts: z.boolean().optional(), signIn: z.boolean().optional(), failures: z.boolean().optional() })
    .optional(),
  guard: z
    .object({
      maxDeletes: int(0, 1_000_000).optional(),
      maxDeletePercent: int(0, 100).optional(),
      maxChanges: int(0, 10_000_000).optional(),
      maxChangePercent: int(0, 100).optional(),
    })
    .optional(),
  keyRotationDays: int(7, 3650).optional(),
  budget: z
    .object({
      ghlSharePercent: int(1, 100).optional(),
      arofloSharePercent: int(1, 100).optional(),
      rereadWindowHours: int(1, 168).optional(),
    })
    .optional(),
  checkAfterRun: z
    .object({ enabled: z.boolean().optional(), sample: int(0, 100).optional(), everyMinutes: int(0, 1440).optional() })
    .optional(),
}) satisfies z.ZodType<SettingsPatch>;

/** A mapping is checked in depth by the engine; here only that it is an object. */
const mapping = z.custom<PairMapping>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'Expected a mapping object',
});

export const BRIDGE_ARGS = {
  getStatus: none,
  listRuns: optionalFields({ limit: int(1, 1000).optional() }),
  syncNow: optionalFields({ dryRun: z.boolean().optional(), approve: z.boolean().optional() }),
  getRunPlan: z.object({ runId: id }),
  pause: none,
  resume: none,

  getConnections: none,
  saveGhlOAuthApp: z.object({ clientId: text(500), clientSecret: text(500), redirectUri: text(300).optional() }),
  startGhlLogin: none,
  saveGhlPrivateToken: z.object({ token: text(2000), locationId: text(200) }),
  saveArofloCredentials: z.object({
    uEncoded: text(500),
    pEncoded: text(500),
    orgEncoded: text(500),
    secretKey: text(500),
  }),
  saveAimfoxKey: z.object({ apiKey: text(2000) }),
  replaceCredential: z.object({
    system,
    token: text(2000).optional(),
    aroflo: z
      .object({ uEncoded: text(500), pEncoded: text(500), orgEncoded: text(500), secretKey: text(500) })
      .optional(),
    apiKey: text(2000).optional(),
  }),
  testConnection: z.object({ system }),
  signOut: z.object({ system }),

  getMappings: none,
  saveMapping: z.object({ mapping }),
  previewMapping: z.object({ pair }),
  setSyncEnabled: z.object({ pair, enabled: z.boolean() }),
  getFieldCatalogue: z.object({ pair }),
  getMappingOptions: none,

  listConflicts: optionalFields({
    offset: int(0, 10_000_000).optional(),
    limit: int(1, 10_000).optional(),
    system: system.optional(),
    entity: entity.optional(),
    kind: z.enum(['conflict', 'duplicate']).optional(),
    query: text(500).optional(),
  }),
  getConflict: z.object({ id }),
  resolveConflict: z.object({ id, choices: z.record(z.string().max(200), fieldChoice) }),
  applyConflictRule: z.object({ pair, entity, field: id, prefer: z.enum(['ghl', 'other']) }),
  resolveDuplicate: z.object({ id, action: z.enum(['link', 'keep_apart']), candidateId: id.optional() }),

  listActivity: optionalFields({
    query: text(500).optional(),
    system: z.enum(['ghl', 'aroflo', 'aimfox', 'bridge']).optional(),
    kind: z.enum([...ENTITY_KINDS, 'run']).optional(),
    limit: int(1, 2000).optional(),
    before: int(0, Number.MAX_SAFE_INTEGER).optional(),
  }),
  activityStats: optionalFields({ days: int(1, 365).optional() }),
  getDashboard: optionalFields({
    business: text(500).optional(),
    tag: text(500).optional(),
    days: int(1, 90).optional(),
  }),
  listChanges: optionalFields({
    linkId: int(0, Number.MAX_SAFE_INTEGER).optional(),
    system: system.optional(),
    recordId: id.optional(),
    query: text(500).optional(),
    who: z.enum(['person', 'bridge']).optional(),
    entity: entity.optional(),
    from: int(0, Number.MAX_SAFE_INTEGER).optional(),
    to: int(0, Number.MAX_SAFE_INTEGER).optional(),
    offset: int(0, 10_000_000).optional(),
    limit: int(1, 500).optional(),
  }),

  listLogs: optionalFields({ query: text(500).optional(), level: logLevel.optional(), limit: int(1, 5000).optional() }),
  getDiagnostics: none,

  getSettings: none,
  saveSettings: z.object({ settings: settingsPatch }),
  exportAuditCsv: none,
  listLocations: none,
  switchLocation: z.object({ id: text(200) }),
  addLocation: z.object({ token: text(2000), locationId: text(200) }),
  undoRun: z.object({ runId: id }),
  getRecord: z.object({ q: text(300), live: z.boolean().optional() }),
  syncRecord: z.object({ key: id }),
} satisfies { [M in BridgeMethod]: z.ZodType<ArgOf<M>> };

// ---- compile-time proof that no schema drifts from its contract type ----
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
type Drifted = {
  [M in BridgeMethod]: Same<z.output<(typeof BRIDGE_ARGS)[M]>, ArgOf<M>> extends true ? never : M;
}[BridgeMethod];
export const _argsMatchContract: [Drifted] extends [never] ? true : Drifted = true;

/** How the window's forms name the fields whose key alone does not say it. */
const FIELD_LABELS: Record<string, string> = {
  secretKey: 'the secret key',
  apiKey: 'the API key',
  token: 'the Private Integration token',
  locationId: 'the location ID',
  clientId: 'the client ID',
  clientSecret: 'the client secret',
  redirectUri: 'the redirect URI',
};

/** "limit: Too small…; offset: Invalid input…" — the fields and what is wrong with them, never the values. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const path = i.path.map(String).join('.');
      const label = FIELD_LABELS[String(i.path[i.path.length - 1])];
      return `${path ? `${path}${label ? ` (${label})` : ''}` : 'the argument'}: ${i.message}`;
    })
    .join('; ');
}

/** Checks one method's argument: the parsed value, or a BridgeError (invalid_request) naming the fields. */
export function parseArg<M extends BridgeMethod>(method: M, arg: unknown): ArgOf<M> {
  const parsed = (BRIDGE_ARGS[method] as unknown as z.ZodType<ArgOf<M>>).safeParse(arg);
  if (!parsed.success)
    throw new BridgeError(
      `That request for ${method} is not valid — ${describeIssues(parsed.error)}.`,
      'invalid_request',
    );
  return parsed.data;
}

/** The handler object with every method's argument checked first. Both transports and the CLI use this one. */
export function withValidatedArgs(api: BridgeApi): BridgeApi {
  const out = {} as Record<BridgeMethod, (arg?: unknown) => Promise<unknown>>;
  for (const method of BRIDGE_METHODS) {
    const handler = (api[method] as (arg?: unknown) => Promise<unknown>).bind(api);
    out[method] = async (arg?: unknown) => handler(parseArg(method, arg));
  }
  return out as unknown as BridgeApi;
}
