/** Mappings: read and save a pair's mapping, preview it, switch its sync on or off, and the lookups the screen offers. */
import type { BridgeApi, PairMapping } from '../../../preload/contract.js';
import { MappingError, validateMapping } from '../../sync/engine/mapping.js';
import { BridgeError } from '../errors.js';
import { need, type HandlerContext, type Shared } from './common.js';

type MappingsApi = Pick<BridgeApi, 'getMappings' | 'saveMapping' | 'previewMapping' | 'setSyncEnabled' | 'getMappingOptions'>;

export function mappingHandlers(ctx: HandlerContext, { publishStatus, mappingFor }: Shared): MappingsApi {
  return {
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
      const mirror = ctx.sync.mirror;
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
