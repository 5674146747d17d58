/**
 * The business's country (phone numbers are read as numbers of this country) and time zone (dates), as the catalogue
 * reports them with where they came from; a person can set either here, or go back to the HighLevel location's.
 */
import type { CatalogueView, PairMapping } from '../../../../preload/contract.js';
import { TextField } from '../../components/form.js';
import { ENV_SOURCE } from '../../labels.js';

const zones = (): string[] => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
};

export function LocationSection({
  m,
  env,
  onChange,
}: {
  m: PairMapping;
  env: CatalogueView['env'] | undefined;
  onChange: (d: PairMapping['defaults']) => void;
}) {
  const d = m.defaults;
  const set = (k: 'phoneCountry' | 'timeZone', v: string) =>
    onChange({ ...d, [k]: v.trim() ? (k === 'phoneCountry' ? v.trim().toUpperCase() : v.trim()) : undefined });
  // Where a value not set here came from: the location, or the fallback ('mapping' = the other one is set here).
  const from = env && env.source !== 'mapping' ? ENV_SOURCE[env.source] : undefined;
  const ownCountry = d.phoneCountry !== undefined;
  const ownZone = d.timeZone !== undefined;
  return (
    <div className="stack-tight">
      <div className="form-grid">
        <TextField
          label="Country"
          value={d.phoneCountry ?? ''}
          placeholder={env?.country ?? 'AU'}
          maxLength={2}
          onChange={(v) => set('phoneCountry', v)}
          hint={
            ownCountry
              ? 'Set here. Clear it to use your HighLevel location’s country.'
              : `Now ${env?.country ?? '…'}${from ? `, ${from}` : ''}. Phone numbers without a country code are read as numbers of this country. Two letters, e.g. AU, NZ, GB, US.`
          }
        />
        <TextField
          label="Time zone"
          value={d.timeZone ?? ''}
          placeholder={env?.timeZone ?? ''}
          list="mapping-time-zones"
          onChange={(v) => set('timeZone', v)}
          hint={
            ownZone
              ? 'Set here. Clear it to use your HighLevel location’s time zone.'
              : `Now ${env?.timeZone ?? '…'}${from ? `, ${from}` : ''}. Due dates and times are read in this zone, e.g. Australia/Sydney.`
          }
        />
      </div>
      <datalist id="mapping-time-zones">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  );
}
