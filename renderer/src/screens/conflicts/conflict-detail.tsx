/**
 * One conflict, side by side: the value both systems last agreed on, HighLevel's, and the other system's, per field,
 * with what changed highlighted. Take a side per field (or type a value) and Apply; or make a side always win a field.
 */
import { useEffect, useId, useState } from 'react';
import type { RefObject } from 'react';
import type { ConflictDetail as Detail, FieldChoice, FieldDiff } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { SYSTEM_LABEL, capital, entityMany, entityOne, otherSystem } from '../../labels.js';
import { TableWrap } from '../../components/table-wrap.js';

export interface DetailCommands {
  take(side: 'ghl' | 'other'): void;
  apply(): void;
}

type Choice = 'ghl' | 'other' | 'value';

function Cell({ v, changed, chosen }: { v: string | null; changed: boolean; chosen: boolean }) {
  return (
    <td className={`diff-cell${changed ? ' diff-changed' : ''}${chosen ? ' diff-chosen' : ''}`}>
      {v === null || v === '' ? <span className="value-empty">empty</span> : <span className="value">{v}</span>}
      {changed ? <span className="visually-hidden"> (changed)</span> : null}
      {chosen ? <span className="visually-hidden"> (kept)</span> : null}
    </td>
  );
}

function ChoiceCell({
  d,
  other,
  choice,
  typed,
  onChoose,
  onType,
  onFocus,
}: {
  d: FieldDiff;
  other: string;
  choice: Choice | undefined;
  typed: string;
  onChoose: (c: Choice) => void;
  onType: (v: string) => void;
  onFocus: () => void;
}) {
  const name = useId();
  const label = d.label || d.field;
  return (
    <td onFocus={onFocus}>
      <fieldset className="keep">
        <legend className="visually-hidden">Keep which value for {label}</legend>
        <label className="keep-option">
          <input type="radio" name={name} checked={choice === 'ghl'} onChange={() => onChoose('ghl')} />
          HighLevel’s
        </label>
        <label className="keep-option">
          <input type="radio" name={name} checked={choice === 'other'} onChange={() => onChoose('other')} />
          {other}’s
        </label>
        <label className="keep-option">
          <input type="radio" name={name} checked={choice === 'value'} onChange={() => onChoose('value')} />
          Another value
        </label>
      </fieldset>
      {choice === 'value' ? (
        <input
          className="input input-inline"
          aria-label={`New value for ${label}`}
          value={typed}
          onChange={(e) => onType(e.target.value)}
          placeholder="Empty clears the field"
        />
      ) : null}
    </td>
  );
}

