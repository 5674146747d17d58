/**
 * `ghl-bridge mappings`: show the mappings, set their defaults, preview them, switch their sync on or off; and, with
 * `--pair`, one mapping as JSON in and out (`--json`, `--set FILE|-`) and the field catalogue (`--catalogue`). A mapping
 * set from JSON is checked against the live catalogue exactly as the window's Save is (main/service/handlers/mappings.ts):
 * a refusal names the field, exits 1 and saves nothing.
 */
import { readFileSync } from 'node:fs';
import type { CommandSpec } from '../cli.js';
import type { PairId, PairMapping } from '../../preload/contract.js';
import { openService, print, printJson } from './common.js';

const PAIRS: PairId[] = ['ghl-aroflo', 'ghl-aimfox'];
// phoneCountry / timeZone: the business's country and time zone for phones and dates (main/sync/fields/README.md);
// an empty value removes the setting, so the HighLevel location's applies again.
const DEFAULT_KEYS = [
  'arofloBusinessUnitId',
  'arofloTaskTypeId',
  'aimfoxCampaignId',
  'linkedinFieldId',
  'phoneCountry',
  'timeZone',
] as const;

function pairArg(v: string | undefined): PairId {
  if (!v || !PAIRS.includes(v as PairId)) throw new Error(`Name the pair: ${PAIRS.join(' or ')}.`);
  return v as PairId;
}

export const mappings: CommandSpec = {
  summary: 'show mappings, set their defaults, preview them and switch their sync on or off',
  usage:
    'ghl-bridge mappings list [--json] | options [--json] | set PAIR KEY=VALUE… | preview PAIR [--json] | enable PAIR | disable PAIR\n' +
    `       KEY is one of ${DEFAULT_KEYS.join(', ')} (phoneCountry=AU, timeZone=Australia/Sydney; empty = the location's), noteToTask (on|off), appointmentNotes (on|off)\n` +
    '       ghl-bridge mappings --pair PAIR --json           print the mapping as JSON\n' +
    '       ghl-bridge mappings --pair PAIR --set FILE|-     check a mapping (JSON, "-" = standard input) against the fields and save it\n' +
    '       ghl-bridge mappings --pair PAIR --catalogue      print the fields each side has and which pairs fit, as JSON',
  options: {
    json: { type: 'boolean' },
    pair: { type: 'string' },
    set: { type: 'string' },
    catalogue: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (values.pair !== undefined) return pairJson(values, positionals);
    const [action = 'list', pairText, ...rest] = positionals;
    const svc = await openService(values, {}, action === 'list' || action === 'options' ? 'read' : 'change');
    try {
      if (action === 'list') {
        const ms = await svc.api.getMappings();
        if (values.json) return (printJson(ms), 0);
        for (const m of ms) {
          print(
            `${m.pair} — ${m.label}: sync ${m.syncEnabled ? 'on' : 'off'}${m.previewedFingerprint === m.fingerprint ? '' : ' (needs a preview)'}`,
          );
          for (const e of m.entities)
            print(
              `  ${e.entity}: ${e.enabled ? 'on' : 'off'}, deletes: ${e.deletePolicy}; ${e.fields.map((f) => `${f.label} ${f.direction}`).join(', ')}`,
            );
          print(`  defaults: ${JSON.stringify(m.defaults)}`);
        }
        return 0;
      }
      if (action === 'options') {
        const o = await svc.api.getMappingOptions();
        // An empty list must mean "none exist", never "could not be read".
        if (svc.connections.optionFailures.length) {
          for (const f of svc.connections.optionFailures) process.stderr.write(`Error: ${f}\n`);
          return 1;
        }
        if (values.json) return (printJson(o), 0);
        for (const [k, list] of Object.entries(o))
          print(`${k}: ${list.map((x) => `${x.label} [${x.id}]`).join('; ') || '(none)'}`);
        return 0;
      }
      const pair = pairArg(pairText);
      if (action === 'set') {
        const m = structuredClone((await svc.api.getMappings()).find((x) => x.pair === pair)!);
        for (const kv of rest) {
          const eq = kv.indexOf('=');
          if (eq < 1) throw new Error(`Expected KEY=VALUE, got "${kv}"`);
          const key = kv.slice(0, eq);
          const value = kv.slice(eq + 1);
          if (key === 'noteToTask')
            m.noteToTask = {
              ...(m.noteToTask ?? { match: '', titleTemplate: 'Follow up: {{note}}', dueOffsetDays: 2 }),
              enabled: value === 'on',
            };
          else if (key === 'appointmentNotes') m.appointmentNotes = { enabled: value === 'on' };
          else if ((key === 'phoneCountry' || key === 'timeZone') && !value.trim()) delete m.defaults[key];
          else if ((DEFAULT_KEYS as readonly string[]).includes(key))
            (m.defaults as Record<string, string>)[key] =
              key === 'phoneCountry' ? value.trim().toUpperCase() : key === 'timeZone' ? value.trim() : value;
          else throw new Error(`Unknown key "${key}".`);
        }
        await svc.api.saveMapping({ mapping: m });
        print(`Saved ${pair}; preview it before the next sync.`);
        return 0;
      }
      if (action === 'preview') {
        const p = await svc.api.previewMapping({ pair });
        if (values.json) return (printJson(p), 0);
        print(
          `Preview of ${pair}: ${p.counts.create} to create, ${p.counts.update} to update, ${p.counts.delete} to delete, ${p.counts.conflict} conflicts, ${p.counts.duplicate} possible duplicates.`,
        );
        if (p.guard?.tripped) print(`! ${p.guard.reason}`);
        for (const i of p.items.slice(0, 50))
          print(
            `  ${i.action.padEnd(9)} ${i.target.padEnd(7)} ${i.entity.padEnd(8)} ${i.label}${i.reason ? ` — ${i.reason}` : ''}`,
          );
        if (p.items.length > 50) print(`  … and ${p.items.length - 50} more (--json for all)`);
        return 0;
      }
      if (action === 'enable' || action === 'disable') {
        await svc.api.setSyncEnabled({ pair, enabled: action === 'enable' });
        print(`Sync of ${pair} is ${action === 'enable' ? 'on' : 'off'}.`);
        return 0;
      }
      throw new Error(`Unknown action "${action}".`);
    } finally {
      await svc.close();
    }
  },
};

