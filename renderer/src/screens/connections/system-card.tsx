/**
 * The frame every connection shares: what the system is for, whether it works, the account, permissions and request
 * allowance, "Test connection" with its result, "Sign out" (confirmed), and the sign-in form when asked for.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { ConnectionInfo } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { HealthBadge } from '../../components/badge.js';
import { Card, Details } from '../../components/page.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { Quota } from '../../components/quota.js';
import { useAction } from '../../components/use-action.js';
import { useNow } from '../../app-status.js';
import { formatDateTime } from '../../components/format.js';
import { ReplaceForm } from './replace-form.js';

const DAY_MS = 86_400_000;

/** How old the stored credential is, in words ("91 days (since 4 Sep 2026)"). */
function ageWords(info: ConnectionInfo, now: number): string | undefined {
  if (info.storedAt === undefined) return undefined;
  const days = Math.max(0, Math.floor((now - info.storedAt) / DAY_MS));
  const n = days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'}`;
  return info.storedAtKnown === false
    ? `at least ${n} (stored before GHL Bridge kept dates; counted from ${formatDateTime(info.storedAt)})`
    : `${days === 0 ? 'stored today' : `${n}`} (since ${formatDateTime(info.storedAt)})`;
}

const METHOD: Record<NonNullable<ConnectionInfo['method']>, string> = {
  oauth: 'Sign in with HighLevel',
  private_token: 'Private Integration token',
  signed_key: 'AroFlo API keys (signed requests)',
  api_key: 'API key',
};

const PURPOSE: Record<ConnectionInfo['system'], string> = {
  ghl: 'Your CRM: contacts, tasks and notes.',
  aroflo: 'Field-service clients, contacts and jobs.',
  aimfox: 'LinkedIn outreach leads and campaigns.',
};

/** What the last "Test connection" said, in one line. */
function TestResult({ info }: { info: ConnectionInfo }) {
  if (info.health === 'ok') {
    return (
      <p className="test-result test-ok" role="status">
        Test passed — connected{info.account ? ` to ${info.account}` : ''}.
      </p>
    );
  }
  return (
    <p className="test-result test-bad" role="alert">
      Test failed — {info.message ?? 'the connection did not answer. Check the details and try again.'}
    </p>
  );
}

export function SystemCard({
  info,
  onChanged,
  form,
  formOpen,
  setFormOpen,
  changeLabel,
}: {
  info: ConnectionInfo;
  onChanged: (info: ConnectionInfo) => void;
  /** The sign-in form (credentials). */
  form: ReactNode;
  formOpen: boolean;
  setFormOpen: (open: boolean) => void;
  changeLabel: string;
}) {
  const bridge = useBridge();
  const now = useNow();
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const age = ageWords(info, now);
  // OAuth renews itself; "sign in again" is its replacement.
  const replaceable = info.configured && info.method !== 'oauth';
  // AroFlo and Aimfox already have "Replace keys" (sign in again, any account): rotating keeps the same account.
  const replaceLabel =
    info.system === 'aroflo' ? 'Rotate keys…' : info.system === 'ghl' ? 'Replace token…' : 'Rotate key…';
  const [tested, setTested] = useState<ConnectionInfo>();
  const test = useAction(async () => {
    const r = await bridge.testConnection({ system: info.system });
    setTested(r);
    onChanged(r);
    return r;
  });
  const signOut = useAction(async () => {
    const r = await bridge.signOut({ system: info.system });
    setConfirmSignOut(false);
    setTested(undefined);
    onChanged(r);
    return r;
  });

  const showForm = !info.configured || formOpen;
  return (
    <Card title={info.label} actions={<HealthBadge health={info.health} />} className="card-connection">
      <p className="muted card-lead">{PURPOSE[info.system]}</p>
      {info.configured ? (
        <>
          {info.message && info.health !== 'ok' && !tested ? (
            <p className="connection-message">{info.message}</p>
          ) : null}
          {info.warnings?.length ? (
            <ul className="connection-warnings" aria-label={`${info.label} needs your attention`}>
              {info.warnings.map((w) => (
                <li key={w} className="connection-message">
                  {w}
                </li>
              ))}
            </ul>
          ) : null}
          {info.notices?.length ? (
            <ul className="connection-notices" aria-label={`How ${info.label} is read`}>
              {info.notices.map((n) => (
                <li key={n} className="muted">
                  {n}
                </li>
              ))}
            </ul>
          ) : null}
          <Details
            items={[
              { label: 'Signs in with', value: info.method ? METHOD[info.method] : '—' },
              ...(info.account
                ? [{ label: info.system === 'ghl' ? 'Signed in to' : 'Account', value: info.account }]
                : []),
              ...(info.lastCheckedAt ? [{ label: 'Last checked', value: formatDateTime(info.lastCheckedAt) }] : []),
              ...(age ? [{ label: 'Credential age', value: age }] : []),
            ]}
          />
          {info.rotateDue ? (
            <p className="connection-message" role="note">
              {info.method === 'private_token'
                ? `HighLevel advises replacing a Private Integration token every ${info.rotateAfterDays} days.`
                : `Time to replace ${info.system === 'aroflo' ? 'these keys' : 'this key'}: older than ${info.rotateAfterDays} days (Settings).`}
            </p>
          ) : null}
          {info.scopes?.length ? (
            <details className="tech-details">
              <summary>Technical details</summary>
              <p className="muted">Permissions (HighLevel scopes) this sign-in holds:</p>
              <p className="scopes">{info.scopes.join(', ')}</p>
            </details>
          ) : null}
          {info.quota?.map((q) => (
            <Quota key={q.window} q={q} now={now} />
          ))}
          {tested && !test.busy ? <TestResult info={tested} /> : null}
          <FormError message={test.error ?? signOut.error} />
          <div className="button-row">
            <button type="button" className="button" disabled={test.busy} onClick={() => void test.run()}>
              {test.busy ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" className="button" aria-expanded={formOpen} onClick={() => setFormOpen(!formOpen)}>
              {formOpen ? 'Close' : changeLabel}
            </button>
            {replaceable ? (
              <button
                type="button"
                className="button"
                aria-expanded={replacing}
                onClick={() => setReplacing(!replacing)}
              >
                {replacing ? 'Cancel' : replaceLabel}
              </button>
            ) : null}
            <button type="button" className="button button-quiet-danger" onClick={() => setConfirmSignOut(true)}>
              Sign out
            </button>
          </div>
        </>
      ) : null}
      {replacing && replaceable ? (
        <div className="form-panel">
          <ReplaceForm
            info={info}
            onReplaced={(r) => {
              setReplacing(false);
              setTested(undefined);
              onChanged(r);
            }}
          />
        </div>
      ) : null}
      {showForm ? <div className={info.configured ? 'form-panel' : undefined}>{form}</div> : null}
      <ConfirmDialog
        open={confirmSignOut}
        title={`Sign out of ${info.label}?`}
        confirmLabel="Sign out"
        danger
        busy={signOut.busy}
        onConfirm={() => void signOut.run()}
        onCancel={() => setConfirmSignOut(false)}
      >
        <p>
          GHL Bridge forgets the saved sign-in for {info.label} and stops syncing with it until you sign in again.
          Records already synced stay as they are in every system.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