export function ConflictDetailView({
  c,
  commandsRef,
  onDone,
}: {
  c: Detail;
  commandsRef: RefObject<DetailCommands | null>;
  onDone: (message: string) => void;
}) {
  const bridge = useBridge();
  const other = SYSTEM_LABEL[otherSystem(c.pair)];
  const [choices, setChoices] = useState<Record<string, Choice | undefined>>({});
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [focus, setFocus] = useState(0);
  const [rule, setRule] = useState<'ghl' | 'other'>();
  const ready = c.diffs.every((d) => choices[d.field]);
  const focusedDiff = c.diffs[Math.min(focus, c.diffs.length - 1)];

  const apply = useAction(async () => {
    const out: Record<string, FieldChoice> = {};
    for (const d of c.diffs) {
      const ch = choices[d.field];
      if (!ch) throw new Error(`Choose which value to keep for ${d.label || d.field}.`);
      const v = (typed[d.field] ?? d.ghl ?? '').trim();
      out[d.field] = ch === 'value' ? { take: 'value', value: v === '' ? null : v } : { take: ch };
    }
    await bridge.resolveConflict({ id: c.id, choices: out });
    onDone(`Applied your choice for ${c.label}.`);
  });
  const always = useAction(async (prefer: 'ghl' | 'other') => {
    if (!focusedDiff) return;
    const r = await bridge.applyConflictRule({ pair: c.pair, entity: c.entity, field: focusedDiff.field, prefer });
    setRule(undefined);
    onDone(
      `${prefer === 'ghl' ? 'HighLevel' : other} now always wins ${focusedDiff.label || focusedDiff.field} for ${entityMany(c.entity)}; ${r.resolved} open conflict${r.resolved === 1 ? '' : 's'} resolved.`,
    );
  });

  const choose = (i: number, ch: Choice) => {
    const d = c.diffs[i];
    if (!d) return;
    setChoices((x) => ({ ...x, [d.field]: ch }));
  };

  // Keyboard: g / o take a side for the focused field and move on; Enter applies once every field is chosen.
  useEffect(() => {
    commandsRef.current = {
      take(side) {
        const i = Math.min(focus, c.diffs.length - 1);
        choose(i, side);
        setFocus(Math.min(i + 1, c.diffs.length - 1));
      },
      apply() {
        if (ready && !apply.busy) void apply.run();
      },
    };
    return () => {
      commandsRef.current = null;
    };
  });

  return (
    <>
      <p className="muted detail-lead">
        Both systems changed this {entityOne(c.entity)} since the last sync, differently. Nothing was overwritten:
        choose what to keep for each field.
        {c.linkId !== undefined ? (
          <>
            {' '}
            <a href={`#/record/${c.linkId}`}>Open the record page</a>
          </>
        ) : null}
      </p>
      <TableWrap label={`Values of ${c.label} in each system`}>
        <table className="table table-diff">
          <caption className="visually-hidden">Values of {c.label} in each system</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Last synced</th>
              <th scope="col">HighLevel</th>
              <th scope="col">{other}</th>
              <th scope="col">Keep</th>
            </tr>
          </thead>
          <tbody>
            {c.diffs.map((d, i) => {
              const ch = choices[d.field];
              return (
                <tr
                  key={d.field}
                  className={i === focus ? 'row-focused' : undefined}
                  onClick={() => setFocus(i)}
                  aria-current={i === focus ? 'true' : undefined}
                >
                  <th scope="row">{d.label || d.field}</th>
                  <Cell v={d.base} changed={false} chosen={false} />
                  <Cell v={d.ghl} changed={d.ghl !== d.base} chosen={ch === 'ghl'} />
                  <Cell v={d.other} changed={d.other !== d.base} chosen={ch === 'other'} />
                  <ChoiceCell
                    d={d}
                    other={other}
                    choice={ch}
                    typed={typed[d.field] ?? d.ghl ?? ''}
                    onChoose={(x) => choose(i, x)}
                    onType={(v) => setTyped((t) => ({ ...t, [d.field]: v }))}
                    onFocus={() => setFocus(i)}
                  />
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <FormError message={apply.error ?? always.error} />
      <div className="detail-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={!ready || apply.busy}
          onClick={() => void apply.run()}
        >
          {apply.busy ? 'Applying — updating both systems…' : 'Apply'}
        </button>
        {!ready ? <span className="muted">Choose a value for every field to apply.</span> : null}
      </div>
      {focusedDiff ? (
        <div className="rule-row">
          <span className="muted">
            From now on, for {focusedDiff.label || focusedDiff.field} of every {entityOne(c.entity)}:
          </span>
          <button type="button" className="button button-small" onClick={() => setRule('ghl')}>
            Always prefer HighLevel for this field
          </button>
          <button type="button" className="button button-small" onClick={() => setRule('other')}>
            Always prefer {other} for this field
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={rule !== undefined}
        title={`Always prefer ${rule === 'ghl' ? 'HighLevel' : other}?`}
        confirmLabel={`Always prefer ${rule === 'ghl' ? 'HighLevel' : other}`}
        busy={always.busy}
        onConfirm={() => rule && void always.run(rule)}
        onCancel={() => setRule(undefined)}
      >
        <p>
          When {focusedDiff?.label || focusedDiff?.field} of a {entityOne(c.entity)} changes in both systems,{' '}
          {rule === 'ghl' ? 'HighLevel' : other}’s value will win without asking. Open conflicts about only this field
          are settled the same way now. {capital(entityMany(c.entity))} keep every other field as they are; you can
          change this rule on the Mappings screen.
        </p>
      </ConfirmDialog>
    </>
  );
}
