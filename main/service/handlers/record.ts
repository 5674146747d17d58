/** One record: its page (links side by side, history, writes, conflicts) and "Sync this record now". */
import type { BridgeApi } from '../../../preload/contract.js';
import { BridgeError } from '../errors.js';
import { findRecord, linksOf, readLive, recordScope, recordView, searchResult } from '../record.js';
import { needText, type HandlerContext, type Shared } from './common.js';

type RecordApi = Pick<BridgeApi, 'getRecord' | 'syncRecord'>;

/** The HighLevel web app (contact pages live under /v2/location/<location>/contacts/detail/<contact>). */
const GHL_APP_URL = 'https://app.gohighlevel.com';

export function recordHandlers(ctx: HandlerContext, { store, publishStatus }: Shared): RecordApi {
  const ghlUrl = (id: string): string | undefined => {
    const loc = ctx.config.read().connections.ghl.locationId;
    if (!loc || !/^[\w-]+$/.test(id) || !/^[\w-]+$/.test(loc) || id.startsWith('biz:')) return undefined;
    return `${GHL_APP_URL}/v2/location/${loc}/contacts/detail/${id}`;
  };
  return {
    async getRecord({ q, live }) {
      const { found, matches } = findRecord(store, needText(q, 'What to look for'));
      if (!found) return searchResult(store, matches);
      const group = linksOf(store, found);
      const mappings = ctx.sync.mappings();
      let reads;
      let offline: string | undefined;
      if (live === false) offline = 'Not read live: the values are the bridge’s copies from its last read.';
      else {
        const entities = ctx.sync.wireForReading([...new Set(group.links.map((l) => l.pair))]);
        if (!entities.length) offline = 'Not connected: the values are the bridge’s copies from its last read.';
        else {
          reads = await readLive(entities, group.links, ctx.now);
          if (reads.error) {
            offline = `Could not read live (${reads.error}): the values are the bridge’s copies from its last read.`;
            reads = undefined;
          }
        }
      }
      const record = recordView({ store, found: group, mappings, live: reads, offline, ghlUrl });
      return searchResult(store, matches, record);
    },
    async syncRecord({ key }) {
      const { found } = findRecord(store, needText(key, 'The record'));
      if (!found) throw new BridgeError('There is no such record (it may have been unlinked).', 'not_found');
      const run = await ctx.sync.runNow({
        trigger: 'record',
        dryRun: false,
        scope: recordScope(linksOf(store, found)),
      });
      await publishStatus();
      return run;
    },
  };
}
