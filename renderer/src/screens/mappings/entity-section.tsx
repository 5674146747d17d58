/**
 * One kind of record in a mapping: on/off, what happens on delete, its field pairs (direction, change on the way,
 * winner, whether an empty value may blank a filled one; add and remove pairs from the catalogue), and whether new
 * records are created and linked ones updated on each side.
 */
import { useId, useState } from 'react';
import type {
  ConflictDefault,
  DeletePolicy,
  EntityMapping,
  FieldMapping,
  PairId,
  TransformId,
} from '../../../../preload/contract.js';
import { Switch } from '../../components/form.js';
import {
  SYSTEM_LABEL,
  TRANSFORM_LABEL,
  capital,
  conflictDefaultLabel,
  deletePolicyLabel,
  entityMany,
  otherSystem,
} from '../../labels.js';
import { DirectionToggle } from './direction-toggle.js';
import { TableWrap } from '../../components/table-wrap.js';
import { Badge } from '../../components/badge.js';
import { AddFieldPair } from './add-field-pair.js';
import { findField, transformsFor, type EntityCatalogue } from './catalogue.js';
import { RecordSwitches } from './record-switches.js';
import { ValueMapEditor } from './value-map-editor.js';

const TRANSFORMS = Object.keys(TRANSFORM_LABEL) as TransformId[];
const CONFLICT_DEFAULTS: ConflictDefault[] = ['ask', 'prefer_ghl', 'prefer_other'];
const DELETE_POLICIES: DeletePolicy[] = ['archive', 'propagate', 'unlink'];

/** Field names as the systems call them; custom fields by their id are shortened. */
const fieldName = (f: string) => f.replace(/^(customField|custom):/, 'custom field ');

