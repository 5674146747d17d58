/** Settings: how often to sync, what to notify about, and the safety limits that stop a run before it writes. */
import type { Settings } from '../../../preload/contract.js';
import { Card, Details, PageHeader } from '../components/page.js';
import { QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { plural } from '../components/format.js';

const onOff = (v: boolean) => (v ? 'On' : 'Off');

function SettingsView({ s }: { s: Settings }) {
  return (
    <div className="grid">
      <Card title="Sync">
        <Details
          items={[
            { label: 'Sync every', value: plural(s.syncIntervalMinutes, 'minute') },
            { label: 'Full check for deletions', value: `every ${plural(s.fullReconcileEvery, 'sync', 'syncs')}` },
            { label: 'Start when I sign in to the computer', value: onOff(s.startAtLogin) },
          ]}
        />
      </Card>
      <Card title="Notifications">
        <Details
          items={[
            { label: 'New conflicts', value: onOff(s.notifications.conflicts) },
            { label: 'Sign-in problems', value: onOff(s.notifications.signIn) },
            { label: 'Failed syncs', value: onOff(s.notifications.failures) },
          ]}
        />
      </Card>
      <Card title="Safety limits" className="card-wide">
        <p className="muted card-lead">A sync that would go past one of these stops before writing anything and asks you first.</p>
        <Details
          items={[
            { label: 'Most deletions per sync', value: `${s.guard.maxDeletes.toLocaleString()} records or ${s.guard.maxDeletePercent}%` },
            { label: 'Most changes per sync', value: `${s.guard.maxChanges.toLocaleString()} records or ${s.guard.maxChangePercent}%` },
          ]}
        />
      </Card>
    </div>
  );
}

export function SettingsScreen() {
  const query = useBridgeQuery((b) => b.getSettings(), 'settings');
  return (
    <>
      <PageHeader title="Settings" description="How often GHL Bridge syncs, what it tells you about, and its safety limits." />
      <QueryView query={query}>{(s) => <SettingsView s={s} />}</QueryView>
    </>
  );
}
