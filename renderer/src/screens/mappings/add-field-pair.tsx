/**
 * "Add field pair": choose a HighLevel field, then one of the other system's fields that fits it (only those are
 * offered), then how the value is changed on the way (only the changes that make the two fit; the first is chosen).
 */
import { useId, useState } from 'react';
import type { FieldMapping, PairId, TransformId } from '../../../../preload/contract.js';
import { SYSTEM_LABEL, TRANSFORM_LABEL, entityMany, otherSystem } from '../../labels.js';
import { ghlChoices, newFieldPair, otherChoices, transformsFor, type EntityCatalogue } from './catalogue.js';

const fieldOption = (f: { ref: string; label: string; origin: string }) =>
  f.origin === 'custom' ? `${f.label} (custom field)` : f.label;

export function AddFieldPair({
  ec,
  pair,
  fields,
  onAdd,
}: {
  ec: EntityCatalogue;
  pair: PairId;
  fields: FieldMapping[];
  onAdd: (f: FieldMapping) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [ghl, setGhl] = useState('');
  const [other, setOther] = useState('');
  const [transform, setTransform] = useState<TransformId | ''>('');
  const otherName = SYSTEM_LABEL[otherSystem(pair)];
  const many = entityMany(ec.entity);
  const ghlOpts = ghlChoices(ec);
  const otherOpts = ghl ? otherChoices(ec, ghl) : [];
  const transforms = ghl && other ? (transformsFor(ec, ghl, other) ?? []) : [];
  if (!ghlOpts.length) return null;
  if (!open) {
    return (
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        Add field pair
      </button>
    );
  }
  const reset = () => {
    setOpen(false);
    setGhl('');
    setOther('');
    setTransform('');
  };
  return (
    <fieldset className="add-pair">
      <legend>Add a field pair to {many}</legend>
      <div className="form-grid form-grid-3">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-ghl`}>
            HighLevel field
          </label>
          <select
            id={`${id}-ghl`}
            className="select"
            value={ghl}
            onChange={(e) => {
              setGhl(e.target.value);
              setOther('');
              setTransform('');
            }}
          >
            <option value="">Choose a field…</option>
            {ghlOpts.map((f) => (
              <option key={f.ref} value={f.ref}>
                {fieldOption(f)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-other`}>
            {otherName} field
          </label>
          <select
            id={`${id}-other`}
            className="select"
            value={other}
            disabled={!ghl}
            onChange={(e) => {
              setOther(e.target.value);
              setTransform(transformsFor(ec, ghl, e.target.value)?.[0] ?? '');
            }}
          >
            <option value="">{ghl ? 'Choose a field…' : 'Choose the HighLevel field first'}</option>
            {otherOpts.map((f) => (
              <option key={f.ref} value={f.ref}>
                {fieldOption(f)}
              </option>
            ))}
          </select>
          <p className="field-hint">Only fields that can hold the HighLevel field’s values are listed.</p>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-t`}>
            On the way
          </label>
          <select
            id={`${id}-t`}
            className="select"
            value={transform}
            disabled={!transforms.length}
            onChange={(e) => setTransform(e.target.value as TransformId)}
          >
            {transforms.length ? null : <option value="">Choose both fields first</option>}
            {transforms.map((t) => (
              <option key={t} value={t}>
                {TRANSFORM_LABEL[t]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="button" onClick={reset}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!ghl || !other || !transform}
          onClick={() => {
            if (!transform) return;
            onAdd(newFieldPair(ec, ghl, other, transform, fields));
            reset();
          }}
        >
          Add this pair
        </button>
      </div>
    </fieldset>
  );
}
