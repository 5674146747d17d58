/**
 * The defaults of the settings a profile may leave unset (saved before they existed), declared once for main and the
 * window: the daily budget's shares and re-read window (main/sync/README.md, "Daily budget and the rolling re-read"),
 * the check after a run, and the key age reminder (main/service/README.md, "Credential age").
 */

export interface BudgetDefaults {
  /** Percent of HighLevel's daily requests the bridge may use. */
  ghlSharePercent: number;
  /** Percent of AroFlo's daily requests the bridge may use. */
  arofloSharePercent: number;
  /** Every record is re-checked within this many hours. */
  rereadWindowHours: number;
}

export const BUDGET_DEFAULTS: Readonly<BudgetDefaults> = {
  ghlSharePercent: 25,
  arofloSharePercent: 50,
  rereadWindowHours: 24,
};

/** The budget as saved, each missing part its default. */
export const budgetOf = (s: { budget?: Partial<BudgetDefaults> }): BudgetDefaults => ({
  ghlSharePercent: s.budget?.ghlSharePercent ?? BUDGET_DEFAULTS.ghlSharePercent,
  arofloSharePercent: s.budget?.arofloSharePercent ?? BUDGET_DEFAULTS.arofloSharePercent,
  rereadWindowHours: s.budget?.rereadWindowHours ?? BUDGET_DEFAULTS.rereadWindowHours,
});

export interface CheckAfterRun {
  enabled: boolean;
  /** Linked records re-read per pair at each check. */
  sample: number;
  /**
   * At most one check this many minutes (after the first sync that ends at least this long after the last check);
   * 0: after every sync. Missing (saved before it existed): the default.
   */
  everyMinutes?: number;
}

/**
 * After a sync, re-read some linked records per pair and compare them with what was last synced — once an hour, 60
 * records per pair: as many records a day as 5 after every 5-minute sync, for 24 AroFlo requests a day instead of 288
 * (AroFlo reads 100 records a request; main/sync/README.md, "The check after a run").
 */
export const CHECK_AFTER_RUN_DEFAULT: Readonly<Required<CheckAfterRun>> = {
  enabled: true,
  sample: 60,
  everyMinutes: 60,
};

/** The check after a run as saved, or its default (a copy); a setting saved before `everyMinutes` existed gets its default. */
export const checkAfterRunOf = (s: { checkAfterRun?: CheckAfterRun }): Required<CheckAfterRun> => ({
  ...CHECK_AFTER_RUN_DEFAULT,
  ...(s.checkAfterRun ?? {}),
});

/** Remind to replace AroFlo and Aimfox keys after this many days, unless the settings say otherwise. */
export const KEY_ROTATION_DAYS_DEFAULT = 180;
