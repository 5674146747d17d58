/**
 * Secret redaction for everything that leaves the process in text: logs, diagnostics, error messages.
 * Two layers: known secret-bearing keys are masked wherever they appear in objects, and every secret value the app
 * has loaded is registered here and masked wherever it appears in any string.
 */
const SECRET_KEY =
  /(secret|token|password|passwd|apikey|api_key|authorization|authentication|pencoded|refresh|code_verifier|cookie|vault)/i;

export class Redactor {
  private readonly values = new Set<string>();

  /** Register a secret value (ignored when too short to be meaningful). */
  add(value: string | undefined | null): void {
    if (value && value.length >= 6) this.values.add(value);
  }

  text(s: string): string {
    let out = s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join('[redacted]');
    // Bearer/HMAC headers and query tokens that slipped through by value.
    out = out.replace(/(Bearer|HMAC)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [redacted]');
    out = out.replace(/([?&](?:token|code|access_token|refresh_token|client_secret)=)[^&\s"]+/gi, '$1[redacted]');
    return out;
  }

  value(v: unknown, depth = 0): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v !== 'object' || depth > 6) return v;
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1));
    if (v instanceof Error) return { name: v.name, message: this.text(v.message) };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] =
        SECRET_KEY.test(k) && x !== undefined && x !== null && x !== '' ? '[redacted]' : this.value(x, depth + 1);
    return out;
  }
}
