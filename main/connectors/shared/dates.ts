/**
 * Epoch milliseconds → ISO 8601, or null when the number is not a time a Date can hold (beyond ±8.64e15 ms, e.g.
 * 1e20, `toISOString` would throw a RangeError and fail a whole run over one bad field).
 */
export function isoFromMs(ms: number): string | null {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}
