/** Every transform by id (preload/contract.ts TransformId), one family per file (main/sync/fields/README.md). */
import type { TransformId } from '../../../../preload/contract.js';
import type { Transform } from '../types.js';
import { addressJoin, addressSplit } from './address.js';
import { date, datetime } from './date.js';
import { nameJoin, nameSplit } from './name.js';
import { phoneE164 } from './phone.js';
import { setPicklist } from './set.js';
import { lowercase, none, trim, uppercase } from './text.js';
import { valueMap } from './value-map.js';

export const TRANSFORMS: Readonly<Record<TransformId, Transform>> = {
  none,
  trim,
  lowercase,
  uppercase,
  phone_e164: phoneE164,
  name_join: nameJoin,
  name_split: nameSplit,
  status_map: valueMap,
  date,
  datetime,
  address_join: addressJoin,
  address_split: addressSplit,
  set_picklist: setPicklist,
};

export const TRANSFORM_IDS = Object.keys(TRANSFORMS) as TransformId[];

export function transformOf(id: TransformId): Transform {
  return TRANSFORMS[id];
}
