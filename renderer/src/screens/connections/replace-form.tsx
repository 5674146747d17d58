/**
 * "Replace token…": a new token or key for the same HighLevel location, AroFlo organisation or Aimfox workspace, tried
 * before it is kept; one for another account is refused and nothing changes. Links, conflicts and mappings are kept
 * (main/service/README.md, "Credential age").
 */
import { useState } from 'react';
import type { ConnectionInfo } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { FormError, SecretField } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { AROFLO_FIELDS, ArofloKeyFields } from './key-forms.js';

const EMPTY = { uEncoded: '', pEncoded: '', orgEncoded: '', secretKey: '' };

export function ReplaceForm({ info, onReplaced }: { info: ConnectionInfo; onReplaced: (i: ConnectionInfo) => void }) {
  const bridge = useBridge();
  const [secret, setSecret] = useState('');
  const [keys, setKeys] = useState(EMPTY);
  const [missing, setMissing] = useState<string>();
  const replace = useAction(async () => {
    const r = await bridge.replaceCredential(
      info.system === 'aroflo'
        ? { system: 'aroflo', aroflo: keys }
        : info.system === 'ghl'
          ? { system: 'ghl', token: secret }
          : { system: 'aimfox', apiKey: secret },
    );
    setSecret('');
    setKeys(EMPTY);
    onReplaced(r);
    return r;
  });
  const what =
    info.system === 'ghl' ? 'Private Integration token' : info.system === 'aroflo' ? 'AroFlo keys' : 'API key';
  const where =
    info.system === 'ghl'
      ? 'Make it in the same sub-account (HighLevel → Settings → Private Integrations).'
      : info.system === 'aroflo'
        ? 'Use the keys of the same organisation (Site Administration → Settings → General → AroFlo API).'
        : 'Use a key of the same workspace (Workspace Settings → Integrations).';
  return (
    <form
      className="form"
      noValidate
      aria-label={`Replace the ${info.label} ${what}`}
      onSubmit={(e) => {
        e.preventDefault();
        const empty =
          info.system === 'aroflo'
            ? AROFLO_FIELDS.find((f) => !keys[f.key].trim())?.label
            : !secret.trim()
              ? what
              : undefined;
        setMissing(empty ? `Enter the new ${empty.replace(/ \(.*\)$/, '')}.` : undefined);
        if (!empty) void replace.run();
      }}
    >
      <p className="muted">
        {where} It is checked before it is kept; everything already synced — links, conflicts, mappings — stays as it
        is.
      </p>
      {info.system === 'aroflo' ? (
        <ArofloKeyFields value={keys} onChange={setKeys} />
      ) : (
        <SecretField label={`New ${what}`} value={secret} onChange={setSecret} autoComplete="off" />
      )}
      <FormError message={missing ?? replace.error} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={replace.busy}>
          {replace.busy ? 'Checking…' : 'Check and replace'}
        </button>
      </div>
    </form>
  );
}
