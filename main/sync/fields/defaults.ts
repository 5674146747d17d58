/**
 * The mapping each pair starts with (main/sync/fields/README.md, "Defaults"). The field pairs the bridge has always had
 * keep their keys, names and transforms exactly, so bases stored under them stay valid. Added: the street address of a
 * residential AroFlo client. The company is not a field pair: a HighLevel contact's company is the AroFlo business
 * client the person sits under (the 'business' entity of main/sync/sides), so it is not carried twice.
 */
import type { FieldMapping, PairId, PairMapping } from '../../../preload/contract.js';
import { mappingFingerprint } from './fingerprint.js';

const f = (
  key: string,
  label: string,
  ghlField: string,
  otherField: string,
  extra: Partial<FieldMapping> = {},
): FieldMapping => ({
  key,
  label,
  ghlField,
  otherField,
  direction: 'both',
  transform: 'none',
  conflictDefault: 'ask',
  ...extra,
});

export function defaultMapping(pair: PairId): PairMapping {
  const m: Omit<PairMapping, 'fingerprint'> =
    pair === 'ghl-aroflo'
      ? {
          pair,
          label: 'HighLevel ⇄ AroFlo',
          entities: [
            {
              entity: 'contact',
              enabled: true,
              deletePolicy: 'archive',
              fields: [
                f('firstName', 'First name', 'firstName', 'givennames / firstname', { transform: 'trim' }),
                f('lastName', 'Last name', 'lastName', 'surname', { transform: 'trim' }),
                f('email', 'Email', 'email', 'email', { transform: 'lowercase' }),
                f('phone', 'Phone', 'phone', 'mobile', { transform: 'phone_e164' }),
                // A residential client's street address (AroFlo keeps addresses on clients, not on a business's contacts).
                // Not the country: HighLevel holds a 2-letter code where AroFlo holds the country's name.
                f('address1', 'Street address', 'address1', 'addressline1', { transform: 'trim' }),
                f('city', 'City / suburb', 'city', 'suburb', { transform: 'trim' }),
                f('state', 'State', 'state', 'state', { transform: 'trim' }),
                f('postalCode', 'Postcode', 'postalCode', 'postcode', { transform: 'trim' }),
              ],
            },
            {
              entity: 'task',
              enabled: true,
              deletePolicy: 'archive',
              fields: [
                f('title', 'Title', 'title', 'taskname'),
                f('dueDate', 'Due date', 'dueDate', 'duedate'),
                f('body', 'Description', 'body', 'description', { direction: 'to_other' }),
                f('completed', 'Completed', 'completed', 'status', {
                  transform: 'status_map',
                  valueMap: { true: 'Completed', false: 'Not Started' },
                }),
              ],
            },
            { entity: 'note', enabled: true, deletePolicy: 'unlink', fields: [f('body', 'Note', 'body', 'content')] },
          ],
          filters: { ghlBusinessIds: [], ghlTags: [], arofloBusinessUnits: [] },
          defaults: {},
          noteToTask: { enabled: false, match: '', titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 },
          // On for a new profile; a stored mapping without it keeps it off (main/sync/README.md, "Appointments to notes").
          appointmentNotes: { enabled: true },
          syncEnabled: false,
        }
      : {
          pair,
          label: 'HighLevel → Aimfox',
          entities: [
            {
              entity: 'lead',
              enabled: true,
              deletePolicy: 'unlink',
              fields: [f('labels', 'Tags → labels', 'tags', 'labels', { direction: 'to_other' })],
            },
            {
              entity: 'note',
              enabled: true,
              deletePolicy: 'unlink',
              fields: [f('body', 'Note', 'body', 'text', { direction: 'to_other' })],
            },
          ],
          filters: { ghlBusinessIds: [], ghlTags: [], arofloBusinessUnits: [] },
          defaults: {},
          appointmentNotes: { enabled: true },
          syncEnabled: false,
        };
  return { ...m, fingerprint: mappingFingerprint(m) };
}
