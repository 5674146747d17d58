/**
 * A set with one element ⇄ a picklist value (main/sync/fields/README.md, "Sets and picklists"). The canonical value is
 * the one value. A set with more than one element keeps its first (in sorted order) with a warning on the record.
 */
import { setItems, text } from '../canonical.js';
import type { Transform } from '../types.js';
import { cut } from './shared.js';

export const setPicklist: Transform = {
  id: 'set_picklist',
  label: 'Tags ⇄ one choice',
  accepts: [
    ['set', 'picklist'],
    ['picklist', 'set'],
    ['set', 'text'],
    ['text', 'set'],
  ],
  toCanon(v, _side, def) {
    if (def.type !== 'set') return { value: text(v) };
    const items = [
      ...new Set(
        setItems(v)
          .map((x) => text(x))
          .filter((x): x is string => !!x),
      ),
    ].sort();
    if (items.length <= 1) return { value: items[0] ?? null };
    return {
      value: items[0]!,
      warning: `${items.length} values (${items.join(', ')}) for one choice: "${items[0]}" was kept`,
    };
  },
  fromCanon(c, _side, def) {
    if (def.type === 'set') return c === null ? [] : [c];
    return c === null ? null : cut(c, def.maxLength);
  },
};
