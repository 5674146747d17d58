/** Conflicts and possible duplicates: list and show them, resolve by hand or by a rule, link or keep apart. */
import type {
  BridgeApi,
  ConflictDetail,
  DuplicateCandidate,
  FieldChoice,
  FieldDiff,
  PairMapping,
} from '../../../preload/contract.js';
import { validateMapping } from '../../sync/engine/mapping.js';
import { BridgeError } from '../errors.js';
import { need, type HandlerContext, type Shared } from './common.js';

type ConflictsApi = Pick<
  BridgeApi,
  'listConflicts' | 'getConflict' | 'resolveConflict' | 'applyConflictRule' | 'resolveDuplicate'
>;

/** The HighLevel web app (contact pages live under /v2/location/<location>/contacts/detail/<contact>). */
const GHL_APP_URL = 'https://app.gohighlevel.com';

export function conflictHandlers(
  ctx: HandlerContext,
  { store, publishStatus, publishConflicts, mappingFor }: Shared,
): ConflictsApi {
  /** A HighLevel contact's page in the HighLevel web app, so two duplicates there can be opened and merged. */
  const recordUrl = (c: DuplicateCandidate): string | undefined => {
    const loc = ctx.config.read().connections.ghl.locationId;
    if (c.system !== 'ghl' || !loc || !/^[\w-]+$/.test(c.id) || !/^[\w-]+$/.test(loc)) return undefined;
    return `${GHL_APP_URL}/v2/location/${loc}/contacts/detail/${c.id}`;
  };

  return {
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
        ...(row.link_id !== null ? { linkId: row.link_id } : {}),
        diffs,
        candidates: row.candidates
          ? (JSON.parse(row.candidates) as DuplicateCandidate[]).map((c) => ({ ...c, url: recordUrl(c) }))
          : undefined,
      };
      return detail;
    },
    async resolveConflict({ id, choices }) {
      const row = store.conflicts.get(need(id, 'The conflict id'));
      if (!row || row.status !== 'open' || row.kind !== 'conflict')
        throw new BridgeError('That conflict is not open any more.', 'not_found');
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
      await ctx.sync
        .runNow({ trigger: 'resolution', dryRun: false, approve: false })
        .catch((e: Error) => ctx.logger.warn(`Applying the resolution will be retried on the next sync: ${e.message}`));
      await publishStatus();
      return { ok: true as const };
    },
    async applyConflictRule({ pair, entity, field, prefer }) {
      if (prefer !== 'ghl' && prefer !== 'other') throw new BridgeError('Choose which side to prefer.');
      const m = mappingFor(need(pair, 'The pair'));
      const em = m.entities.find((e) => e.entity === entity);
      const fm = em?.fields.find((x) => x.key === field);
      if (!em || !fm)
        throw new BridgeError(`There is no field "${field}" for ${entity}s in this mapping.`, 'not_found');
      // The rule is kept in the mapping (conflict default) and applied to every open conflict on that field now.
      const next = {
        ...m,
        entities: m.entities.map((e) =>
          e === em
            ? {
                ...e,
                fields: e.fields.map((x) =>
                  x === fm ? { ...x, conflictDefault: prefer === 'ghl' ? 'prefer_ghl' : 'prefer_other' } : x,
                ),
              }
            : e,
        ),
      } as PairMapping;
      // A rule only settles conflicts the person just decided, so a mapping previewed before stays previewed (else the
      // resolutions below, and every later sync, would wait for a new preview).
      const valid = validateMapping(next);
      ctx.sync.saveMapping(
        {
          ...valid,
          previewedFingerprint: m.previewedFingerprint === m.fingerprint ? valid.fingerprint : m.previewedFingerprint,
        },
        { keepPreview: true },
      );
      let resolved = 0;
      for (const c of store.conflicts
        .list({ kind: 'conflict', entity, limit: 10_000 })
        .items.filter((x) => x.pair === pair)) {
        const row = store.conflicts.get(c.id)!;
        const diffs = JSON.parse(row.diffs) as FieldDiff[];
        const d = diffs.find((x) => x.field === field);
        if (!d) continue;
        if (diffs.length === 1) {
          store.conflicts.close(row.id, 'resolved', {
            values: { [field]: prefer === 'ghl' ? d.ghl : d.other },
            rule: { field, prefer },
            applied: false,
          });
          resolved++;
        }
      }
      ctx.logger.info(
        `Rule saved: always prefer ${prefer === 'ghl' ? 'HighLevel' : 'the other system'} for ${fm.label}; ${resolved} conflict(s) resolved.`,
      );
      publishConflicts();
      if (resolved)
        await ctx.sync.runNow({ trigger: 'resolution', dryRun: false, approve: false }).catch(() => undefined);
      return { resolved };
    },
    async resolveDuplicate({ id, action, candidateId }) {
      const row = store.conflicts.get(need(id, 'The item id'));
      if (!row || row.status !== 'open' || row.kind !== 'duplicate')
        throw new BridgeError('That possible duplicate is not open any more.', 'not_found');
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
  };
}
