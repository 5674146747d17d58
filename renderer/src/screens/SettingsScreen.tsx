/** Settings: how often to sync, what to notify about, the safety limits; the data folder, audit export and undo. */
import { PageHeader } from '../components/page.js';
import { QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { useAppStatus } from '../app-status.js';
import { SettingsForm } from './settings/settings-form.js';
import { ExportCard, UndoCard } from './settings/data-tools.js';

export function SettingsScreen() {
  const query = useBridgeQuery((b) => b.getSettings(), 'settings');
  const { status, reload } = useAppStatus();
  return (
    <>
      <PageHeader
        title="Settings"
        description="How often GHL Bridge syncs, what it tells you about, and the limits that stop a sync before it does too much."
      />
      <div className="stack">
        <QueryView query={query} loadingLabel="Loading settings…">
          {(s) => <SettingsForm initial={s} onSaved={reload} />}
        </QueryView>
        <div className="grid">
          <ExportCard profileDir={status?.profileDir} />
          <UndoCard />
        </div>
      </div>
    </>
  );
}
