/** The AroFlo and Aimfox credential forms: saved, then tested at once; secrets are masked with Show/Hide. */
import { useState } from 'react';
import type { Dispatch, SetStateAction } from 'react';
import type { ConnectionInfo } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { SaveAndTest, SecretField, TextField } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';

export type ArofloKeys = { uEncoded: string; pEncoded: string; orgEncoded: string; secretKey: string };

export const AROFLO_FIELDS: Array<{ key: keyof ArofloKeys; label: string; secret: boolean }> = [
  { key: 'uEncoded', label: 'uEncoded (API user)', secret: false },
  { key: 'pEncoded', label: 'pEncoded (API password)', secret: true },
  { key: 'orgEncoded', label: 'orgEncoded (organisation)', secret: false },
  { key: 'secretKey', label: 'Secret key', secret: true },
];

/** The four AroFlo values, as typed into the first sign-in and into a replacement. */
export function ArofloKeyFields({
  value,
  onChange,
}: {
  value: ArofloKeys;
  onChange: Dispatch<SetStateAction<ArofloKeys>>;
}) {
  return (
    <div className="form-grid">
      {AROFLO_FIELDS.map((f) => {
        const Field = f.secret ? SecretField : TextField;
        return (
          <Field
            key={f.key}
            label={f.label}
            value={value[f.key]}
            onChange={(x) => onChange((p) => ({ ...p, [f.key]: x }))}
            autoComplete="off"
          />
        );
      })}
    </div>
  );
}

export function ArofloForm({ onSaved }: { onSaved: (i: ConnectionInfo) => void }) {
  const bridge = useBridge();
  const [v, setV] = useState<ArofloKeys>({ uEncoded: '', pEncoded: '', orgEncoded: '', secretKey: '' });
  const [missing, setMissing] = useState<string>();
  const save = useAction(async () => {
    const r = await bridge.saveArofloCredentials(v);
    onSaved(r);
    setV({ uEncoded: '', pEncoded: '', orgEncoded: '', secretKey: '' });
    return r;
  });
  return (
    <form
      className="form"
      noValidate
      aria-label="AroFlo API keys"
      onSubmit={(e) => {
        e.preventDefault();
        const empty = AROFLO_FIELDS.find((f) => !v[f.key].trim());
        setMissing(empty ? `Enter ${empty.label.replace(/ \(.*\)$/, '')}: all four values are needed.` : undefined);
        if (!empty) void save.run();
      }}
    >
      <p className="muted">
        In AroFlo, go to Site Administration → Settings → General → AroFlo API. Copy the four values shown there; the
        secret key is shown only once, when it is generated.
      </p>
      <ArofloKeyFields value={v} onChange={setV} />
      <SaveAndTest error={missing ?? save.error} busy={save.busy} />
    </form>
  );
}

export function AimfoxForm({ onSaved }: { onSaved: (i: ConnectionInfo) => void }) {
  const bridge = useBridge();
  const [key, setKey] = useState('');
  const [missing, setMissing] = useState<string>();
  const save = useAction(async () => {
    const r = await bridge.saveAimfoxKey({ apiKey: key });
    onSaved(r);
    setKey('');
    return r;
  });
  return (
    <form
      className="form"
      noValidate
      aria-label="Aimfox API key"
      onSubmit={(e) => {
        e.preventDefault();
        setMissing(key.trim() ? undefined : 'Paste the Aimfox API key.');
        if (key.trim()) void save.run();
      }}
    >
      <p className="muted">In Aimfox, open Workspace Settings → Integrations and copy the workspace’s API key.</p>
      <SecretField label="API key" value={key} onChange={setKey} />
      <SaveAndTest error={missing ?? save.error} busy={save.busy} />
    </form>
  );
}
