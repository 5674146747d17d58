/**
 * What transforms need to know of the business, once per run (README.md in this folder, "The business's country and
 * time zone"): the country national phone numbers are read in and the time zone dates are meant in — from the
 * mapping's defaults, else the HighLevel location (GET /locations/{locationId}, main/connectors/ghl/README.md "The
 * location"), else AU and this machine's zone — and the location's custom field definitions.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { PairMapping } from '../../../preload/contract.js';
import type { GhlClient, GhlLocation } from '../../connectors/ghl/index.js';
import { ConnectorError } from '../../connectors/shared/errors.js';
import { isCustomRef } from '../fields/catalogue.js';
import { transformEnv, type EnvSource } from '../fields/env.js';
import { customFieldDefs } from '../fields/ghl.js';
import type { CustomFieldDef, TransformEnv } from '../fields/types.js';

export const FALLBACK_COUNTRY: CountryCode = 'AU';

/** The run's reads of the HighLevel location, shared by both pairs (each is made at most once, when first needed). */
export class LocationReads {
  private location?: Promise<GhlLocation | undefined>;
  private fields?: Promise<CustomFieldDef[]>;
  constructor(
    private readonly client: Pick<GhlClient, 'getLocation' | 'listCustomFields'>,
    private readonly logger: { warn(m: string): void },
  ) {}

  /** The location, or undefined when the token may not read it (the optional scope `locations.readonly`). */
  read(): Promise<GhlLocation | undefined> {
    this.location ??= this.client.getLocation().catch((e: unknown) => {
      if (e instanceof ConnectorError && e.kind === 'scope') {
        this.logger.warn(
          "HighLevel did not let GHL Bridge read the location (scope locations.readonly): phones are read as Australian numbers and dates in this computer's time zone unless the mapping sets a country and time zone.",
        );
        return undefined;
      }
      // Anything else fails the run like any other HighLevel read: a run that guessed the country instead would
      // read every national phone number differently.
      throw e;
    });
    return this.location;
  }

  customFields(): Promise<CustomFieldDef[]> {
    this.fields ??= this.client.listCustomFields().then((l) => customFieldDefs(l.items));
    return this.fields;
  }
}

/** Whether the pair's mapping names a HighLevel custom field: only then is the list read (one call less per run). */
export function namesCustomField(m: PairMapping): boolean {
  return m.entities.some((e) => e.fields.some((f) => isCustomRef(f.ghlField)));
}

/** The TransformEnv of one pair for this run (the precedence is fields/env.ts's). */
export async function runTransformEnv(
  m: PairMapping,
  reads: LocationReads,
): Promise<{ env: TransformEnv; source: EnvSource }> {
  const fromMapping = transformEnv(m.defaults, undefined);
  const needLocation = !m.defaults.phoneCountry || !m.defaults.timeZone || fromMapping.source !== 'mapping';
  const location = needLocation ? await reads.read() : undefined;
  const customFields = namesCustomField(m) ? await reads.customFields() : [];
  const { source, ...env } = transformEnv(m.defaults, location, customFields);
  return { env, source };
}

/**
 * One pair's TransformEnv for one run, read when a side first needs it (inside the run, so a HighLevel that does not
 * answer fails the run like any other read). Record builders use `current` once a fetch or read awaited `ready()`.
 */
export class RunEnv {
  private value?: TransformEnv;
  private loading?: Promise<TransformEnv>;
  source: EnvSource = 'fallback';
  constructor(private readonly load: () => Promise<{ env: TransformEnv; source: EnvSource }>) {}

  static fixed(env: TransformEnv): RunEnv {
    const r = new RunEnv(async () => ({ env, source: 'mapping' }));
    r.value = env;
    return r;
  }

  ready(): Promise<TransformEnv> {
    this.loading ??= this.load().then(({ env, source }) => {
      this.source = source;
      return (this.value = env);
    });
    return this.loading;
  }

  get current(): TransformEnv {
    if (!this.value) throw new Error("the run has not read the business's country and time zone yet (RunEnv.ready)");
    return this.value;
  }
}

/**
 * Whether a pair's records depend on the business's country or time zone: HighLevel ⇄ AroFlo always (phones); a pair
 * only when a field pair uses a phone or date transform. Only these pairs read the location before a run to check
 * the preview still covers it (main/service/sync.ts).
 */
export function pairUsesEnv(m: PairMapping): boolean {
  return (
    m.pair === 'ghl-aroflo' ||
    m.entities.some((e) => e.fields.some((f) => ['phone_e164', 'date', 'datetime'].includes(f.transform)))
  );
}