/** JSON a person edits in a text editor and reads: indented. */
const pretty = (v: unknown) => print(JSON.stringify(v, null, 2));

/** The JSON form: `--pair X` with `--json`, `--set FILE|-` or `--catalogue`. */
async function pairJson(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number> {
  const pair = pairArg(values.pair as string);
  if (positionals.length)
    throw new Error(`--pair takes no action ("${positionals[0]}"): use --json, --set FILE or --catalogue.`);
  const modes = [values.json === true, values.set !== undefined, values.catalogue === true].filter(Boolean).length;
  if (modes !== 1)
    throw new Error(
      'With --pair, choose one of --json (print the mapping), --set FILE (save one) or --catalogue (print the fields).',
    );
  let input: PairMapping | undefined;
  if (values.set !== undefined) {
    const file = values.set as string;
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    try {
      input = JSON.parse(text) as PairMapping;
    } catch (e) {
      throw new Error(`${file === '-' ? 'The standard input' : file} is not JSON: ${(e as Error).message}`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new Error('The mapping must be a JSON object, as --json prints it.');
    if (input.pair !== undefined && input.pair !== pair)
      throw new Error(`The file holds the mapping of ${String(input.pair)}, not ${pair}.`);
  }
  const svc = await openService(values, {}, input ? 'change' : 'read');
  try {
    if (values.catalogue) return (pretty(await svc.api.getFieldCatalogue({ pair })), 0);
    const current = (await svc.api.getMappings()).find((m) => m.pair === pair);
    if (!current) throw new Error(`There is no mapping for ${pair}.`);
    if (!input) return (pretty(current), 0);
    // What a person edits is the mapping's content; the bookkeeping (fingerprints, the sync switch) stays the app's.
    const saved = await svc.api.saveMapping({
      mapping: {
        ...input,
        pair,
        fingerprint: current.fingerprint,
        previewedFingerprint: current.previewedFingerprint,
        syncEnabled: current.syncEnabled,
      },
    });
    print(
      saved.fingerprint === current.fingerprint
        ? `Saved ${pair}: nothing changed.`
        : `Saved ${pair}; preview it (ghl-bridge mappings preview ${pair}) before the next sync${saved.syncEnabled ? ' runs it' : ''}.`,
    );
    return 0;
  } finally {
    await svc.close();
  }
}
