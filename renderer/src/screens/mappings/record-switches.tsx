/** Per kind of record and direction: whether new records are created, and whether linked ones are updated. */
import type { EntityMapping, PairId } from '../../../../preload/contract.js';
import { CheckboxField } from '../../components/form.js';
import { SYSTEM_LABEL, entityMany, otherSystem } from '../../labels.js';

type Side = 'toGhl' | 'toOther';

/** Whether some field of the record flows towards that side (the contract's default for "create"). */
export const flowsTo = (e: EntityMapping, side: Side) =>
  e.fields.some((f) => f.direction === 'both' || f.direction === (side === 'toGhl' ? 'to_ghl' : 'to_other'));

export function effectiveSwitches(e: EntityMapping) {
  return {
    create: { toGhl: e.create?.toGhl ?? flowsTo(e, 'toGhl'), toOther: e.create?.toOther ?? flowsTo(e, 'toOther') },
    update: { toGhl: e.update?.toGhl ?? true, toOther: e.update?.toOther ?? true },
  };
}

export function RecordSwitches({
  e,
  pair,
  onChange,
}: {
  e: EntityMapping;
  pair: PairId;
  onChange: (e: EntityMapping) => void;
}) {
  const eff = effectiveSwitches(e);
  const many = entityMany(e.entity);
  const sides = (['toOther', 'toGhl'] as const).filter(
    (s) => flowsTo(e, s) || e.create?.[s] !== undefined || e.update?.[s] !== undefined,
  );
  if (!sides.length) return null;
  const name = (s: Side) => (s === 'toGhl' ? 'HighLevel' : SYSTEM_LABEL[otherSystem(pair)]);
  return (
    <div className="record-switches">
      {sides.map((s) => (
        <fieldset key={s} className="bare record-switch-group" disabled={!e.enabled}>
          <legend className="field-label">In {name(s)}</legend>
          <CheckboxField
            label={`Create new ${many} in ${name(s)}`}
            hint={`${many[0]!.toUpperCase()}${many.slice(1)} that exist only in ${name(s === 'toGhl' ? 'toOther' : 'toGhl')} get a new record here.`}
            checked={eff.create[s]}
            onChange={(v) => onChange({ ...e, create: { ...eff.create, [s]: v } })}
          />
          <CheckboxField
            label={`Update linked ${many} in ${name(s)}`}
            hint={`Changes made in ${name(s === 'toGhl' ? 'toOther' : 'toGhl')} are written to ${many} already linked.`}
            checked={eff.update[s]}
            onChange={(v) => onChange({ ...e, update: { ...eff.update, [s]: v } })}
          />
        </fieldset>
      ))}
    </div>
  );
}