function FieldRow({
  f,
  pair,
  ec,
  onChange,
  onRemove,
  disabled,
  showApi,
}: {
  f: FieldMapping;
  pair: PairId;
  ec: EntityCatalogue | undefined;
  onChange: (f: FieldMapping) => void;
  onRemove: () => void;
  disabled: boolean;
  showApi: boolean;
}) {
  const tId = useId();
  const cId = useId();
  const other = SYSTEM_LABEL[otherSystem(pair)];
  const g = findField(ec?.ghl, f.ghlField);
  const o = findField(ec?.other, f.otherField);
  // Only the changes that make these two fields fit; the saved one stays listed even when the catalogue does not offer it.
  const fits = transformsFor(ec, f.ghlField, f.otherField) ?? TRANSFORMS;
  const transforms = fits.includes(f.transform) ? fits : [f.transform, ...fits];
  const yesNo = g?.type === 'boolean' || (!g && f.ghlField === 'completed');
  return (
    <>
      <tr className={f.direction === 'off' ? 'row-off' : undefined}>
        <th scope="row">
          <span className="field-name">{f.label}</span>
          {g?.missing ? (
            <span className="field-flag">
              <Badge tone="warn">Deleted in HighLevel</Badge>
              <span className="field-hint">
                Nothing syncs for this pair until the field is added back in HighLevel, or you remove the pair.
              </span>
            </span>
          ) : null}
          {g && o && !g.missing && !showApi && f.label !== `${g.label} ⇄ ${o.label}` ? (
            <span className="field-pair-labels">
              {g.label} ⇄ {o.label}
            </span>
          ) : null}
          {showApi ? (
            <span className="field-sides">
              {fieldName(f.ghlField)} ↔ {fieldName(f.otherField)}
            </span>
          ) : null}
        </th>
        <td>
          <fieldset disabled={disabled} className="bare">
            <DirectionToggle
              value={f.direction}
              onChange={(direction) => onChange({ ...f, direction })}
              pair={pair}
              field={f.label}
            />
          </fieldset>
        </td>
        <td>
          <label className="visually-hidden" htmlFor={tId}>
            How {f.label} is changed on the way
          </label>
          <select
            id={tId}
            className="select select-compact"
            value={f.transform}
            disabled={disabled}
            onChange={(e) => {
              const transform = e.target.value as TransformId;
              onChange(
                transform === 'status_map' && !f.valueMap ? { ...f, transform, valueMap: {} } : { ...f, transform },
              );
            }}
          >
            {transforms.map((t) => (
              <option key={t} value={t}>
                {TRANSFORM_LABEL[t]}
              </option>
            ))}
          </select>
        </td>
        <td>
          <label className="visually-hidden" htmlFor={cId}>
            When {f.label} changed in both systems
          </label>
          <select
            id={cId}
            className="select select-compact"
            value={f.conflictDefault}
            disabled={disabled}
            onChange={(e) => onChange({ ...f, conflictDefault: e.target.value as ConflictDefault })}
          >
            {CONFLICT_DEFAULTS.map((c) => (
              <option key={c} value={c}>
                {conflictDefaultLabel(c, pair)}
              </option>
            ))}
          </select>
        </td>
        <td className="col-shrink">
          <input
            type="checkbox"
            className="checkbox"
            aria-label={`An empty ${f.label} never overwrites a filled one`}
            title={`An empty value in HighLevel or ${other} never overwrites a filled one`}
            checked={f.emptyNeverBlanks ?? true}
            disabled={disabled}
            onChange={(e) => onChange({ ...f, emptyNeverBlanks: e.target.checked })}
          />
        </td>
        <td className="col-shrink">
          <button
            type="button"
            className="button button-small button-quiet-danger"
            aria-label={`Remove ${f.label}`}
            disabled={disabled}
            onClick={onRemove}
          >
            Remove
          </button>
        </td>
      </tr>
      {f.transform === 'status_map' ? (
        <tr className="row-detail">
          <td colSpan={6}>
            <ValueMapEditor f={f} pair={pair} yesNo={yesNo} disabled={disabled} onChange={onChange} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function EntitySection({
  e,
  pair,
  ec,
  onChange,
}: {
  e: EntityMapping;
  pair: PairId;
  ec: EntityCatalogue | undefined;
  onChange: (e: EntityMapping) => void;
}) {
  const dId = useId();
  // API field names are for whoever checks the wiring; the labels are what people read (issue 17).
  const [showApi, setShowApi] = useState(false);
  const name = capital(entityMany(e.entity));
  const other = SYSTEM_LABEL[otherSystem(pair)];
  return (
    <section className={`entity${e.enabled ? '' : ' entity-off'}`} aria-labelledby={`${dId}-h`}>
      <div className="entity-head">
        <h3 id={`${dId}-h`}>{name}</h3>
        <Switch
          checked={e.enabled}
          onChange={(enabled) => onChange({ ...e, enabled })}
          label={`Sync ${entityMany(e.entity)}`}
        />
        <div className="entity-delete">
          <label htmlFor={dId}>When one is deleted</label>
          <select
            id={dId}
            className="select select-compact"
            value={e.deletePolicy}
            disabled={!e.enabled}
            onChange={(ev) => onChange({ ...e, deletePolicy: ev.target.value as DeletePolicy })}
          >
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
                <th scope="col" className="col-shrink">
                  Empty never overwrites<span className="visually-hidden"> a filled value</span>
                </th>
                <th scope="col" className="col-shrink">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {e.fields.map((f, i) => (
                <FieldRow
                  key={f.key}
                  f={f}
                  pair={pair}
                  ec={ec}
                  showApi={showApi}
                  disabled={!e.enabled}
                  onChange={(nf) => onChange({ ...e, fields: e.fields.map((x, j) => (j === i ? nf : x)) })}
                  onRemove={() => onChange({ ...e, fields: e.fields.filter((_, j) => j !== i) })}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {e.fields.length ? null : <p className="muted">No fields of {entityMany(e.entity)} sync yet.</p>}
      <div className="button-row entity-foot">
        {ec && e.enabled ? (
          <AddFieldPair
            ec={ec}
            pair={pair}
            fields={e.fields}
            onAdd={(nf) => onChange({ ...e, fields: [...e.fields, nf] })}
          />
        ) : null}
        {e.fields.length ? (
          <button
            type="button"
            className="link-button details-toggle"
            aria-pressed={showApi}
            onClick={() => setShowApi(!showApi)}
          >
            {showApi ? 'Hide details' : 'Details'}: field names in the HighLevel and {other} APIs
          </button>
        ) : null}
      </div>
      <RecordSwitches e={e} pair={pair} onChange={onChange} />
    </section>
  );
}
