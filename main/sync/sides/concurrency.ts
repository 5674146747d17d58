/**
 * A few requests in flight at once, so a run is paced by each API's rate limit rather than by its latency
 * (one request at a time reaches only window ÷ latency of the limit: a third of GHL's 10/s at 300 ms).
 * The connectors' pacers still decide when each request may go; this only keeps enough of them waiting.
 */

/** HighLevel requests an adapter keeps in flight (its limit is 100 per 10 s; ~1 s latency would need 10). */
export const GHL_CONCURRENCY = 8;

/**
 * `fn` over every item with at most `limit` running at once; results in input order. If one call throws, no new
 * ones start, the running ones finish, and the first error is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error;
  return out;
}

/**
 * Like mapLimit, but items with the same key run one after another, in order (e.g. the notes of one contact keep
 * their order); different keys run concurrently.
 */
export async function mapByKey<T, R>(
  items: readonly T[],
  key: (item: T) => string,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const out = new Array<R>(items.length);
  await mapLimit([...groups.values()], limit, async (idx) => {
    for (const i of idx) out[i] = await fn(items[i] as T, i);
  });
  return out;
}
