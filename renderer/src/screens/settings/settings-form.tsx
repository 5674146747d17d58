/** The editable settings: checked here as they are typed, and again by the app when saved (its message is shown). */
import { useState } from 'react';
import { budgetOf, checkAfterRunOf, KEY_ROTATION_DAYS_DEFAULT, type Settings } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { Card } from '../../components/page.js';
import { CheckboxField, FormError, FormSuccess, NumberField } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';

type NumKey =
  | 'syncIntervalMinutes'
  | 'rereadWindowHours'
  | 'ghlSharePercent'
  | 'arofloSharePercent'
  | 'maxDeletes'
  | 'maxDeletePercent'
  | 'maxChanges'
  | 'maxChangePercent'
  | 'keyRotationDays'
  | 'checkSample'
  | 'checkEvery';

const LIMITS: Record<NumKey, { min: number; max: number; what: string }> = {
  syncIntervalMinutes: { min: 1, max: 1440, what: 'The sync interval' },
  rereadWindowHours: { min: 1, max: 168, what: 'The re-check window' },
  ghlSharePercent: { min: 1, max: 100, what: "The share of HighLevel's budget" },
  arofloSharePercent: { min: 1, max: 100, what: "The share of AroFlo's budget" },
  maxDeletes: { min: 0, max: 1_000_000, what: 'The deletion limit' },
  maxDeletePercent: { min: 0, max: 100, what: 'The deletion percentage' },
  maxChanges: { min: 0, max: 10_000_000, what: 'The change limit' },
  maxChangePercent: { min: 0, max: 100, what: 'The change percentage' },
  keyRotationDays: { min: 7, max: 3650, what: 'The key age reminder' },
  checkSample: { min: 0, max: 100, what: 'The number of records checked' },
  checkEvery: { min: 0, max: 1440, what: 'The time between checks' },
};

function numbersOf(s: Settings): Record<NumKey, string> {
  const budget = budgetOf(s);
  return {
    syncIntervalMinutes: String(s.syncIntervalMinutes),
    rereadWindowHours: String(budget.rereadWindowHours),
    ghlSharePercent: String(budget.ghlSharePercent),
    arofloSharePercent: String(budget.arofloSharePercent),
    maxDeletes: String(s.guard.maxDeletes),
    maxDeletePercent: String(s.guard.maxDeletePercent),
    maxChanges: String(s.guard.maxChanges),
    maxChangePercent: String(s.guard.maxChangePercent),
    keyRotationDays: String(s.keyRotationDays ?? KEY_ROTATION_DAYS_DEFAULT),
    checkSample: String(checkAfterRunOf(s).sample),
    checkEvery: String(checkAfterRunOf(s).everyMinutes),
  };
}

export function checkNumber(k: NumKey, raw: string): string | undefined {
  const { min, max, what } = LIMITS[k];
  if (raw.trim() === '') return `${what} is required.`;
  const n = Number(raw);
  if (!Number.isInteger(n)) return `${what} must be a whole number.`;
  if (n < min || n > max) return `${what} must be between ${min.toLocaleString()} and ${max.toLocaleString()}.`;
  return undefined;
}

