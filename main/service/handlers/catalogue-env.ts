/**
 * What the catalogue and the transforms need to know of the business, for the window and the CLI: the HighLevel
 * location's custom field definitions (GET /locations/{id}/customFields) and its country and time zone
 * (GET /locations/{id}, optional scope; main/connectors/ghl/README.md "The location"), a mapping's own
 * `defaults.phoneCountry` / `timeZone` first, else AU and this machine's zone.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { CatalogueView, PairMapping } from '../../../preload/contract.js';
import type { CustomFieldDef, TransformEnv } from '../../sync/fields/types.js';
import { BridgeError } from '../errors.js';
import type { HandlerContext } from './common.js';

export interface CatalogueEnv {
  env: TransformEnv;
  source: CatalogueView['env']['source'];
  /** False when HighLevel is not connected: its custom fields are then unknown (not "none"). */
  customFieldsKnown: boolean;
}

const FALLBACK_COUNTRY = 'AU';

export async function catalogueEnv(ctx: HandlerContext, mapping: Pick<PairMapping, 'defaults'>): Promise<CatalogueEnv> {
  const own = mapping.defaults ?? {};
  let customFields: CustomFieldDef[] = [];
  let location: { country: string | null; timezone: string | null } | undefined;
  const known = ctx.connections.configured('ghl');
  if (known) {
    const ghl = ctx.connections.ghlClient();
    try {
      customFields = (await ghl.listCustomFields()).items.map((f) => ({ id: f.id, name: f.name, dataType: f.dataType ?? 'TEXT', options: f.picklistOptions.length ? f.picklistOptions : undefined }));
    } catch (e) {
      throw new BridgeError(`HighLevel's custom fields could not be read, so the fields cannot be checked now: ${(e as Error).message}`, 'network');
    }
    // The location's country and time zone need a scope a token may lack: then the fallbacks apply.
    location = await ghl.getLocation().catch(() => undefined);
  }
  const machineZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const country = own.phoneCountry ?? location?.country ?? FALLBACK_COUNTRY;
  const timeZone = own.timeZone ?? location?.timezone ?? machineZone;
  const source: CatalogueEnv['source'] = own.phoneCountry && own.timeZone ? 'mapping' : location?.country || location?.timezone ? 'location' : 'fallback';
  return { env: { country: country as CountryCode, timeZone, customFields }, source, customFieldsKnown: known };
}
