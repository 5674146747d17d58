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
  /** Linked records re-read per pair. */
  sample: number;
}

/** After each sync, re-read a few linked records per pair and compare them with what was last synced. */
export const CHECK_AFTER_RUN_DEFAULT: Readonly<CheckAfterRun> = { enabled: true, sample: 5 };

/** The check after a run as saved, or its default (a copy). */
export const checkAfterRunOf = (s: { checkAfterRun?: CheckAfterRun }): CheckAfterRun =>
  s.checkAfterRun ?? { ...CHECK_AFTER_RUN_DEFAULT };

/** Remind to replace AroFlo and Aimfox keys after this many days, unless the settings say otherwise. */
export const KEY_ROTATION_DAYS_DEFAULT = 180;
