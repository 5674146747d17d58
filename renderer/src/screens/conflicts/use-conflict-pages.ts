/**
 * The open conflicts for the current filters, loaded page by page as the list scrolls to them, so 10,000 items cost
 * a few small requests. Any change (a decision here, a sync, another window) reloads what is on screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeApi, ConflictSummary } from '../../../../preload/contract.js';
import { useBridge, useBridgeEvent } from '../../components/bridge-context.js';

export const PAGE_SIZE = 200;

export type ConflictFilters = Omit<Parameters<BridgeApi['listConflicts']>[0], 'offset' | 'limit'>;

interface PagesState {
  key: string;
  total: number | undefined;
  pages: Map<number, ConflictSummary[]>;
  error: unknown;
}

export function useConflictPages(filters: ConflictFilters) {
  const bridge = useBridge();
  const key = JSON.stringify(filters);
  const [generation, setGeneration] = useState(0);
  const stateKey = `${key}#${generation}`;
  const [state, setState] = useState<PagesState>({ key: '', total: undefined, pages: new Map(), error: undefined });
  const requested = useRef(new Set<string>());
  const latest = useRef(stateKey);
  useEffect(() => {
    latest.current = stateKey;
  }, [stateKey]);

  const load = useCallback(
    (page: number) => {
      const tag = `${stateKey}:${page}`;
      if (requested.current.has(tag)) return;
      requested.current.add(tag);
      bridge
        .listConflicts({ ...(JSON.parse(key) as ConflictFilters), offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then(
          (r) => {
            // An answer for older filters or an older generation is dropped.
            if (latest.current !== stateKey) return;
            setState((s) => {
              const pages = s.key === stateKey ? new Map(s.pages) : new Map<number, ConflictSummary[]>();
              pages.set(page, r.items);
              return { key: stateKey, total: r.total, pages, error: undefined };
            });
          },
          (error: unknown) => {
            requested.current.delete(tag);
            if (latest.current !== stateKey) return;
            setState((s) => ({ ...s, key: stateKey, pages: s.key === stateKey ? s.pages : new Map(), error }));
          },
        );
    },
    [bridge, key, stateKey],
  );

  // A new filter or generation starts from the first page; what was shown stays until it arrives.
  useEffect(() => load(0), [load]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  useBridgeEvent((e) => {
    if (e.type === 'conflicts-changed') refresh();
  });

  const current = state.key === stateKey;
  const item = (index: number): ConflictSummary | undefined =>
    state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const ensure = (index: number) => {
    if (!current || !state.pages.has(Math.floor(index / PAGE_SIZE))) load(Math.floor(index / PAGE_SIZE));
  };

  return {
    /** Known once the first page arrived. */
    total: state.total,
    loading: !current,
    error: state.error,
    item,
    ensure,
    refresh,
  };
}
