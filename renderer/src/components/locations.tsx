/**
 * Several HighLevel locations (README "Several locations"): the picker at the top of the navigation, shown only when
 * the profile has two or more, and the "All locations" overview (#/locations) with each one's last run, next run, what
 * waits for review and its health. Choosing a location makes every screen of this window show that location's data
 * (other windows keep theirs: renderer/src/bridge/located.ts).
 */
import { useState, useSyncExternalStore } from 'react';
import type { LocationOverview, LocationsView } from '../../../preload/contract.js';
import { useBridge } from './bridge-context.js';
import { FormError, SecretField, TextField } from './form.js';
import { useAction } from './use-action.js';
import { Badge, RunStatusBadge, type Tone } from './badge.js';
import { formatShortDateTime, plural } from './format.js';
import { Card, PageHeader } from './page.js';
import { QueryView } from './states.js';
import { TableWrap } from './table-wrap.js';
import { useBridgeQuery, type QueryState } from './use-bridge-query.js';

export const LOCATIONS_HASH = '#/locations';

function subscribeHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** Whether the window shows the "All locations" overview. */
export function useOverviewShown(): boolean {
  return useSyncExternalStore(subscribeHash, () => window.location.hash.split('?')[0] === LOCATIONS_HASH);
}

/** The profile's locations, reloaded when the location changes or a run finishes. */
export function useLocations(): QueryState<LocationsView> {
  return useBridgeQuery((b) => b.listLocations(), 'locations', ['location', 'run-finished', 'conflicts-changed']);
}

/** Switches the window's location; the caller's view reloads from the `location` event. */
export function useSwitchLocation(): (id: string) => Promise<void> {
  const bridge = useBridge();
  return async (id) => {
    await bridge.switchLocation({ id });
  };
}

export function LocationPicker({ view }: { view: LocationsView | undefined }) {
  const switchTo = useSwitchLocation();
  const overview = useOverviewShown();
  if (!view || view.locations.length < 2) return null;
  return (
    <div className="location-picker">
      <label className="location-label" htmlFor="location-select">
        Location
      </label>
      <select
        id="location-select"
        className="location-select"
        value={view.current}
        // A long name is cut off in the narrow navigation; the whole name on hover.
        title={view.locations.find((l) => l.id === view.current)?.name}
        onChange={(e) => {
          void switchTo(e.target.value).then(() => {
            if (overview) window.location.hash = '#/status';
          });
        }}
      >
        {view.locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <a className="location-all" href={LOCATIONS_HASH} aria-current={overview ? 'page' : undefined}>
        All locations
      </a>
    </div>
  );
}

const HEALTH: Record<LocationOverview['health'], { tone: Tone; text: string }> = {
  ok: { tone: 'good', text: 'OK' },
  warning: { tone: 'warn', text: 'Needs attention' },
  error: { tone: 'bad', text: 'Problem' },
};

/** Add a location from its Private Integration token (serve); the new one is then shown. */
function AddLocation() {
  const bridge = useBridge();
  const [token, setToken] = useState('');
  const [locationId, setLocationId] = useState('');
  const [missing, setMissing] = useState<string>();
  const add = useAction(async () => {
    const v = await bridge.addLocation({ token: token.trim(), locationId: locationId.trim() });
    setToken('');
    setLocationId('');
    window.location.hash = '#/connections';
    return v;
  });
  return (
    <Card title="Add a location">
      <form
        className="form"
        noValidate
        aria-label="Add a location"
        onSubmit={(e) => {
          e.preventDefault();
          const gap = !token.trim()
            ? 'Enter the Private Integration token.'
            : !locationId.trim()
              ? 'Enter the location ID.'
              : undefined;
          setMissing(gap);
          if (!gap) void add.run();
        }}
      >
        <p className="muted">
          In the sub-account, Settings → Private Integrations: create a token with the contact, custom field and
          location permissions; the location ID is under Settings → Business Profile. The token is tried before it is
          kept, and the location's name comes from HighLevel. Then sign the new location in to its own AroFlo or Aimfox.
        </p>
        <div className="form-grid">
          <SecretField label="Private Integration token" value={token} onChange={setToken} autoComplete="off" />
          <TextField label="Location ID" value={locationId} onChange={setLocationId} autoComplete="off" />
        </div>
        <FormError message={missing ?? add.error} />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add location'}
          </button>
        </div>
      </form>
    </Card>
  );
}

export function LocationsOverview({ query }: { query: QueryState<LocationsView> }) {
  const switchTo = useSwitchLocation();
  return (
    <>
      <PageHeader
        title="All locations"
        description="Every HighLevel location of this profile. Each syncs on its own, with its own connections, mappings and conflicts."
      />
      <div className="stack">
        <Card title="Locations" className="card-wide">
          <QueryView query={query} loadingLabel="Loading locations…">
            {(view) => (
              <TableWrap label="Locations">
                <table className="table table-locations">
                  <thead>
                    <tr>
                      <th scope="col">Location</th>
                      <th scope="col">Last sync</th>
                      <th scope="col">Next sync</th>
                      <th scope="col" className="num">
                        To review
                      </th>
                      <th scope="col">Health</th>
                      <th scope="col">
                        <span className="visually-hidden">Open</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.locations.map((l) => {
                      const review = l.openConflicts + l.openDuplicates;
                      return (
                        <tr key={l.id} aria-current={l.id === view.current ? 'true' : undefined}>
                          <th scope="row">
                            {l.name}
                            {l.name !== l.id ? <div className="muted mono location-id">{l.id}</div> : null}
                          </th>
                          <td className="nowrap">
                            {l.syncing ? (
                              <Badge tone="info">Syncing</Badge>
                            ) : l.lastRun ? (
                              <>
                                {formatShortDateTime(l.lastRun.startedAt)} <RunStatusBadge status={l.lastRun.status} />
                              </>
                            ) : (
                              'Never'
                            )}
                          </td>
                          <td className="nowrap">
                            {l.paused ? 'Paused' : l.nextRunAt ? formatShortDateTime(l.nextRunAt) : '—'}
                          </td>
                          <td className="num">{review}</td>
                          <td>
                            <Badge tone={HEALTH[l.health].tone}>
                              {l.health !== 'ok'
                                ? `${HEALTH[l.health].text} (${plural(l.attention, 'item')})`
                                : HEALTH[l.health].text}
                            </Badge>
                          </td>
                          <td className="nowrap">
                            {l.id === view.current ? (
                              <span className="muted">Shown now</span>
                            ) : (
                              <button
                                type="button"
                                className="button button-small"
                                aria-label={`Open ${l.name}`}
                                onClick={() => {
                                  void switchTo(l.id).then(() => (window.location.hash = '#/status'));
                                }}
                              >
                                Open
                              </button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </QueryView>
        </Card>
        {query.data?.canAdd ? <AddLocation /> : null}
      </div>
    </>
  );
}

/** On Connections: where another HighLevel location is added (only where the window can add one: serve). */
export function AddLocationLink() {
  const query = useLocations();
  if (!query.data?.canAdd) return null;
  return (
    <a className="button" href={LOCATIONS_HASH}>
      Add location
    </a>
  );
}
