/**
 * Aimfox's fields (main/sync/fields/README.md, "Aimfox"): what the API lets the bridge write on a lead is its labels
 * and its notes. Campaign custom variables are set only when a lead is added to a campaign and cannot be read back,
 * so they cannot be kept in sync and are not offered.
 */
import type { AimfoxLead, AimfoxNote } from '../../connectors/aimfox/types.js';
import type { EntityKind } from '../../../preload/contract.js';
import type { FieldDef } from './types.js';

const BOTH = { create: true, update: true } as const;

const LEAD_FIELDS: Array<FieldDef<AimfoxLead, { labels?: string[] }>> = [
  {
    system: 'aimfox',
    entity: 'lead',
    ref: 'labels',
    label: 'Labels',
    type: 'set',
    origin: 'standard',
    write: BOTH,
    read: (l) => l.labels.map((x) => x.name),
    put: (p, v) => void (p.labels = Array.isArray(v) ? v.map(String) : []),
  },
];

const NOTE_FIELDS: Array<FieldDef<AimfoxNote, { text?: string }>> = [
  {
    system: 'aimfox',
    entity: 'note',
    ref: 'text',
    label: 'Note',
    type: 'longtext',
    origin: 'standard',
    write: BOTH,
    read: (n) => n.text,
    put: (p, v) => void (p.text = String(v ?? '')),
  },
];

export function aimfoxFields(entity: EntityKind): FieldDef[] {
  if (entity === 'lead') return LEAD_FIELDS as FieldDef[];
  if (entity === 'note') return NOTE_FIELDS as FieldDef[];
  return [];
}
