/**
 * Choose any number of values: a checkbox per known option, values typed in by hand as removable chips (with the
 * known options suggested), and saved values the lookups no longer list kept visible so nothing changes unseen.
 */
import { useId, useState } from 'react';

export interface PickOption {
  id: string;
  label: string;
}

export function MultiPick({
  legend,
  hint,
  options,
  value,
  onChange,
  allowTyping,
  typeLabel,
  emptyOptions,
}: {
  legend: string;
  hint?: string;
  options: PickOption[];
  value: string[];
  onChange: (v: string[]) => void;
  /** Values may be typed (tags; ids the lookups cannot list). */
  allowTyping?: boolean;
  typeLabel?: string;
  /** Shown when there are no options to tick. */
  emptyOptions?: string;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const known = new Set(options.map((o) => o.id));
  const extra = value.filter((v) => !known.has(v));
  const toggle = (v: string, on: boolean) =>
    onChange(on ? [...value.filter((x) => x !== v), v] : value.filter((x) => x !== v));
  const add = () => {
    const v = typed.trim();
    if (!v) return;
    if (!value.some((x) => x.toLowerCase() === v.toLowerCase())) onChange([...value, v]);
    setTyped('');
  };

  return (
    <fieldset className="pick" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className="field-label">{legend}</legend>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {options.length > 0 && !allowTyping ? (
        <div className="pick-options">
          {options.map((o) => (
            <label key={o.id} className="pick-option">
              <input
                type="checkbox"
                className="checkbox"
                checked={value.includes(o.id)}
                onChange={(e) => toggle(o.id, e.target.checked)}
              />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      ) : null}
      {options.length === 0 && !allowTyping && emptyOptions ? <p className="muted pick-empty">{emptyOptions}</p> : null}
      {(allowTyping ? value : extra).length > 0 ? (
        <ul className="chips" aria-label={`${legend}: chosen`}>
          {(allowTyping ? value : extra).map((v) => (
            <li key={v} className="chip chip-static">
              <span>{options.find((o) => o.id === v)?.label ?? v}</span>
              {!allowTyping ? <span className="muted"> (not listed)</span> : null}
              <button
                type="button"
                className="chip-remove"
                onClick={() => toggle(v, false)}
                aria-label={`Remove ${options.find((o) => o.id === v)?.label ?? v}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {allowTyping ? (
        <div className="pick-add">
          <label className="visually-hidden" htmlFor={`${id}-add`}>
            {typeLabel ?? `Add to ${legend}`}
          </label>
          <input
            id={`${id}-add`}
            className="input"
            list={options.length ? `${id}-list` : undefined}
            value={typed}
            placeholder={typeLabel}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          {options.length ? (
            <datalist id={`${id}-list`}>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </datalist>
          ) : null}
          <button type="button" className="button" onClick={add} disabled={!typed.trim()}>
            Add
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
