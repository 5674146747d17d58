/**
 * The one handler object implementing the bridge API. Both transports (Electron IPC, serve mode) call these.
 * Each method validates its argument, does one task, and returns plain JSON; errors carry a message people can act on.
 */
import type {
  ActivityBucket,
  AppStatus,
  AttentionItem,
  BridgeApi,
  ConflictDetail,
  DuplicateCandidate,
  FieldChoice,
  FieldDiff,
  PairId,
  PairMapping,
  PlanItem,
  RunPlan,
  Settings,
} from '../../preload/contract.js';
import { databaseLevel, type Db } from '../store/db.js';
import type { ConfigStore } from '../store/settings.js';
import type { Store } from '../store/repositories.js';
import type { SecretVault } from '../store/vault.js';
import { MappingError, validateMapping } from '../sync/engine/mapping.js';
import { auditCsv } from '../sync/engine/audit-export.js';
import type { Connections } from './connections.js';
import type { EventBus } from './events.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';
import type { SyncService } from './sync.js';
import { diagnosticsBundle } from './diagnostics.js';
import { BridgeError } from './errors.js';

export { BridgeError };

const PAIRS: PairId[] = ['ghl-aroflo', 'ghl-aimfox'];
/** The HighLevel web app (contact pages live under /v2/location/<location>/contacts/detail/<contact>). */
const GHL_APP_URL = 'https://app.gohighlevel.com';

function need<T>(v: T | undefined | null, what: string): T {
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) throw new BridgeError(`${what} is required.`);
  return v;
}

/** A required text value, trimmed: anything else (a number, an object from a faulty window) is refused by name. */
function needText(v: unknown, what: string): string {
  const t = need(v, what);
  if (typeof t !== 'string') throw new BridgeError(`${what} must be text.`);
  return t.trim();
}

