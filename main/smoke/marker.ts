/**
 * The one marker every record `ghl-bridge smoke --write` creates carries (main/smoke/run.ts), and the test the sync
 * uses to leave such records alone (main/sync/engine/planner.ts): a smoke-test record is never copied to another system,
 * so the AroFlo test client (AroFlo cannot delete it) or a HighLevel test contact whose delete failed never reaches
 * the other side (README "Before you switch sync on for real").
 */

/** Every smoke-test record's name, title or note text starts with this. */
export const SMOKE_LABEL = 'GHL Bridge smoke test';
/** The tag / label name the smoke test attaches and removes again. */
export const SMOKE_TAG = 'ghl-bridge-smoke-test';
/** The smoke-test contact's email: `ghl-bridge-smoke-<time>@example.com`. */
export const SMOKE_EMAIL_PREFIX = 'ghl-bridge-smoke-';

/** Why the sync leaves a smoke-test record alone (shown in the preview and run as the skip reason). */
export const SMOKE_SKIP_REASON = `a "${SMOKE_LABEL}" record made by ghl-bridge smoke --write: never synced`;

/** Whether a record is one the smoke test made: by its name/title/note text, or by its email. */
export function isSmokeRecord(r: { label?: string | null; email?: string | null }): boolean {
  const label = (r.label ?? '').trim().toLowerCase();
  if (label.startsWith(SMOKE_LABEL.toLowerCase())) return true;
  const email = (r.email ?? '').trim().toLowerCase();
  return email.startsWith(SMOKE_EMAIL_PREFIX) && email.endsWith('@example.com');
}
