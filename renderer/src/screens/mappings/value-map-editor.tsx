/**
 * "Translate values": which HighLevel value becomes which value in the other system (and back), and what is written
 * for a value the list does not name. A yes/no HighLevel field (a task's "Completed") is chosen as done / not done.
 */
import { useId, useState } from 'react';
import type { FieldMapping, PairId } from '../../../../preload/contract.js';
import { SYSTEM_LABEL, otherSystem } from '../../labels.js';

type Row = { from: string; to: string };
const toRows = (m: Record<string, string> | undefined): Row[] =>
  Object.entries(m ?? {}).map(([from, to]) => ({ from, to }));
const BOOL_OPTIONS = [
  { value: 'true', label: 'Done' },
  { value: 'false', label: 'Not done' },
];

export function ValueMapEditor({
  f,
  pair,
  yesNo,
  disabled,
  onChange,
}: {
  f: FieldMapping;
  pair: PairId;
  yesNo: boolean;
  disabled: boolean;
  onChange: (f: FieldMapping) => void;
}) {
  const id = useId();
  const other = SYSTEM_LABEL[otherSystem(pair)];
  // Rows are kept while typing (two rows may briefly name one value); the mapping gets the rows with a HighLevel value.
  const [rows, setRows] = useState<Row[]>(() => toRows(f.valueMap));
  const [emitted, setEmitted] = useState(JSON.stringify(f.valueMap ?? {}));
  if (JSON.stringify(f.valueMap ?? {}) !== emitted) {
    setRows(toRows(f.valueMap));
    setEmitted(JSON.stringify(f.valueMap ?? {}));
  }
  const update = (next: Row[]) => {
    setRows(next);
    const valueMap = Object.fromEntries(next.filter((r) => r.from.trim()).map((r) => [r.from.trim(), r.to]));
    setEmitted(JSON.stringify(valueMap));
    onChange({ ...f, valueMap });
  };
  const setDefault = (side: 'toGhl' | 'toOther', v: string) => {
    const d = { ...f.valueMapDefault, [side]: v || undefined };
    onChange({ ...f, valueMapDefault: d.toGhl === undefined && d.toOther === undefined ? undefined : d });
  };
  return (
    <fieldset className="value-map" disabled={disabled}>
      <legend className="visually-hidden">Values of {f.label}</legend>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">In HighLevel</th>
            <th scope="col">In {other}</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                {yesNo ? (
                  <select
                    className="select select-compact"
                    aria-label={`HighLevel value ${i + 1} of ${f.label}`}
                    value={r.from}
                    onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))}
                  >
                    {r.from === '' ? <option value="">Choose…</option> : null}
                    {BOOL_OPTIONS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    className="input input-inline"
                    aria-label={`HighLevel value ${i + 1} of ${f.label}`}
                    value={r.from}
                    onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))}
                  />
                )}
              </td>
              <td>
                <input
                  className="input input-inline"
                  aria-label={`${other} value ${i + 1} of ${f.label}`}
                  value={r.to}
                  onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove value ${i + 1} of ${f.label}`}
                  onClick={() => update(rows.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="link-button" onClick={() => update([...rows, { from: '', to: '' }])}>
        Add a value
      </button>
      <div className="form-grid">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-to-other`}>
            A HighLevel value not in the list becomes, in {other}
          </label>
          <input
            id={`${id}-to-other`}
            className="input"
            value={f.valueMapDefault?.toOther ?? ''}
            placeholder="Leave empty to write nothing"
            onChange={(e) => setDefault('toOther', e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-to-ghl`}>
            An {other} value not in the list becomes, in HighLevel
          </label>
          {yesNo ? (
            <select
              id={`${id}-to-ghl`}
              className="select"
              value={f.valueMapDefault?.toGhl ?? ''}
              onChange={(e) => setDefault('toGhl', e.target.value)}
            >
              <option value="">Nothing is written</option>
              {BOOL_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${id}-to-ghl`}
              className="input"
              value={f.valueMapDefault?.toGhl ?? ''}
              placeholder="Leave empty to write nothing"
              onChange={(e) => setDefault('toGhl', e.target.value)}
            />
          )}
        </div>
      </div>
    </fieldset>
  );
}
