/**
 * What the catalogue and the transforms need to know of the business, for the window and the CLI: the HighLevel
 * location's custom field definitions (GET /locations/{id}/customFields) and its country and time zone
 * (GET /locations/{id}, an optional scope; main/connectors/ghl/README.md "The location"), resolved as the sync does
 * (main/sync/fields/README.md): the mapping's own setting first, else the location's, else AU and this machine's zone.
 */
import type { PairMapping } from '../../../preload/contract.js';
import { transformEnv, type ResolvedEnv } from '../../sync/fields/env.js';
import { customFieldDefs } from '../../sync/fields/ghl.js';
import { BridgeError } from '../errors.js';
import type { HandlerContext } from './common.js';

export interface CatalogueEnv {
  env: ResolvedEnv;
  /** False when HighLevel is not connected: its custom fields are then unknown (not "none"). */
  customFieldsKnown: boolean;
}

export async function catalogueEnv(ctx: HandlerContext, mapping: Pick<PairMapping, 'defaults'>): Promise<CatalogueEnv> {
  if (!ctx.connections.configured('ghl'))
    return { env: transformEnv(mapping.defaults, undefined), customFieldsKnown: false };
  const ghl = ctx.connections.ghlClient();
  let defs;
  try {
    defs = (await ghl.listCustomFields()).items;
  } catch (e) {
    throw new BridgeError(
      `HighLevel's custom fields could not be read, so the fields cannot be checked now — try again: ${(e as Error).message}`,
      'network',
    );
  }
  // The location's country and time zone need a scope a token may lack: then the fallbacks apply.
  const location = await ghl.getLocation().catch(() => undefined);
  return { env: transformEnv(mapping.defaults, location, customFieldDefs(defs)), customFieldsKnown: true };
}
