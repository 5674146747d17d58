/** Connections: each system, how it signs in, whether it works, and its request allowance. */
import type { ConnectionInfo, QuotaInfo } from '../../../preload/contract.js';
import { HealthBadge } from '../components/badge.js';
import { Card, Details, PageHeader } from '../components/page.js';
import { QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { formatDateTime } from '../components/format.js';

const METHOD: Record<NonNullable<ConnectionInfo['method']>, string> = {
  oauth: 'HighLevel sign-in (OAuth)',
  private_token: 'Private Integration token',
  signed_key: 'API key with signed requests',
  api_key: 'API key',
};

const PURPOSE: Record<ConnectionInfo['system'], string> = {
  ghl: 'Your CRM: contacts, tasks and notes.',
  aroflo: 'Field-service clients, contacts and jobs.',
  aimfox: 'LinkedIn outreach leads and campaigns.',
};

function Quota({ q }: { q: QuotaInfo }) {
  const pct = q.limit > 0 ? Math.min(100, Math.round((q.used / q.limit) * 100)) : 0;
  return (
    <div className="quota">
      <div className="quota-head">
        <span>{q.window} requests</span>
        <span className="muted">
          {q.used.toLocaleString()} of {q.limit.toLocaleString()} used
        </span>
      </div>
      <div className="progress" role="progressbar" aria-label={`${q.window} requests used`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className={`progress-bar${pct > 85 ? ' progress-bar-warn' : ''}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function ConnectionCard({ c }: { c: ConnectionInfo }) {
  return (
    <Card title={c.label} actions={<HealthBadge health={c.health} />}>
      <p className="muted card-lead">{PURPOSE[c.system]}</p>
      {c.message && c.health !== 'ok' ? <p className="connection-message">{c.message}</p> : null}
      <Details
        items={[
          { label: 'Signs in with', value: c.method ? METHOD[c.method] : 'Not set up yet' },
          ...(c.account ? [{ label: 'Account', value: c.account }] : []),
          ...(c.lastCheckedAt ? [{ label: 'Last checked', value: formatDateTime(c.lastCheckedAt) }] : []),
          ...(c.scopes?.length ? [{ label: 'Permissions', value: c.scopes.join(', ') }] : []),
        ]}
      />
      {c.quota?.map((q) => <Quota key={q.window} q={q} />)}
    </Card>
  );
}

export function ConnectionsScreen() {
  const query = useBridgeQuery((b) => b.getConnections(), 'connections', ['login', 'run-finished']);
  return (
    <>
      <PageHeader title="Connections" description="The systems GHL Bridge keeps in step, and whether each one is signed in." />
      <QueryView query={query} loadingLabel="Checking connections…">
        {(list) => (
          <div className="grid">
            {list.map((c) => (
              <ConnectionCard key={c.system} c={c} />
            ))}
          </div>
        )}
      </QueryView>
    </>
  );
}
