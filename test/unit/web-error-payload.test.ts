import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SqlError } from '../../main/store/sql.js';
import { scrubMessage, toTransportError } from '../../main/web/error-payload.js';

const kinded = (message: string, kind: string) => Object.assign(new Error(message), { kind });

describe('what a failed bridge call sends back', () => {
  it("passes a handler's own message and kind, with a fitting status", () => {
    expect(toTransportError(kinded('That conflict no longer exists.', 'not_found'), 'getConflict')).toEqual({
      status: 404,
      internal: false,
      payload: { error: { kind: 'not_found', message: 'That conflict no longer exists.' } },
    });
    expect(toTransportError(kinded('Name is required.', 'invalid'), 'saveMapping').status).toBe(400);
    expect(toTransportError(kinded('Preview first.', 'needs_preview'), 'setSyncEnabled').status).toBe(409);
    expect(
      toTransportError(kinded('AroFlo sign-in expired — sign in again.', 'signed_out'), 'testConnection').status,
    ).toBe(409);
    expect(toTransportError(kinded('HighLevel had a server problem.', 'server'), 'syncNow').status).toBe(502);
    expect(toTransportError(kinded('Something new.', 'brand_new_kind'), 'x').status).toBe(400);
  });

  it('uses a VaultError-style code as the kind', () => {
    const err = Object.assign(new Error('No keyring.'), { code: 'insecure' });
    expect(toTransportError(err, 'saveAimfoxKey').payload.error).toEqual({ kind: 'insecure', message: 'No keyring.' });
  });

  it('summarises validation errors without echoing the input', () => {
    const parsed = z.object({ limit: z.number().int().max(100) }).safeParse({ limit: 'secret-value-123' });
    const out = toTransportError(parsed.error, 'listRuns');
    expect(out.status).toBe(400);
    expect(out.payload.error.kind).toBe('invalid_request');
    expect(out.payload.error.message).toMatch(/^That request for listRuns is not valid \(limit\):/);
    expect(out.payload.error.message).not.toContain('secret-value-123');
  });

  it('replaces programming errors and non-errors with a generic message (no stack, no paths)', () => {
    for (const thrown of [
      new TypeError("Cannot read properties of undefined (reading 'token') at /home/a/b.ts:3:9"),
      'a string',
      { weird: true },
      undefined,
    ]) {
      const out = toTransportError(thrown, 'getStatus');
      expect(out.status).toBe(500);
      expect(out.internal).toBe(true);
      expect(out.payload.error.kind).toBe('internal');
      expect(out.payload.error.message).toMatch(/internal problem while running getStatus/);
      expect(JSON.stringify(out.payload)).not.toMatch(/reading|home|\.ts|at /);
    }
  });

  it('never passes database errors on verbatim: they are internal (generic message, logged by the caller)', () => {
    const sqlite = Object.assign(new Error('datatype mismatch'), { name: 'SqliteError', code: 'SQLITE_MISMATCH' });
    const renamed = Object.assign(new Error('no such column: secret_col'), { code: 'SQLITE_ERROR' });
    // The PostgreSQL store's errors (main/store/sql.ts SqlError, SQLSTATE codes).
    const postgres = new SqlError('column "secret_col" does not exist', '42703');
    for (const err of [sqlite, renamed, postgres]) {
      const out = toTransportError(err, 'listConflicts');
      expect(out).toMatchObject({ status: 500, internal: true, payload: { error: { kind: 'internal' } } });
      expect(JSON.stringify(out.payload)).not.toMatch(/mismatch|secret_col|SQLITE/);
    }
  });

  it('keeps only the first line, and masks bearer values and token parameters', () => {
    const err = kinded(
      'Call failed: Authorization Bearer abcdefghijklmnop0123 for https://x/cb?code=SECRETCODE&state=1\n    at foo (/src/a.ts:1:1)',
      'network',
    );
    const msg = toTransportError(err, 'startGhlLogin').payload.error.message;
    expect(msg).toBe('Call failed: Authorization Bearer [redacted] for https://x/cb?code=[redacted]&state=1');
    expect(scrubMessage('x'.repeat(2000))).toHaveLength(500);
  });
});
