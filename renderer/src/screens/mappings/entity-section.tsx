/** One kind of record in a mapping: on/off, what happens on delete, and each field's direction, change and winner. */
import { useId, useState } from 'react';
import type { ConflictDefault, DeletePolicy, EntityMapping, FieldMapping, PairId, TransformId } from '../../../../preload/contract.js';
import { Switch } from '../../components/form.js';
import { SYSTEM_LABEL, TRANSFORM_LABEL, capital, conflictDefaultLabel, deletePolicyLabel, entityMany, otherSystem } from '../../labels.js';
import { DirectionToggle } from './direction-toggle.js';
import { TableWrap } from '../../components/table-wrap.js';

const TRANSFORMS = Object.keys(TRANSFORM_LABEL) as TransformId[];
const CONFLICT_DEFAULTS: ConflictDefault[] = ['ask', 'prefer_ghl', 'prefer_other'];
const DELETE_POLICIES: DeletePolicy[] = ['archive', 'propagate', 'unlink'];

/** Field names as the systems call them; custom fields by their id are shortened. */
const fieldName = (f: string) => f.replace(/^customField:/, 'custom field ');

function FieldRow({ f, pair, onChange, disabled, showApi }: { f: FieldMapping; pair: PairId; onChange: (f: FieldMapping) => void; disabled: boolean; showApi: boolean }) {
  const tId = useId();
  const cId = useId();
  return (
    <tr className={f.direction === 'off' ? 'row-off' : undefined}>
      <th scope="row">
        <span className="field-name">{f.label}</span>
        {showApi ? (
          <span className="field-sides">
            {fieldName(f.ghlField)} ↔ {fieldName(f.otherField)}
          </span>
        ) : null}
      </th>
      <td>
        <fieldset disabled={disabled} className="bare">
          <DirectionToggle value={f.direction} onChange={(direction) => onChange({ ...f, direction })} pair={pair} field={f.label} />
        </fieldset>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={tId}>
          How {f.label} is changed on the way
        </label>
        <select id={tId} className="select select-compact" value={f.transform} disabled={disabled} onChange={(e) => onChange({ ...f, transform: e.target.value as TransformId })}>
          {TRANSFORMS.map((t) => (
            <option key={t} value={t}>
              {TRANSFORM_LABEL[t]}
            </option>
          ))}
        </select>
        {f.transform === 'status_map' && f.valueMap ? (
          <p className="field-hint">
            {Object.entries(f.valueMap)
              .map(([a, b]) => `${a === 'true' ? 'done' : a === 'false' ? 'not done' : a} → ${b}`)
              .join(', ')}
          </p>
        ) : null}
      </td>
      <td>
        <label className="visually-hidden" htmlFor={cId}>
          When {f.label} changed in both systems
        </label>
        <select id={cId} className="select select-compact" value={f.conflictDefault} disabled={disabled} onChange={(e) => onChange({ ...f, conflictDefault: e.target.value as ConflictDefault })}>
          {CONFLICT_DEFAULTS.map((c) => (
            <option key={c} value={c}>
              {conflictDefaultLabel(c, pair)}
            </option>
          ))}
        </select>
      </td>
    </tr>
  );
}

export function EntitySection({ e, pair, onChange }: { e: EntityMapping; pair: PairId; onChange: (e: EntityMapping) => void }) {
  const dId = useId();
  // API field names are for whoever checks the wiring; the labels are what people read (issue 17).
  const [showApi, setShowApi] = useState(false);
  const name = capital(entityMany(e.entity));
  const other = SYSTEM_LABEL[otherSystem(pair)];
  return (
    <section className={`entity${e.enabled ? '' : ' entity-off'}`} aria-labelledby={`${dId}-h`}>
      <div className="entity-head">
        <h3 id={`${dId}-h`}>{name}</h3>
        <Switch checked={e.enabled} onChange={(enabled) => onChange({ ...e, enabled })} label={`Sync ${entityMany(e.entity)}`} />
        <div className="entity-delete">
          <label htmlFor={dId}>When one is deleted</label>
          <select id={dId} className="select select-compact" value={e.deletePolicy} disabled={!e.enabled} onChange={(ev) => onChange({ ...e, deletePolicy: ev.target.value as DeletePolicy })}>
            {DELETE_POLICIES.map((p) => (
              <option key={p} value={p}>
                {deletePolicyLabel(p, pair)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {e.fields.length ? (
        <TableWrap label={`Fields of ${entityMany(e.entity)}`}>
          <table className="table table-fields">
            <caption className="visually-hidden">
              Fields of {entityMany(e.entity)} between HighLevel and {other}
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Direction</th>
                <th scope="col">On the way</th>
                <th scope="col">If both change it</th>
              </tr>
            </thead>
            <tbody>
              {e.fields.map((f, i) => (
                <FieldRow key={f.key} f={f} pair={pair} showApi={showApi} disabled={!e.enabled} onChange={(nf) => onChange({ ...e, fields: e.fields.map((x, j) => (j === i ? nf : x)) })} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {e.fields.length ? (
        <button type="button" className="link-button details-toggle" aria-pressed={showApi} onClick={() => setShowApi(!showApi)}>
          {showApi ? 'Hide details' : 'Details'}: field names in the HighLevel and {other} APIs
        </button>
      ) : null}
    </section>
  );
}
