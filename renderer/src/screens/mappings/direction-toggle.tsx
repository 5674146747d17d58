/** The four directions of a field (→ ← ⇄ off) as one radio group, drawn as a segmented control. */
import { useId } from 'react';
import type { Direction, PairId } from '../../../../preload/contract.js';
import { DIRECTIONS, DIRECTION_SYMBOL, directionLabel } from '../../labels.js';

export function DirectionToggle({
  value,
  onChange,
  pair,
  field,
  allowed,
}: {
  value: Direction;
  onChange: (d: Direction) => void;
  pair: PairId;
  field: string;
  allowed?: Direction[];
}) {
  const name = useId();
  const choices = allowed ?? DIRECTIONS;
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Direction for {field}</legend>
      {choices.map((d) => (
        <label key={d} className={`segment${value === d ? ' segment-on' : ''}`} title={directionLabel(d, pair)}>
          <input
            type="radio"
            className="segment-input"
            name={name}
            value={d}
            checked={value === d}
            onChange={() => onChange(d)}
          />
          <span aria-hidden="true">{DIRECTION_SYMBOL[d]}</span>
          <span className="visually-hidden">{directionLabel(d, pair)}</span>
        </label>
      ))}
    </fieldset>
  );
}
