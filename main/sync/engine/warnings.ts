/**
 * Values a field's transform could not handle and that a plan carries to the other system (main/sync/README.md,
 * "Values kept as typed"): named on the preview's item and in the run's log.
 */
import { SYSTEM_LABEL, type EntityKind, type SystemId } from '../../domain/index.js';
import type { SideRecord } from './types.js';

/** The words a plan item or a log line gives a carried value that its transform could not handle (kept as typed). */
export function carriedWarnings(source: SideRecord, keys: string[], label: (f: string) => string): string | undefined {
  const w = keys.filter((k) => source.warnings?.[k]).map((k) => `${label(k)}: ${source.warnings![k]} — kept as typed`);
  return w.length ? w.join('; ') : undefined;
}

export function warnCarried(
  logger: { warn(m: string, c?: Record<string, unknown>): void },
  entity: EntityKind,
  label: string,
  target: SystemId,
  source: SideRecord,
  keys: string[],
  fieldLabel: (f: string) => string,
): void {
  const w = carriedWarnings(source, keys, fieldLabel);
  if (w)
    logger.warn(
      `${entity} "${label}" was written to ${SYSTEM_LABEL[target]} with a value it could not convert (${w}).`,
      { entity, target },
    );
}
