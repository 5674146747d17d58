/**
 * What crosses Electron IPC for one bridge call: the result or a people-facing error. Errors travel as data because
 * Electron rewrites thrown errors ("Error invoking remote method …") and drops their fields; the preload turns an
 * error envelope back into a thrown Error with `kind`. Imported by main/app and bundled into the preload.
 */
export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; error: { message: string; kind?: string } };

export function isIpcEnvelope(v: unknown): v is IpcEnvelope {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  const e = v as { ok: unknown; error?: { message?: unknown } };
  return e.ok === true || (e.ok === false && typeof e.error?.message === 'string');
}
