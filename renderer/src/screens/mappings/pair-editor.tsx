/**
 * One mapping (HighLevel ⇄ AroFlo or HighLevel → Aimfox), editable: records and fields, filters, defaults, notes →
 * tasks; Save, Preview, and the switch that turns its sync on (only after a preview of exactly what is saved).
 */
import { useId, useState } from 'react';
import type { PairMapping, PlanPreview } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { Card } from '../../components/page.js';
import { FormError, Switch } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { IconPreview } from '../../components/icons.js';
import { EntitySection } from './entity-section.js';
import { AppointmentNotesSection, DefaultsSection, FiltersSection, NoteRuleSection } from './settings-sections.js';
import type { MappingOptions } from './settings-sections.js';
import { PreviewPanel } from './preview-panel.js';
import { useAppStatus } from '../../app-status.js';
import { SYSTEM_LABEL, otherSystem } from '../../labels.js';
import { useBridgeQuery } from '../../components/use-bridge-query.js';
import { entityCatalogue } from './catalogue.js';
import { errorMessage } from '../../bridge/errors.js';
import { LocationSection } from './location-section.js';

type Editable = Pick<PairMapping, 'entities' | 'filters' | 'defaults' | 'noteToTask' | 'appointmentNotes'>;
const editable = (m: PairMapping): Editable =>
  structuredClone({
    entities: m.entities,
    filters: m.filters,
    defaults: m.defaults,
    noteToTask: m.noteToTask,
    appointmentNotes: m.appointmentNotes,
  });
const same = (a: Editable, b: Editable) => JSON.stringify(a) === JSON.stringify(b);

function SyncSwitch({ m, dirty, onSaved }: { m: PairMapping; dirty: boolean; onSaved: (m: PairMapping) => void }) {
  const bridge = useBridge();
  const hintId = useId();
  const toggle = useAction(async (enabled: boolean) => {
    const r = await bridge.setSyncEnabled({ pair: m.pair, enabled });
    onSaved(r);
    return r;
  });
  const { status } = useAppStatus();
  const other = otherSystem(m.pair);
  const missing = (['ghl', other] as const).filter(
    (s) => status && !status.connections.find((c) => c.system === s)?.configured,
  );
  const previewed = m.previewedFingerprint === m.fingerprint;
  const canEnable = previewed && !dirty;
  let text: string;
  if (missing.length)
    text = `Connect ${missing.map((s) => SYSTEM_LABEL[s]).join(' and ')} on the Connections screen to preview and sync this; you can set the mapping up meanwhile.`;
  else if (dirty) text = 'You have unsaved changes: save and preview them before they take effect.';
  else if (!m.previewedFingerprint)
    text = 'Preview this mapping first: its sync can be switched on once you have seen what it would do.';
  else if (!previewed)
    text = m.syncEnabled
      ? 'Changed since your last preview: this sync waits until you preview again.'
      : 'Changed since your last preview: preview again before switching sync on.';
  else
    text = m.syncEnabled
      ? 'On: changes flow on every scheduled sync and on Sync now.'
      : 'Previewed and ready: switch on to start syncing.';
  return (
    <Card className="sync-bar">
      <div className="sync-bar-row">
        <div>
          <h2 className="sync-bar-title">Sync {m.label}</h2>
          <p id={hintId} className="muted">
            {text}
          </p>
        </div>
        <Switch
          checked={m.syncEnabled}
          label={`Sync ${m.label}`}
          describedBy={hintId}
          disabled={toggle.busy || (!m.syncEnabled && !canEnable)}
          onChange={(v) => void toggle.run(v)}
        />
      </div>
      <FormError message={toggle.error} />
    </Card>
  );
}

