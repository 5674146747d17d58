/**
 * The business's country and time zone for a run (main/sync/sides/README.md, "The business's country and time zone"):
 * the mapping first, else the HighLevel location (read once per run), else AU and the machine's zone when the token
 * may not read the location; any other failure of that read fails the run.
 */
import { describe, expect, it } from 'vitest';
import { defaultMapping } from '../../main/sync/engine/mapping.js';
import { ConnectorError } from '../../main/connectors/shared/errors.js';
import { LocationReads, RunEnv, runTransformEnv } from '../../main/sync/sides/env.js';
import { machineTimeZone } from '../../main/sync/fields/env.js';
import type { GhlCustomFieldDef, GhlList, GhlLocation } from '../../main/connectors/ghl/index.js';

/** A HighLevel location as GET /locations/{id} answers it, counting the calls. */
function location(answer: GhlLocation | Error) {
  const calls = { location: 0, customFields: 0 };
  const client = {
    async getLocation(): Promise<GhlLocation> {
      calls.location++;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async listCustomFields(): Promise<GhlList<GhlCustomFieldDef>> {
      calls.customFields++;
      return {
        items: [
          { id: 'cf1', name: 'ABN', fieldKey: 'contact.abn', dataType: 'TEXT', model: 'contact', picklistOptions: [] },
        ],
        rejected: [],
      };
    },
  };
  const warnings: string[] = [];
  return { reads: new LocationReads(client, { warn: (m) => warnings.push(m) }), calls, warnings };
}

const nz: GhlLocation = { id: 'loc', name: 'Harbour', country: 'NZ', timezone: 'Pacific/Auckland' };

describe('the run environment', () => {
  it("takes the location's country and zone, reading the location once for both pairs", async () => {
    const l = location(nz);
    const a = await runTransformEnv(defaultMapping('ghl-aroflo'), l.reads);
    const b = await runTransformEnv(defaultMapping('ghl-aimfox'), l.reads);
    expect([a.env.country, a.env.timeZone, a.source]).toEqual(['NZ', 'Pacific/Auckland', 'location']);
    expect(b.env.country).toBe('NZ');
    expect(l.calls.location).toBe(1);
    // No custom field is mapped by default: the list is not read.
    expect(l.calls.customFields).toBe(0);
  });

  it('the mapping wins and the location is then not read', async () => {
    const l = location(nz);
    const m = defaultMapping('ghl-aroflo');
    m.defaults = { phoneCountry: 'GB', timeZone: 'Europe/London' };
    const r = await runTransformEnv(m, l.reads);
    expect([r.env.country, r.env.timeZone, r.source]).toEqual(['GB', 'Europe/London', 'mapping']);
    expect(l.calls.location).toBe(0);
  });

  it('a token without locations.readonly falls back to AU and the machine zone, with a warning', async () => {
    const l = location(new ConnectorError({ system: 'ghl', kind: 'scope', message: 'not authorized for this scope' }));
    const r = await runTransformEnv(defaultMapping('ghl-aroflo'), l.reads);
    expect([r.env.country, r.env.timeZone, r.source]).toEqual(['AU', machineTimeZone(), 'fallback']);
    expect(l.warnings.join()).toMatch(/locations\.readonly/);
  });

  it('any other failure of the read fails (the run would otherwise read phones in a guessed country)', async () => {
    const l = location(new ConnectorError({ system: 'ghl', kind: 'network', message: 'offline' }));
    await expect(runTransformEnv(defaultMapping('ghl-aroflo'), l.reads)).rejects.toThrow(/offline/);
  });

  it('reads the custom field definitions when the mapping names a custom field', async () => {
    const l = location(nz);
    const m = defaultMapping('ghl-aroflo');
    m.entities[0]!.fields.push({
      key: 'abn',
      label: 'ABN',
      ghlField: 'custom:cf1',
      otherField: 'abn',
      direction: 'both',
      transform: 'none',
      conflictDefault: 'ask',
    });
    const env = new RunEnv(() => runTransformEnv(m, l.reads));
    expect(() => env.current).toThrow(/not read/);
    await env.ready();
    expect(env.current.customFields.map((f) => f.name)).toEqual(['ABN']);
  });
});
