/** Connections: sign in to each system, test it, see its permissions and request allowance, sign out. */
import { useState } from 'react';
import type { ConnectionInfo, SystemId } from '../../../preload/contract.js';
import { useBridgeEvent } from '../components/bridge-context.js';
import { useAppStatus } from '../app-status.js';
import { PageHeader } from '../components/page.js';
import { AddLocationLink } from '../components/locations.js';
import { QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconCheck, IconExternal, IconInfo } from '../components/icons.js';
import { SystemCard } from './connections/system-card.js';
import { GhlSignIn } from './connections/ghl-sign-in.js';
import type { LoginWait } from './connections/ghl-sign-in.js';
import { AimfoxForm, ArofloForm } from './connections/key-forms.js';

type LoginOutcome = { ok: boolean; message: string };

function LoginBanner({
  wait,
  outcome,
  account,
}: {
  wait: LoginWait | undefined;
  outcome: LoginOutcome | undefined;
  account: string | undefined;
}) {
  if (wait) {
    return (
      <div className="overview overview-info" role="status">
        <IconInfo />
        <div className="overview-text">
          <strong>Finish signing in in the HighLevel tab</strong>
          <span>
            Choose the sub-account to sync and allow access; this page updates by itself.{' '}
            <a href={wait.authorizeUrl} target="_blank" rel="noopener noreferrer">
              Open the HighLevel sign-in page again <IconExternal />
            </a>
          </span>
        </div>
      </div>
    );
  }
  if (!outcome) return null;
  return (
    <div className={`overview ${outcome.ok ? 'overview-good' : 'overview-bad'}`} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.ok ? <IconCheck /> : <IconInfo />}
      <div className="overview-text">
        <strong>
          {outcome.ok ? `Signed in to HighLevel${account ? ` — ${account}` : ''}` : 'HighLevel sign-in did not finish'}
        </strong>
        <span>
          {outcome.ok
            ? 'You can close the HighLevel tab.'
            : /again/i.test(outcome.message)
              ? outcome.message
              : `${outcome.message} Choose “Sign in with HighLevel” to try again.`}
        </span>
      </div>
    </div>
  );
}

export function ConnectionsScreen() {
  const query = useBridgeQuery((b) => b.getConnections(), 'connections', ['login', 'run-finished']);
  // A call's answer is newer than the list it was made from, until the list reloads.
  const [override, setOverride] = useState<{
    base: ConnectionInfo[] | undefined;
    map: Partial<Record<SystemId, ConnectionInfo>>;
  }>({ base: undefined, map: {} });
  const [open, setOpen] = useState<Partial<Record<SystemId, boolean>>>({});
  const [wait, setWait] = useState<LoginWait>();
  const { reload: reloadStatus } = useAppStatus();
  const [outcome, setOutcome] = useState<LoginOutcome>();

  useBridgeEvent((e) => {
    if (e.type !== 'login' || e.system !== 'ghl') return;
    setWait(undefined);
    setOutcome({ ok: e.ok, message: e.message });
    if (e.ok) setOpen((o) => ({ ...o, ghl: false }));
  });

  const changed = (i: ConnectionInfo) => {
    const base = query.data;
    setOverride((o) => ({ base, map: { ...(o.base === base ? o.map : {}), [i.system]: i } }));
    if (i.configured && i.health === 'ok') setOpen((o) => ({ ...o, [i.system]: false }));
    query.reload();
    reloadStatus();
  };

  return (
    <>
      <PageHeader
        title="Connections"
        description="Sign in to the systems GHL Bridge keeps in step, and check that each one answers."
        actions={<AddLocationLink />}
      />
      <QueryView query={query} loadingLabel="Checking connections…">
        {(list) => {
          const merged = list.map((c) => (override.base === list ? override.map[c.system] : undefined) ?? c);
          const ghl = merged.find((c) => c.system === 'ghl');
          return (
            <>
              <LoginBanner wait={wait} outcome={outcome} account={ghl?.account} />
              <div className="grid grid-connections">
                {merged.map((c) => (
                  <SystemCard
                    key={c.system}
                    info={c}
                    onChanged={changed}
                    formOpen={!!open[c.system]}
                    setFormOpen={(v) => setOpen((o) => ({ ...o, [c.system]: v }))}
                    changeLabel={c.system === 'ghl' ? 'Change sign-in' : 'Replace keys'}
                    form={
                      c.system === 'ghl' ? (
                        <GhlSignIn
                          info={c}
                          onSaved={changed}
                          onWaiting={(w) => {
                            setOutcome(undefined);
                            setWait(w);
                          }}
                        />
                      ) : c.system === 'aroflo' ? (
                        <ArofloForm onSaved={changed} />
                      ) : (
                        <AimfoxForm onSaved={changed} />
                      )
                    }
                  />
                ))}
              </div>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
