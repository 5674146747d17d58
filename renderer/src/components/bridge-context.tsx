import { createContext, useContext, useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import type { Bridge, BridgeEvent } from '../../../preload/contract.js';

const BridgeContext = createContext<Bridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge() used outside <BridgeProvider>');
  return bridge;
}

/** Calls `handler` for every bridge event while the component is mounted (always the latest handler). */
export function useBridgeEvent(handler: (event: BridgeEvent) => void): void {
  const bridge = useBridge();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => bridge.onEvent((e) => latest.current(e)), [bridge]);
}