export function SettingsForm({ initial, onSaved }: { initial: Settings; onSaved: (s: Settings) => void }) {
  const bridge = useBridge();
  const [nums, setNums] = useState(() => numbersOf(initial));
  const [flags, setFlags] = useState({
    startAtLogin: initial.startAtLogin,
    ...initial.notifications,
    checkAfterRun: checkAfterRunOf(initial).enabled,
  });
  const [touched, setTouched] = useState(false);
  const [savedNote, setSavedNote] = useState<string>();
  const errors = Object.fromEntries(
    (Object.keys(LIMITS) as NumKey[]).map((k) => [k, checkNumber(k, nums[k])]),
  ) as Record<NumKey, string | undefined>;
  const invalid = Object.values(errors).some(Boolean);

  const save = useAction(async () => {
    const n = (k: NumKey) => Number(nums[k]);
    const next = await bridge.saveSettings({
      settings: {
        syncIntervalMinutes: n('syncIntervalMinutes'),
        keyRotationDays: n('keyRotationDays'),
        budget: {
          rereadWindowHours: n('rereadWindowHours'),
          ghlSharePercent: n('ghlSharePercent'),
          arofloSharePercent: n('arofloSharePercent'),
        },
        startAtLogin: flags.startAtLogin,
        notifications: { conflicts: flags.conflicts, signIn: flags.signIn, failures: flags.failures },
        guard: {
          maxDeletes: n('maxDeletes'),
          maxDeletePercent: n('maxDeletePercent'),
          maxChanges: n('maxChanges'),
          maxChangePercent: n('maxChangePercent'),
        },
        checkAfterRun: { enabled: flags.checkAfterRun, sample: n('checkSample'), everyMinutes: n('checkEvery') },
      },
    });
    setNums(numbersOf(next));
    setSavedNote('Settings saved.');
    onSaved(next);
    return next;
  });

  const num = (k: NumKey, label: string, suffix: string, hint?: string) => (
    <NumberField
      label={label}
      suffix={suffix}
      hint={hint}
      min={LIMITS[k].min}
      max={LIMITS[k].max}
      value={nums[k]}
      error={touched ? errors[k] : undefined}
      onChange={(v) => {
        setSavedNote(undefined);
        setNums((x) => ({ ...x, [k]: v }));
      }}
    />
  );
  const flag = (k: keyof typeof flags, label: string, hint?: string) => (
    <CheckboxField
      label={label}
      hint={hint}
      checked={flags[k]}
      onChange={(v) => {
        setSavedNote(undefined);
        setFlags((f) => ({ ...f, [k]: v }));
      }}
    />
  );

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!invalid) void save.run();
      }}
    >
      <div className="grid">
        <Card title="Sync">
          <div className="stack-tight">
            {num('syncIntervalMinutes', 'Sync every', 'minutes')}
            {num(
              'rereadWindowHours',
              'Re-check every record within',
              'hours',
              'Each sync re-checks a part of the records, to notice edits no change feed reports and deletions.',
            )}
            {flag('startAtLogin', 'Start GHL Bridge when I sign in to this computer')}
            {flag(
              'checkAfterRun',
              'Check some records after a sync',
              'Re-reads some linked records in both systems and tells you on Status if one no longer holds what was last synced.',
            )}
            {num('checkSample', 'Records checked each time', 'per pair')}
            {num(
              'checkEvery',
              'Check at most every',
              'minutes',
              '0 means after every sync. Each check costs AroFlo one of its 2,000 daily requests (up to 100 records).',
            )}
          </div>
        </Card>
        <Card title="Notifications">
          <div className="stack-tight">
            {flag('conflicts', 'New conflicts and possible duplicates')}
            {flag('signIn', 'A sign-in or an account needs you (e.g. a LinkedIn account logged out in Aimfox)')}
            {flag('failures', 'Syncs keep failing')}
            {num(
              'keyRotationDays',
              'Remind me to replace AroFlo and Aimfox keys after',
              'days',
              'HighLevel Private Integration tokens: after 90 days, as HighLevel advises.',
            )}
          </div>
        </Card>
        <Card title="Daily budget" className="card-wide">
          <p className="muted card-lead">
            The part of each system's daily requests GHL Bridge may use (HighLevel allows 200,000 a day, AroFlo 2,000).
            When it runs low, GHL Bridge re-checks less and still syncs changes; the Status screen says so.
          </p>
          <div className="form-grid form-grid-4">
            {num('ghlSharePercent', 'Share of HighLevel’s daily requests', '%')}
            {num('arofloSharePercent', 'Share of AroFlo’s daily requests', '%')}
          </div>
        </Card>
        <Card title="Safety limits" className="card-wide">
          <p className="muted card-lead">
            A sync that would go past one of these stops before changing anything and asks you first, on the Status
            screen.
          </p>
          <div className="form-grid form-grid-4">
            {num('maxDeletes', 'Most deletions per sync', 'records')}
            {num('maxDeletePercent', 'Most deletions, share of linked records', '%')}
            {num('maxChanges', 'Most changes per sync', 'records')}
            {num('maxChangePercent', 'Most changes, share of linked records', '%')}
          </div>
        </Card>
      </div>
      <div className="action-bar">
        <span className="action-bar-state">Changes take effect from the next sync.</span>
        <FormError
          message={save.error ?? (touched && invalid ? 'Some values need fixing — see the messages above.' : undefined)}
        />
        <FormSuccess message={savedNote} />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </div>
    </form>
  );
}
