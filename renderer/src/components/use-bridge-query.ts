import { useCallback, useEffect, useState } from 'react';
import type { Bridge, BridgeEvent } from '../../../preload/contract.js';
import { useBridge, useBridgeEvent } from './bridge-context.js';

export interface QueryState<T> {
  /** The last data loaded (kept while a reload runs, so lists do not flash). */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

interface Result<T> {
  key: string;
  data?: T;
  error?: unknown;
}

/**
 * Loads data from the bridge, reloads when `key` changes, when `reload()` is called, or when one of the
 * `refreshOn` events arrives. Stale answers (from an older key or reload) are ignored.
 */
export function useBridgeQuery<T>(
  load: (bridge: Bridge) => Promise<T>,
  key: string,
  refreshOn: ReadonlyArray<BridgeEvent['type']> = [],
): QueryState<T> {
  const bridge = useBridge();
  const [version, setVersion] = useState(0);
  const requestKey = `${key}#${version}`;
  const [result, setResult] = useState<Result<T>>({ key: '' });
  const [lastGood, setLastGood] = useState<T | undefined>(undefined);

  useEffect(() => {
    let live = true;
    load(bridge).then(
      (data) => {
        if (!live) return;
        setResult({ key: requestKey, data });
        setLastGood(data);
      },
      (error: unknown) => {
        if (live) setResult({ key: requestKey, error });
      },
    );
    return () => {
      live = false;
    };
    // `load` is usually an inline function; `key` names everything it depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, requestKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useBridgeEvent((e) => {
    if (refreshOn.includes(e.type)) reload();
  });

  const loading = result.key !== requestKey;
  return {
    data: result.key === requestKey && 'data' in result ? result.data : lastGood,
    error: loading ? undefined : result.error,
    loading,
    reload,
  };
}