export function createHandlers(ctx: {
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
}): BridgeApi {
  const { store } = ctx;

  /** A HighLevel contact's page in the HighLevel web app, so two duplicates there can be opened and merged. */
  const recordUrl = (c: DuplicateCandidate): string | undefined => {
    const loc = ctx.config.read().connections.ghl.locationId;
    if (c.system !== 'ghl' || !loc || !/^[\w-]+$/.test(c.id) || !/^[\w-]+$/.test(loc)) return undefined;
    return `${GHL_APP_URL}/v2/location/${loc}/contacts/detail/${c.id}`;
  };

  const attention = (status: Omit<AppStatus, 'attention'>): AttentionItem[] => {
    const items: AttentionItem[] = [];
    for (const c of status.connections) {
      if (c.health === 'signed_out') items.push({ kind: 'sign_in', severity: 'error', message: c.message ?? `${c.label} sign-in expired — sign in again.`, screen: 'connections' });
      else if (c.health === 'error') items.push({ kind: 'errors', severity: 'warning', message: c.message ?? `${c.label} is not answering.`, screen: 'connections' });
      for (const w of c.warnings ?? []) items.push({ kind: 'account', severity: 'warning', message: `${c.label}: ${w}`, screen: 'connections' });
    }
    if (ctx.sync.scheduleProblem) items.push({ kind: 'errors', severity: 'error', message: ctx.sync.scheduleProblem, screen: 'logs' });
    if (!status.connections.some((c) => c.system === 'ghl' && c.configured)) items.push({ kind: 'setup', severity: 'info', message: 'Connect HighLevel to get started.', screen: 'connections' });
    if (status.lastRun?.status === 'needs_approval') items.push({ kind: 'guard', severity: 'warning', message: status.lastRun.message ?? 'The last sync stopped before writing and needs your approval.', screen: 'status' });
    if (status.openConflicts) items.push({ kind: 'conflicts', severity: 'warning', message: `${status.openConflicts} conflict${status.openConflicts === 1 ? '' : 's'} need${status.openConflicts === 1 ? 's' : ''} your review.`, screen: 'conflicts' });
    if (status.openDuplicates) items.push({ kind: 'duplicates', severity: 'info', message: `${status.openDuplicates} possible duplicate${status.openDuplicates === 1 ? '' : 's'} to review.`, screen: 'conflicts' });
    const q = store.quarantine.count();
    if (q) items.push({ kind: 'quarantine', severity: 'warning', message: `${q} record${q === 1 ? '' : 's'} could not be read and ${q === 1 ? 'was' : 'were'} set aside — see Logs.`, screen: 'logs' });
    for (const m of ctx.config.read().mappings) {
      if (m.previewedFingerprint !== m.fingerprint) items.push({ kind: 'mapping_review', severity: 'info', message: `${m.label}: preview the mapping before sync can run.`, screen: 'mappings' });
    }
    if (status.lastRun?.status === 'partial') items.push({ kind: 'errors', severity: 'warning', message: status.lastRun.message ?? `The last sync could not write ${status.lastRun.errors} record(s); they are retried on the next sync — see Logs.`, screen: 'logs' });
    if (status.lastRun?.status === 'failed') items.push({ kind: 'errors', severity: 'error', message: `The last sync failed: ${status.lastRun.message ?? 'see Logs'}`, screen: 'logs' });
    const order = { error: 0, warning: 1, info: 2 } as const;
    return items.sort((a, b) => order[a.severity] - order[b.severity]);
  };

  const getStatus = async (): Promise<AppStatus> => {
    const cfg = ctx.config.read();
    const runs = store.runs.list(1);
    const mappings = ctx.sync.mappings();
    const base: Omit<AppStatus, 'attention'> = {
      version: ctx.version,
      profileDir: ctx.profileDir,
      dbLevel: databaseLevel(ctx.db),
      paused: cfg.paused,
      syncing: ctx.sync.running,
      progress: ctx.sync.progress,
      lastRun: runs[0],
      nextRunAt: ctx.sync.nextRunAt,
      syncEnabled: Object.fromEntries(PAIRS.map((p) => [p, mappings.find((m) => m.pair === p)?.syncEnabled ?? false])) as Record<PairId, boolean>,
      connections: ctx.connections.list(),
      openConflicts: store.conflicts.countOpen('conflict'),
      openDuplicates: store.conflicts.countOpen('duplicate'),
    };
    return { ...base, attention: attention(base) };
  };

  const publishStatus = async () => ctx.events.publish({ type: 'status', status: await getStatus() });
  const publishConflicts = () => ctx.events.publish({ type: 'conflicts-changed', open: store.conflicts.countOpen('conflict'), duplicates: store.conflicts.countOpen('duplicate') });

  const mappingFor = (pair: PairId): PairMapping => {
    const m = ctx.sync.mappings().find((x) => x.pair === pair);
    if (!m) throw new BridgeError(`There is no mapping for ${pair}.`, 'not_found');
    return m;
  };

  return {
    getStatus,
    async listRuns({ limit } = {}) {
      return store.runs.list(limit ?? 20);
    },
    async syncNow({ dryRun, approve } = {}) {
      const run = await ctx.sync.runNow({ trigger: 'manual', dryRun: !!dryRun, approve: !!approve });
      await publishStatus();
      return run;
    },
    async getRunPlan({ runId }) {
      const run = store.runs.get(need(runId, 'The run id'));
      const plan = run?.plan as { items?: PlanItem[]; guard?: { tripped: boolean; reason: string } } | undefined;
      if (!run || !plan?.items) throw new BridgeError('That sync kept no plan to review — run a preview instead.', 'not_found');
      const out: RunPlan = { runId: run.id, status: run.status, items: plan.items };
      if (plan.guard?.tripped) out.guard = { tripped: true, reason: plan.guard.reason };
      return out;
    },
    async pause() {
      ctx.sync.setPaused(true);
      await publishStatus();
      return getStatus();
    },
    async resume() {
      ctx.sync.setPaused(false);
      await publishStatus();
      return getStatus();
    },

    async getConnections() {
      return ctx.connections.list();
    },
    async saveGhlOAuthApp({ clientId, clientSecret, redirectUri }) {
      return ctx.connections.saveGhlOAuthApp({ clientId: need(clientId, 'The client ID').trim(), clientSecret: need(clientSecret, 'The client secret').trim(), redirectUri: redirectUri?.trim() || undefined });
    },
    async startGhlLogin() {
      return ctx.connections.startGhlLogin();
    },
    async saveGhlPrivateToken({ token, locationId }) {
      return ctx.connections.saveGhlPrivateToken({ token: needText(token, 'The Private Integration token'), locationId: needText(locationId, 'The location ID') });
    },
    async saveArofloCredentials(c) {
      return ctx.connections.saveArofloCredentials({
        uEncoded: needText(c?.uEncoded, 'uEncoded'),
        pEncoded: needText(c?.pEncoded, 'pEncoded'),
        orgEncoded: needText(c?.orgEncoded, 'orgEncoded'),
        secretKey: needText(c?.secretKey, 'The secret key'),
      });
    },
    async saveAimfoxKey({ apiKey }) {
      return ctx.connections.saveAimfoxKey({ apiKey: needText(apiKey, 'The API key') });
    },
    async testConnection({ system }) {
      const info = await ctx.connections.test(need(system, 'The system'));
      await publishStatus();
      return info;
    },
    async signOut({ system }) {
      const info = await ctx.connections.signOut(need(system, 'The system'));
      await publishStatus();
      return info;
    },

    async getMappings() {
      return ctx.sync.mappings();
    },
    async saveMapping({ mapping }) {
      let valid: PairMapping;
      try {
        valid = validateMapping({ ...need(mapping, 'The mapping'), fingerprint: '' });
      } catch (e) {
        // What the person entered is wrong (a 400 for serve mode), not the app.
        if (e instanceof MappingError) throw new BridgeError(e.message, 'invalid');
        throw e;
      }
      const saved = ctx.sync.saveMapping(valid);
      await publishStatus();
      return saved;
    },
    async previewMapping({ pair }) {
      return ctx.sync.preview(need(pair, 'The pair'));
    },
    async setSyncEnabled({ pair, enabled }) {
      const m = mappingFor(need(pair, 'The pair'));
      if (enabled && m.previewedFingerprint !== m.fingerprint) throw new BridgeError('Run a preview of this mapping first: sync can only be turned on after a successful preview.', 'needs_preview');
      const saved = ctx.sync.saveMapping({ ...m, syncEnabled: !!enabled }, { keepPreview: true });
      await publishStatus();
      return saved;
    },
    async getMappingOptions() {
      const out = await ctx.connections.mappingOptions();
      // HighLevel has no list of businesses or tags the app may read, so offer those the last preview or sync saw.
      const mirror = ctx.sync.store.mirror;
      out.ghlBusinesses = mirror
        .all('ghl-aroflo:business:ghl')
        .filter((b) => b.id.startsWith('biz:'))
        .map((b) => ({ id: b.id.slice(4), label: b.label }))
        .sort((a, b) => a.label.localeCompare(b.label));
      const tags = new Set<string>();
      for (const lead of store.mirror.all('ghl-aimfox:lead:ghl')) {
        try {
          for (const t of JSON.parse(lead.fields.labels ?? '[]') as string[]) tags.add(t);
        } catch {
          /* not a tag list */
        }
      }
      out.ghlTags = [...tags].sort().map((t) => ({ id: t, label: t }));
      return out;
    },

    async listConflicts(args = {}) {
      return store.conflicts.list(args);
    },
    async getConflict({ id }) {
      const row = store.conflicts.get(need(id, 'The conflict id'));
      if (!row) throw new BridgeError('That conflict no longer exists.', 'not_found');
      const diffs = JSON.parse(row.diffs) as FieldDiff[];
      const detail: ConflictDetail = {
        id: row.id,
        kind: row.kind,
        pair: row.pair,
        system: row.system,
        entity: row.entity,
        label: row.label,
        fields: diffs.map((d) => d.label || d.field),
        createdAt: row.created_at,
        runId: row.run_id ?? undefined,
        diffs,
        candidates: row.candidates ? (JSON.parse(row.candidates) as DuplicateCandidate[]).map((c) => ({ ...c, url: recordUrl(c) })) : undefined,
      };
      return detail;
    },
    async resolveConflict({ id, choices }) {
      const row = store.conflicts.get(need(id, 'The conflict id'));
      if (!row || row.status !== 'open' || row.kind !== 'conflict') throw new BridgeError('That conflict is not open any more.', 'not_found');
      const diffs = JSON.parse(row.diffs) as FieldDiff[];
      const values: Record<string, string | null> = {};
      for (const d of diffs) {
        const c: FieldChoice | undefined = choices?.[d.field];
        if (!c) throw new BridgeError(`Choose a value for "${d.label || d.field}".`);
        if (c.take === 'ghl') values[d.field] = d.ghl;
        else if (c.take === 'other') values[d.field] = d.other;
        else if (c.take === 'value') values[d.field] = c.value === null ? null : String(c.value).slice(0, 5000);
        else throw new BridgeError(`Unknown choice for "${d.label || d.field}".`);
      }
      store.conflicts.close(row.id, 'resolved', { values, choices, applied: false });
      ctx.logger.info(`Conflict on "${row.label}" resolved by hand; it will be applied now.`, { conflict: row.id });
      publishConflicts();
      await ctx.sync.runNow({ trigger: 'resolution', dryRun: false, approve: false }).catch((e: Error) => ctx.logger.warn(`Applying the resolution will be retried on the next sync: ${e.message}`));
      await publishStatus();
      return { ok: true as const };
    },
    async applyConflictRule({ pair, entity, field, prefer }) {
      if (prefer !== 'ghl' && prefer !== 'other') throw new BridgeError('Choose which side to prefer.');
      const m = mappingFor(need(pair, 'The pair'));
      const em = m.entities.find((e) => e.entity === entity);
      const fm = em?.fields.find((x) => x.key === field);
      if (!em || !fm) throw new BridgeError(`There is no field "${field}" for ${entity}s in this mapping.`, 'not_found');
      // The rule is kept in the mapping (conflict default) and applied to every open conflict on that field now.
      const next = { ...m, entities: m.entities.map((e) => (e === em ? { ...e, fields: e.fields.map((x) => (x === fm ? { ...x, conflictDefault: prefer === 'ghl' ? 'prefer_ghl' : 'prefer_other' } : x)) } : e)) } as PairMapping;
      // A rule only settles conflicts the person just decided, so a mapping previewed before stays previewed (else the
      // resolutions below, and every later sync, would wait for a new preview).
      const valid = validateMapping(next);
      ctx.sync.saveMapping({ ...valid, previewedFingerprint: m.previewedFingerprint === m.fingerprint ? valid.fingerprint : m.previewedFingerprint }, { keepPreview: true });
      let resolved = 0;
      for (const c of store.conflicts.list({ kind: 'conflict', entity, limit: 10_000 }).items.filter((x) => x.pair === pair)) {
        const row = store.conflicts.get(c.id)!;
        const diffs = JSON.parse(row.diffs) as FieldDiff[];
        const d = diffs.find((x) => x.field === field);
        if (!d) continue;
        if (diffs.length === 1) {
          store.conflicts.close(row.id, 'resolved', { values: { [field]: prefer === 'ghl' ? d.ghl : d.other }, rule: { field, prefer }, applied: false });
          resolved++;
        }
      }
      ctx.logger.info(`Rule saved: always prefer ${prefer === 'ghl' ? 'HighLevel' : 'the other system'} for ${fm.label}; ${resolved} conflict(s) resolved.`);
      publishConflicts();
      if (resolved) await ctx.sync.runNow({ trigger: 'resolution', dryRun: false, approve: false }).catch(() => undefined);
      return { resolved };
    },
    async resolveDuplicate({ id, action, candidateId }) {
      const row = store.conflicts.get(need(id, 'The item id'));
      if (!row || row.status !== 'open' || row.kind !== 'duplicate') throw new BridgeError('That possible duplicate is not open any more.', 'not_found');
      if (action === 'keep_apart') {
        ctx.sync.keepApart(row);
        store.conflicts.close(row.id, 'dismissed', { action });
      } else if (action === 'link') {
        ctx.sync.linkDuplicate(row, candidateId);
        store.conflicts.close(row.id, 'resolved', { action, candidateId });
      } else throw new BridgeError('Choose "link" or "keep apart".');
      publishConflicts();
      return { ok: true as const };
    },

    async listActivity(args = {}) {
      return store.activity.list(args);
    },
    async activityStats({ days } = {}) {
      const span = Math.min(Math.max(days ?? 14, 1), 365);
      const since = ctx.now() - span * 86_400_000;
      const runs = ctx.store.runs.since(since);
      const buckets = new Map<string, ActivityBucket>();
      for (let d = 0; d < span; d++) {
        const day = new Date(ctx.now() - (span - 1 - d) * 86_400_000).toISOString().slice(0, 10);
        buckets.set(day, { day, synced: 0, conflicts: 0, errors: 0 });
      }
      for (const s of runs) {
        const b = buckets.get(new Date(s.startedAt).toISOString().slice(0, 10));
        if (!b) continue;
        const sum = (o: Record<string, number>) => Object.values(o ?? {}).reduce((a, n) => a + n, 0);
        b.synced += sum(s.created) + sum(s.updated) + sum(s.deleted);
        b.conflicts += s.conflicts ?? 0;
        b.errors += s.errors ?? 0;
      }
      return [...buckets.values()];
    },
    async listLogs(args = {}) {
      return ctx.logger.list(args);
    },
    async getDiagnostics() {
      return { text: diagnosticsBundle({ version: ctx.version, profileDir: ctx.profileDir, db: ctx.db, store: ctx.store, config: ctx.config, logger: ctx.logger, redactor: ctx.redactor, connections: ctx.connections.list(), now: ctx.now }) };
    },

    async getSettings() {
      return ctx.config.read().settings;
    },
    async saveSettings({ settings }) {
      const cfg = ctx.config.read();
      const next: Settings = {
        ...cfg.settings,
        ...(settings ?? {}),
        notifications: { ...cfg.settings.notifications, ...(settings?.notifications ?? {}) },
        guard: { ...cfg.settings.guard, ...(settings?.guard ?? {}) },
      };
      try {
        ctx.config.write({ ...cfg, settings: next });
      } catch (e) {
        throw new BridgeError((e as Error).message);
      }
      ctx.sync.reschedule();
      await publishStatus();
      return ctx.config.read().settings;
    },
    async exportAuditCsv() {
      const mappings = ctx.sync.mappings();
      const { csv, rows } = auditCsv(store.audit, (pair, entity, field) => {
        const ms = pair ? mappings.filter((m) => m.pair === pair) : mappings;
        for (const m of ms) {
          const f = m.entities.find((e) => e.entity === entity)?.fields.find((x) => x.key === field || x.ghlField === field || x.otherField === field);
          if (f) return f.label;
        }
        return undefined;
      });
      return { csv, rows, fileName: `ghl-bridge-audit-${new Date(ctx.now()).toISOString().slice(0, 10)}.csv` };
    },
    async undoRun({ runId }) {
      const r = await ctx.sync.undo(need(runId, 'The run id'));
      await publishStatus();
      return r;
    },
  };
}
