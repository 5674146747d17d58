/**
 * Signing in to HighLevel, two ways: "Sign in with HighLevel" (the app's client ID and secret, then the consent page
 * in the browser; the result arrives as a 'login' event) or a Private Integration token with its location ID.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ConnectionInfo } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { FormError, SaveAndTest, SecretField, TextField } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { IconExternal } from '../../components/icons.js';

export const DEFAULT_REDIRECT = 'http://127.0.0.1:47321/oauth/callback';

/** In serve mode the page opens the consent page itself; inside the app, the main process opens the browser. */
const opensOwnTab = () => document.documentElement.dataset.transport === 'http';

export interface LoginWait {
  authorizeUrl: string;
}

function OAuthForm({
  info,
  onSaved,
  onWaiting,
}: {
  info: ConnectionInfo;
  onSaved: (i: ConnectionInfo) => void;
  onWaiting: (w: LoginWait | undefined) => void;
}) {
  const bridge = useBridge();
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [redirectUri, setRedirectUri] = useState('');
  const [missing, setMissing] = useState<string>();
  const saved = !!info.oauthAppSaved;

  const signIn = useAction(async (tab: Window | null) => {
    try {
      if (clientId.trim() || clientSecret.trim() || redirectUri.trim()) {
        onSaved(await bridge.saveGhlOAuthApp({ clientId, clientSecret, redirectUri: redirectUri.trim() || undefined }));
        // Saved: the fields empty again, so another try signs in with what is saved.
        setClientId('');
        setClientSecret('');
        setRedirectUri('');
      }
      const { authorizeUrl } = await bridge.startGhlLogin();
      if (tab) tab.location.href = authorizeUrl;
      onWaiting({ authorizeUrl });
    } catch (e) {
      tab?.close();
      throw e;
    }
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const needsApp = !saved || clientId.trim() || clientSecret.trim();
    if (needsApp && (!clientId.trim() || !clientSecret.trim())) {
      setMissing(
        !clientId.trim()
          ? 'Enter the client ID of your HighLevel app.'
          : 'Enter the client secret of your HighLevel app.',
      );
      return;
    }
    setMissing(undefined);
    // Open the tab now, while the click still counts as the person's action (pop-up blockers), then point it at the
    // consent page once the sign-in listener is ready. The new tab gets no handle back to this window.
    let tab: Window | null = null;
    if (opensOwnTab()) {
      tab = window.open('about:blank', '_blank');
      if (tab) tab.opener = null;
    }
    void signIn.run(tab);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Sign in with HighLevel">
      <p className="muted">
        {saved
          ? 'Your HighLevel app is saved. Sign in to choose the sub-account to sync, or enter new app details to replace them.'
          : 'Enter the client ID and secret of your HighLevel Marketplace app (marketplace.gohighlevel.com → your app → Advanced Settings → Auth), then sign in and choose the sub-account to sync.'}
      </p>
      <div className="form-grid">
        <TextField
          label="Client ID"
          value={clientId}
          onChange={setClientId}
          placeholder={saved ? 'Saved — leave empty to keep' : ''}
          autoComplete="off"
        />
        <SecretField
          label="Client secret"
          value={clientSecret}
          onChange={setClientSecret}
          placeholder={saved ? 'Saved — leave empty to keep' : ''}
        />
      </div>
      <TextField
        label="Redirect URI"
        value={redirectUri}
        onChange={setRedirectUri}
        placeholder={saved ? 'Saved — leave empty to keep' : DEFAULT_REDIRECT}
        hint={`The address HighLevel sends you back to after signing in; it must match the one registered in your app. ${saved ? '' : `Leave empty for ${DEFAULT_REDIRECT}.`}`.trim()}
      />
      <FormError message={missing ?? signIn.error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={signIn.busy}>
          <IconExternal />
          {signIn.busy ? 'Opening HighLevel…' : 'Sign in with HighLevel'}
        </button>
      </div>
    </form>
  );
}

function TokenForm({ onSaved }: { onSaved: (i: ConnectionInfo) => void }) {
  const bridge = useBridge();
  const [token, setToken] = useState('');
  const [locationId, setLocationId] = useState('');
  const save = useAction(async () => {
    const r = await bridge.saveGhlPrivateToken({ token, locationId });
    onSaved(r);
    setToken('');
    return r;
  });
  const [missing, setMissing] = useState<string>();
  return (
    <form
      className="form"
      noValidate
      aria-label="Sign in with a Private Integration token"
      onSubmit={(e) => {
        e.preventDefault();
        const m = !token.trim()
          ? 'Paste the Private Integration token.'
          : !locationId.trim()
            ? 'Enter the location ID of the sub-account.'
            : undefined;
        setMissing(m);
        if (!m) void save.run();
      }}
    >
      <p className="muted">
        In HighLevel, open the sub-account’s Settings → Private Integrations, create one with the contacts permissions,
        and copy its token. The location ID is in Settings → Business Profile.
      </p>
      <SecretField label="Private Integration token" value={token} onChange={setToken} />
      <TextField label="Location ID" value={locationId} onChange={setLocationId} autoComplete="off" />
      <SaveAndTest error={missing ?? save.error} busy={save.busy} />
    </form>
  );
}

export function GhlSignIn({
  info,
  onSaved,
  onWaiting,
}: {
  info: ConnectionInfo;
  onSaved: (i: ConnectionInfo) => void;
  onWaiting: (w: LoginWait | undefined) => void;
}) {
  const [how, setHow] = useState<'oauth' | 'token'>(info.method === 'private_token' ? 'token' : 'oauth');
  const name = useId();
  return (
    <div className="sign-in">
      <fieldset className="choice">
        <legend className="field-label">How GHL Bridge signs in to HighLevel</legend>
        <label className="choice-option">
          <input type="radio" name={name} checked={how === 'oauth'} onChange={() => setHow('oauth')} />
          <span>
            <strong>Sign in with HighLevel</strong>
            <span className="muted"> — recommended; uses your Marketplace app</span>
          </span>
        </label>
        <label className="choice-option">
          <input type="radio" name={name} checked={how === 'token'} onChange={() => setHow('token')} />
          <span>
            <strong>Private Integration token</strong>
            <span className="muted"> — one sub-account, no app needed</span>
          </span>
        </label>
      </fieldset>
      {how === 'oauth' ? (
        <OAuthForm info={info} onSaved={onSaved} onWaiting={onWaiting} />
      ) : (
        <TokenForm onSaved={onSaved} />
      )}
    </div>
  );
}
