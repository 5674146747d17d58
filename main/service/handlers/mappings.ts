/**
 * Mappings: read and save a pair's mapping, preview it, switch its sync on or off, the lookups the screen offers, and
 * the field catalogue. A mapping is saved only when it fits the live catalogue (HighLevel's custom fields read from the
 * location now; main/sync/fields/README.md), with the saved mapping as `previous` so a custom field deleted in
 * HighLevel since keeps its pair (flagged) instead of blocking every other change.
 */
import type { BridgeApi, CatalogueView, PairId, PairMapping } from '../../../preload/contract.js';
import { MappingError, validateMapping } from '../../sync/fields/validate.js';
import { catalogueView, compatible, OTHER_SYSTEM, resolveField } from '../../sync/fields/catalogue.js';
import { BridgeError } from '../errors.js';
import { need, type HandlerContext, type Shared } from './common.js';
import { catalogueEnv } from './catalogue-env.js';

type MappingsApi = Pick<
  BridgeApi,
  'getMappings' | 'saveMapping' | 'previewMapping' | 'setSyncEnabled' | 'getMappingOptions' | 'getFieldCatalogue'
>;

export function mappingHandlers(ctx: HandlerContext, { publishStatus, mappingFor }: Shared): MappingsApi {
  /**
   * The pair's catalogue as the window sees it, for this mapping: custom fields the location lost are flagged, and the
   * mapping's own pairs that name fields by their older names (stored mappings keep them) are listed as fitting too.
   */
  const catalogueOf = async (pair: PairId, mapping: PairMapping): Promise<CatalogueView> => {
    const { env } = await catalogueEnv(ctx, mapping);
    const view = catalogueView(pair, mapping, env);
    const other = OTHER_SYSTEM[pair];
    for (const ec of view.entities) {
      for (const fm of mapping.entities.find((e) => e.entity === ec.entity)?.fields ?? []) {
        if (ec.compatible.some((p) => p.ghl === fm.ghlField && p.other === fm.otherField)) continue;
        const g = resolveField('ghl', ec.entity, fm.ghlField, env);
        const o = resolveField(other, ec.entity, fm.otherField, env);
        const transforms = g && o ? compatible(g, o) : [];
        if (transforms.length) ec.compatible.push({ ghl: fm.ghlField, other: fm.otherField, transforms });
      }
    }
    return view;
  };
  return {
    async getMappings() {
      return ctx.sync.mappings();
    },
    async getFieldCatalogue({ pair }) {
      return catalogueOf(pair, mappingFor(need(pair, 'The pair')));
    },
    async saveMapping({ mapping }) {
      let valid: PairMapping;
      try {
        const input = need(mapping, 'The mapping');
        const previous = ctx.sync.mappings().find((m) => m.pair === input.pair);
        // Without HighLevel connected its custom fields are unknown: every other field is checked, custom fields are
        // kept as they are (flagged unknown until HighLevel is connected).
        const { env, customFieldsKnown } = await catalogueEnv(ctx, input);
        valid = validateMapping(
          { ...input, fingerprint: '' },
          customFieldsKnown
            ? { catalogue: env, previous }
            : { catalogue: { customFields: [] }, customFieldsUnknown: true, previous },
        );
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
      if (enabled && m.previewedFingerprint !== m.fingerprint)
        throw new BridgeError(
          'Run a preview of this mapping first: sync can only be turned on after a successful preview.',
          'needs_preview',
        );
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
      for (const lead of mirror.all('ghl-aimfox:lead:ghl')) {
        try {
          for (const t of JSON.parse(lead.fields.labels ?? '[]') as string[]) tags.add(t);
        } catch {
          /* not a tag list */
        }
      }
      out.ghlTags = [...tags].sort().map((t) => ({ id: t, label: t }));
      return out;
    },
  };
}
