import type { CommandSpec } from '../cli.js';
import type { FieldChoice } from '../../preload/contract.js';
import { openService, print, printJson } from './common.js';

export const conflicts: CommandSpec = {
  summary: 'list, show and resolve conflicts and possible duplicates',
  usage:
    'ghl-bridge conflicts list [--json] | show ID [--json] | resolve ID (--take ghl|other | --field NAME=ghl|other|value:TEXT ...) | link ID [--candidate ID] | keep-apart ID',
  options: {
    json: { type: 'boolean' },
    take: { type: 'string' },
    field: { type: 'string', multiple: true },
    candidate: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [action = 'list', id] = positionals;
    const svc = await openService(values, {}, action === 'list' || action === 'show' ? 'read' : 'change');
    try {
      if (action === 'list') {
        const r = await svc.api.listConflicts({ limit: 10_000 });
        if (values.json) return (printJson(r), 0);
        if (!r.total) return (print('No open conflicts — all caught up.'), 0);
        for (const c of r.items)
          print(`${c.id}  ${c.kind.padEnd(9)} ${c.entity.padEnd(7)} ${c.label}  [${c.fields.join(', ')}]`);
        print(`${r.total} open`);
        return 0;
      }
      if (!id) throw new Error(`"conflicts ${action}" needs the conflict id (see "ghl-bridge conflicts list").`);
      if (action === 'show') {
        const c = await svc.api.getConflict({ id });
        if (values.json) return (printJson(c), 0);
        print(`${c.label} (${c.kind}, ${c.entity}, HighLevel ⇄ ${c.system})`);
        for (const d of c.diffs)
          print(`  ${d.label}: base "${d.base ?? ''}" | HighLevel "${d.ghl ?? ''}" | ${c.system} "${d.other ?? ''}"`);
        for (const cand of c.candidates ?? [])
          print(
            `  candidate ${cand.system} ${cand.id}: ${cand.label} ${cand.details.email ?? ''} ${cand.details.phone ?? ''}`,
          );
        return 0;
      }
      if (action === 'resolve') {
        const c = await svc.api.getConflict({ id });
        const choices: Record<string, FieldChoice> = {};
        const parse = (v: string): FieldChoice =>
          v === 'ghl'
            ? { take: 'ghl' }
            : v === 'other'
              ? { take: 'other' }
              : v.startsWith('value:')
                ? { take: 'value', value: v.slice(6) }
                : (() => {
                    throw new Error(`A choice must be ghl, other or value:TEXT, got "${v}"`);
                  })();
        if (values.take) for (const d of c.diffs) choices[d.field] = parse(values.take as string);
        for (const spec of (values.field as unknown as string[] | undefined) ?? []) {
          const eq = spec.indexOf('=');
          if (eq < 1) throw new Error(`--field takes NAME=CHOICE, got "${spec}"`);
          choices[spec.slice(0, eq)] = parse(spec.slice(eq + 1));
        }
        await svc.api.resolveConflict({ id, choices });
        print(`Resolved ${c.label}.`);
        return 0;
      }
      if (action === 'link' || action === 'keep-apart') {
        await svc.api.resolveDuplicate({
          id,
          action: action === 'link' ? 'link' : 'keep_apart',
          candidateId: values.candidate as string | undefined,
        });
        print(action === 'link' ? 'Linked.' : 'Kept apart.');
        return 0;
      }
      throw new Error(`Unknown action "${action}".`);
    } finally {
      await svc.close();
    }
  },
};