export function PairEditor({
  m,
  options,
  preview,
  onSaved,
  onPreview,
}: {
  m: PairMapping;
  options: MappingOptions;
  preview: PlanPreview | undefined;
  onSaved: (m: PairMapping) => void;
  onPreview: (p: PlanPreview) => void;
}) {
  const bridge = useBridge();
  // The fields each side has; read again after a save (a refused custom field may have been added in HighLevel since).
  const catalogue = useBridgeQuery(
    (b) => b.getFieldCatalogue({ pair: m.pair }),
    `catalogue-${m.pair}-${m.fingerprint}`,
    ['login'],
  );
  const [draft, setDraft] = useState<Editable>(() => editable(m));
  // A newly saved mapping (here or elsewhere) replaces the draft; the switch alone does not change what is edited.
  const [base, setBase] = useState(m.fingerprint);
  if (base !== m.fingerprint) {
    setBase(m.fingerprint);
    setDraft(editable(m));
  }
  const dirty = !same(draft, editable(m));
  const merged = (): PairMapping => ({ ...m, ...draft });

  const save = useAction(async () => {
    const r = await bridge.saveMapping({ mapping: merged() });
    onSaved(r);
    return r;
  });
  const runPreview = useAction(async () => {
    if (dirty) onSaved(await bridge.saveMapping({ mapping: merged() }));
    const p = await bridge.previewMapping({ pair: m.pair });
    onPreview(p);
    requestAnimationFrame(() =>
      document.getElementById(`preview-${m.pair}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' }),
    );
    return p;
  });
  const error = save.error ?? runPreview.error;

  return (
    <div className="stack">
      <SyncSwitch m={m} dirty={dirty} onSaved={onSaved} />
      <Card title="What syncs">
        <div className="stack">
          {draft.entities.map((e, i) => (
            <EntitySection
              key={e.entity}
              e={e}
              pair={m.pair}
              ec={entityCatalogue(catalogue.data, e.entity)}
              onChange={(ne) => setDraft((d) => ({ ...d, entities: d.entities.map((x, j) => (j === i ? ne : x)) }))}
            />
          ))}
        </div>
        {catalogue.error ? (
          <p className="muted top-gap">
            The list of fields could not be read ({errorMessage(catalogue.error)}), so new field pairs cannot be added
            now. Check the connections, then reload this screen.
          </p>
        ) : null}
      </Card>
      <Card title="Country and time zone">
        <LocationSection
          m={{ ...m, ...draft }}
          env={catalogue.data?.env}
          onChange={(defaults) => setDraft((d) => ({ ...d, defaults }))}
        />
      </Card>
      <Card title="Which records">
        <FiltersSection
          m={{ ...m, ...draft }}
          options={options}
          onChange={(filters) => setDraft((d) => ({ ...d, filters }))}
        />
      </Card>
      <Card title="Defaults for new records">
        <DefaultsSection
          m={{ ...m, ...draft }}
          options={options}
          onChange={(defaults) => setDraft((d) => ({ ...d, defaults }))}
        />
      </Card>
      {draft.noteToTask ? (
        <Card title="Turn notes into tasks">
          <NoteRuleSection rule={draft.noteToTask} onChange={(noteToTask) => setDraft((d) => ({ ...d, noteToTask }))} />
        </Card>
      ) : null}
      <Card title="Appointments">
        <AppointmentNotesSection
          pair={m.pair}
          enabled={draft.appointmentNotes?.enabled ?? false}
          onChange={(enabled) => setDraft((d) => ({ ...d, appointmentNotes: { enabled } }))}
        />
      </Card>
      <div className="action-bar" role="region" aria-label={`Save or preview ${m.label}`}>
        <span className="action-bar-state" role="status">
          {save.busy
            ? 'Saving…'
            : runPreview.busy
              ? 'Previewing — reading both systems…'
              : dirty
                ? 'Unsaved changes'
                : 'All changes saved'}
        </span>
        <FormError message={error} />
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={!dirty || save.busy || runPreview.busy}
            onClick={() => setDraft(editable(m))}
          >
            Discard changes
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty || save.busy || runPreview.busy}
            onClick={() => void save.run()}
          >
            Save changes
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={save.busy || runPreview.busy}
            onClick={() => void runPreview.run()}
          >
            <IconPreview />
            {runPreview.busy ? 'Previewing…' : dirty ? 'Save and preview' : 'Preview'}
          </button>
        </div>
      </div>
      {preview ? (
        <div id={`preview-${m.pair}`}>
          <PreviewPanel preview={preview} mapping={m} />
        </div>
      ) : null}
    </div>
  );
}
