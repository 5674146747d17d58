/** The parts of a mapping beside its fields: which records, defaults for records it creates, and notes → tasks. */
import type { NoteToTaskRule, PairMapping } from '../../../../preload/contract.js';
import { CheckboxField, NumberField, SelectField, TextField } from '../../components/form.js';
import { MultiPick } from '../../components/multi-pick.js';
import type { PickOption } from '../../components/multi-pick.js';

export type MappingOptions = Record<string, PickOption[]>;

const opts = (o: PickOption[] | undefined) => (o ?? []).map((x) => ({ value: x.id, label: x.label }));

export function FiltersSection({
  m,
  options,
  onChange,
}: {
  m: PairMapping;
  options: MappingOptions;
  onChange: (f: PairMapping['filters']) => void;
}) {
  const f = m.filters;
  const businesses = options.ghlBusinesses ?? [];
  return (
    <div className="section-grid">
      <MultiPick
        legend="Only contacts of these HighLevel businesses"
        hint="None chosen: contacts of every business, and people with no business."
        options={businesses}
        value={f.ghlBusinessIds}
        onChange={(ghlBusinessIds) => onChange({ ...f, ghlBusinessIds })}
        allowTyping={businesses.length === 0}
        typeLabel="Business ID"
        emptyOptions="Your HighLevel businesses are listed here after the first preview."
      />
      <MultiPick
        legend="Only contacts with one of these HighLevel tags"
        hint="None chosen: every contact, whatever its tags."
        options={options.ghlTags ?? []}
        value={f.ghlTags}
        onChange={(ghlTags) => onChange({ ...f, ghlTags })}
        allowTyping
        typeLabel="Type a tag, then Add"
      />
      {m.pair === 'ghl-aroflo' ? (
        <MultiPick
          legend="Only these AroFlo business units"
          hint="None chosen: clients of every business unit."
          options={options.arofloBusinessUnits ?? []}
          value={f.arofloBusinessUnits}
          onChange={(arofloBusinessUnits) => onChange({ ...f, arofloBusinessUnits })}
          emptyOptions="Connect AroFlo to list its business units."
        />
      ) : null}
    </div>
  );
}

export function DefaultsSection({
  m,
  options,
  onChange,
}: {
  m: PairMapping;
  options: MappingOptions;
  onChange: (d: PairMapping['defaults']) => void;
}) {
  const d = m.defaults;
  const set = (k: keyof PairMapping['defaults'], v: string) => onChange({ ...d, [k]: v || undefined });
  if (m.pair === 'ghl-aroflo') {
    return (
      <div className="form-grid">
        <SelectField
          label="AroFlo business unit"
          hint="Where new AroFlo tasks and clients are created."
          value={d.arofloBusinessUnitId ?? ''}
          onChange={(v) => set('arofloBusinessUnitId', v)}
          options={opts(options.arofloBusinessUnits)}
          placeholder="Choose a business unit…"
        />
        <SelectField
          label="AroFlo task type"
          hint="The type given to tasks created from HighLevel."
          value={d.arofloTaskTypeId ?? ''}
          onChange={(v) => set('arofloTaskTypeId', v)}
          options={opts(options.arofloTaskTypes)}
          placeholder="Choose a task type…"
        />
      </div>
    );
  }
  return (
    <div className="form-grid">
      <SelectField
        label="Aimfox campaign"
        hint="New leads from HighLevel are added to this campaign."
        value={d.aimfoxCampaignId ?? ''}
        onChange={(v) => set('aimfoxCampaignId', v)}
        options={opts(options.aimfoxCampaigns)}
        placeholder="Choose a campaign…"
      />
      <SelectField
        label="HighLevel field with the LinkedIn profile"
        hint="The custom field holding each contact’s LinkedIn address; leads are matched by it, else by email."
        value={d.linkedinFieldId ?? ''}
        onChange={(v) => set('linkedinFieldId', v)}
        options={opts(options.ghlCustomFields)}
        placeholder="Choose a custom field…"
      />
    </div>
  );
}

export function NoteRuleSection({ rule, onChange }: { rule: NoteToTaskRule; onChange: (r: NoteToTaskRule) => void }) {
  const days = String(rule.dueOffsetDays);
  return (
    <div className="stack-tight">
      <CheckboxField
        label="Create a HighLevel task from new AroFlo notes"
        hint="So a note a technician leaves on a job becomes a follow-up in HighLevel."
        checked={rule.enabled}
        onChange={(enabled) => onChange({ ...rule, enabled })}
      />
      <div className="form-grid form-grid-3">
        <TextField
          label="Only notes containing"
          value={rule.match}
          onChange={(match) => onChange({ ...rule, match })}
          disabled={!rule.enabled}
          hint="Leave empty for every new note."
        />
        <TextField
          label="Task title"
          value={rule.titleTemplate}
          onChange={(titleTemplate) => onChange({ ...rule, titleTemplate })}
          disabled={!rule.enabled}
          hint="{{note}}, {{contact}} and {{task}} are filled in."
        />
        <NumberField
          label="Due"
          suffix="days after the note"
          min={0}
          max={365}
          value={days}
          onChange={(v) => onChange({ ...rule, dueOffsetDays: v === '' ? 0 : Math.trunc(Number(v)) })}
          disabled={!rule.enabled}
        />
      </div>
    </div>
  );
}

/** HighLevel appointments as notes in the other system (main/sync/README.md, "Appointments to notes"). */
export function AppointmentNotesSection({
  pair,
  enabled,
  onChange,
}: {
  pair: PairMapping['pair'];
  enabled: boolean;
  onChange: (enabled: boolean) => void;
}) {
  const where = pair === 'ghl-aroflo' ? 'the linked AroFlo client' : 'the linked Aimfox lead';
  return (
    <CheckboxField
      label={`Write HighLevel appointments as notes on ${where}`}
      hint="Title, time in the business's time zone and status; a reschedule or cancel edits the same note. One way: edits to the note are not copied back to HighLevel. A new appointment on a contact that did not otherwise change is written at the next full re-read (Settings: full re-read every N runs)."
      checked={enabled}
      onChange={onChange}
    />
  );
}
