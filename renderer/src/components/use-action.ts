import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../bridge/errors.js';

export interface ActionState<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  busy: boolean;
  /** The failure's message for people, until the next run. */
  error: string | undefined;
  result: T | undefined;
  reset(): void;
}

/**
 * One button's bridge call: busy while it runs (a second click is ignored), the error message when it fails, the
 * result when it worked. The returned promise never rejects: callers read `error`.
 */
export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): ActionState<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<T>();
  const inFlight = useRef(false);
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });

  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    setError(undefined);
    try {
      const r = await latest.current(...args);
      setResult(r);
      return r;
    } catch (e) {
      setError(errorMessage(e));
      return undefined;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);

  const reset = useCallback(() => {
    setError(undefined);
    setResult(undefined);
  }, []);

  return { run, busy, error, result, reset };
}
