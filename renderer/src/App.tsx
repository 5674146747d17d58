import type { ReactNode } from 'react';
import type { Screen } from '../../preload/contract.js';
import { useAppStatus } from './app-status.js';
import { SideNav } from './components/side-nav.js';
import { LocationPicker, LocationsOverview, useLocations, useOverviewShown } from './components/locations.js';
import { errorKind } from './bridge/errors.js';
import { ErrorState } from './components/states.js';
import { useScreen } from './routes.js';
import { StatusScreen } from './screens/StatusScreen.js';
import { ConnectionsScreen } from './screens/ConnectionsScreen.js';
import { MappingsScreen } from './screens/MappingsScreen.js';
import { ConflictsScreen } from './screens/ConflictsScreen.js';
import { ActivityScreen } from './screens/ActivityScreen.js';
import { LogsScreen } from './screens/LogsScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { RecordScreen } from './screens/RecordScreen.js';
import { DashboardScreen } from './screens/DashboardScreen.js';
import { ChangesScreen } from './screens/ChangesScreen.js';

const SCREEN_VIEWS: Record<Screen, () => ReactNode> = {
  dashboard: DashboardScreen,
  changes: ChangesScreen,
  status: StatusScreen,
  connections: ConnectionsScreen,
  mappings: MappingsScreen,
  conflicts: ConflictsScreen,
  activity: ActivityScreen,
  logs: LogsScreen,
  settings: SettingsScreen,
  record: RecordScreen,
};

export function App() {
  const screen = useScreen();
  const { status, error, reload } = useAppStatus();
  const View = SCREEN_VIEWS[screen];
  const locations = useLocations();
  const overview = useOverviewShown();
  // Every screen is mounted afresh for the chosen location, so each shows that location's data. Until the location
  // is known no screen is mounted: mounting one and then again for the location loaded everything twice and, as the
  // second mount counted as a move to another screen, took focus to its heading, before the skip link.
  const where = locations.data?.current ?? '';
  const locationKnown = locations.data !== undefined || (!locations.loading && locations.error !== undefined);

  // Serve mode opened without its access link: nothing on any screen can load, so say so once, plainly.
  if (!status && errorKind(error) === 'unauthorized') {
    return (
      <main className="locked" id="main">
        <ErrorState title="This page needs its access link" error={error} onRetry={reload} />
      </main>
    );
  }

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <SideNav current={overview ? undefined : screen} status={status} top={<LocationPicker view={locations.data} />} />
      <main className="content" id="main" tabIndex={-1}>
        {overview ? (
          <LocationsOverview query={locations} />
        ) : locationKnown ? (
          <View key={`${where}:${screen}`} />
        ) : null}
      </main>
    </div>
  );
}
