/** `ghl-bridge locations [list|add|remove]`: the HighLevel locations of one profile (main/service/locations.ts). */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CommandSpec } from '../cli.js';
import { LocationError, ProfileLocations } from '../service/locations.js';
import { ProfileError } from '../store/profile.js';
import { print, printJson, profileDirOf } from './common.js';
import { openBrowser } from './login.js';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export const locations: CommandSpec = {
  summary: 'list, add or remove the HighLevel locations of this profile',
  usage:
    'ghl-bridge locations [list] [--json]\n' +
    '       ghl-bridge locations add --pit-file FILE --location LOCATION_ID   (a Private Integration token of that sub-account)\n' +
    '       ghl-bridge locations add --agency [--only ID,ID] [--app-id ID]     (the agency signs in once; every installed location)\n' +
    '       ghl-bridge locations remove <id|name> [--yes]                      (deletes that location’s data; asks first)',
  options: {
    json: { type: 'boolean' },
    'pit-file': { type: 'string' },
    yes: { type: 'boolean' },
    agency: { type: 'boolean' },
    only: { type: 'string' },
    'app-id': { type: 'string' },
  },
  async run({ values, positionals }) {
    const [action = 'list', ref] = positionals;
    const registry = new ProfileLocations(profileDirOf(values).dir);
    if (action === 'list') {
      const all = await registry.list();
      if (!all.length) throw new ProfileError(`There is no GHL Bridge profile in ${registry.rootDir}.`);
      if (values.json) printJson(all);
      else for (const l of all) print(`${l.id}  ${l.name}${l.primary ? '  (first location, the profile folder)' : ''}`);
      return 0;
    }
    if (action === 'add' && values.agency) {
      const r = await registry.addFromAgency({
        openBrowser: (url) => {
          print(`Sign the agency in to HighLevel in the browser (opening it now): ${url}`);
          openBrowser(url);
        },
        appId: typeof values['app-id'] === 'string' ? values['app-id'] : undefined,
        only:
          typeof values.only === 'string'
            ? values.only
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean)
            : undefined,
      });
      for (const l of r.added) print(`Added ${l.name} (${l.id}).`);
      for (const l of r.skipped) print(`Already in this profile: ${l.name} (${l.id}).`);
      for (const f of r.failed) print(`! Could not add ${f.id}: ${f.error}`);
      if (r.added.length)
        print('Sign each one in to its own AroFlo or Aimfox next: ghl-bridge login aroflo --location <id or name>.');
      return r.failed.length ? 1 : 0;
    }
    if (action === 'add') {
      const file = values['pit-file'];
      const locationId = values.location;
      if (typeof file !== 'string' || typeof locationId !== 'string')
        throw new LocationError(
          'Give the Private Integration token in a file and its location: ghl-bridge locations add --pit-file FILE --location LOCATION_ID (HighLevel → Settings → Business Profile shows the id).',
        );
      const token = readFileSync(file, 'utf8').trim();
      const l = await registry.addWithPrivateToken({ token, locationId });
      print(`Added ${l.name} (${l.id}).`);
      print(
        `Sign it in to its own AroFlo or Aimfox next: ghl-bridge login aroflo --location ${l.id} (or aimfox), then map it: ghl-bridge mappings --location ${l.id}.`,
      );
      return 0;
    }
    if (action === 'remove') {
      if (!ref) throw new LocationError('Name the location to remove: ghl-bridge locations remove <id|name>.');
      const { location } = registry.resolve(ref);
      const ok =
        !!values.yes ||
        (await confirm(
          `Remove ${location.name} (${location.id}) and delete its mappings, conflicts, history and sign-ins? [y/N]: `,
        ));
      if (!ok) {
        print(
          process.stdin.isTTY
            ? 'Nothing was removed.'
            : 'Nothing was removed: there is no terminal to confirm on — add --yes to remove it.',
        );
        return 1;
      }
      const gone = await registry.remove(location.id, true);
      print(`Removed ${gone.name} (${gone.id}) and its data.`);
      return 0;
    }
    throw new LocationError(`Unknown action "${action}": use list, add or remove.`);
  },
};
