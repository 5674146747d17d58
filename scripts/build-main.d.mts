/** Types for scripts/build-main.mjs (imported by tests). */
export function buildPreload(opts?: { outfile?: string; quiet?: boolean }): Promise<void>;
export function buildMain(opts?: { outDir?: string; quiet?: boolean }): Promise<void>;
