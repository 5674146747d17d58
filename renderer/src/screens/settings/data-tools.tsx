/** The data folder, the audit export (a CSV download), and undoing a sync. */
import { useState } from 'react';
import type { RunSummary } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { Card, Details } from '../../components/page.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { FormError, FormSuccess, SelectField } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { useBridgeQuery } from '../../components/use-bridge-query.js';
import { IconDownload, IconUndo } from '../../components/icons.js';
import { countTotal, formatDateTime, plural } from '../../components/format.js';
import { TRIGGER_LABEL } from '../../labels.js';

function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportCard({ profileDir }: { profileDir: string | undefined }) {
  const bridge = useBridge();
  const [note, setNote] = useState<string>();
  const exp = useAction(async () => {
    const r = await bridge.exportAuditCsv();
    download(r.fileName, r.csv, 'text/csv;charset=utf-8');
    setNote(`Saved ${r.fileName} (${plural(r.rows, 'change')}) to your downloads.`);
  });
  return (
    <Card title="Your data">
      <Details items={[{ label: 'Data folder', value: profileDir ?? '—', mono: true }]} />
      <p className="muted card-lead top-gap">
        Every change GHL Bridge made — which record, which field, before and after — as a spreadsheet file.
      </p>
      <div className="button-row">
        <button type="button" className="button" disabled={exp.busy} onClick={() => void exp.run()}>
          <IconDownload />
          {exp.busy ? 'Exporting…' : 'Export audit CSV'}
        </button>
      </div>
      <FormError message={exp.error} />
      <FormSuccess message={note} />
    </Card>
  );
}

const runWords = (r: RunSummary) =>
  `${formatDateTime(r.startedAt)} — ${TRIGGER_LABEL[r.trigger] ?? r.trigger}: ${countTotal(r.created)} created, ${countTotal(r.updated)} updated, ${countTotal(r.deleted)} deleted`;

export function UndoCard() {
  const bridge = useBridge();
  const runs = useBridgeQuery((b) => b.listRuns({ limit: 50 }), 'undo-runs', ['run-finished']);
  const [pick, setPick] = useState('');
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState<string>();
  const undoable = (runs.data ?? []).filter(
    (r) =>
      !r.dryRun &&
      r.trigger !== 'undo' &&
      (r.status === 'ok' || r.status === 'partial') &&
      countTotal(r.created) + countTotal(r.updated) + countTotal(r.deleted) > 0,
  );
  const chosen = undoable.find((r) => r.id === pick);
  const undo = useAction(async () => {
    if (!chosen) return;
    const r = await bridge.undoRun({ runId: chosen.id });
    setAsking(false);
    setPick('');
    setNote(
      `Undone: ${plural(r.reverted, 'change')} put back.` +
        (r.conflicts
          ? ` ${plural(r.conflicts, 'record')} changed again since, so ${r.conflicts === 1 ? 'it waits' : 'they wait'} for you on the Conflicts screen.`
          : ''),
    );
    runs.reload();
  });
  return (
    <Card title="Undo a sync">
      <p className="muted card-lead">
        Puts back the values a sync changed, in every system. Records changed again since then are not overwritten: they
        become conflicts for you to decide.
      </p>
      <SelectField
        label="Sync to undo"
        value={pick}
        onChange={(v) => {
          setPick(v);
          setNote(undefined);
        }}
        options={undoable.map((r) => ({ value: r.id, label: runWords(r) }))}
        placeholder={
          runs.data === undefined ? 'Loading…' : undoable.length ? 'Choose a sync…' : 'No sync has changed anything yet'
        }
        disabled={!undoable.length}
      />
      <div className="button-row">
        <button type="button" className="button" disabled={!chosen || undo.busy} onClick={() => setAsking(true)}>
          <IconUndo />
          Undo this sync…
        </button>
      </div>
      <FormError message={undo.error} />
      <FormSuccess message={note} />
      <ConfirmDialog
        open={asking && !!chosen}
        title="Undo this sync?"
        confirmLabel="Undo the sync"
        danger
        busy={undo.busy}
        onConfirm={() => void undo.run()}
        onCancel={() => setAsking(false)}
      >
        <p>{chosen ? runWords(chosen) : ''}.</p>
        <p>
          GHL Bridge will put back what it changed in HighLevel, AroFlo and Aimfox. This itself shows in Activity and
          can be exported.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
