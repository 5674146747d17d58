/**
 * The app's status, shared by the navigation (conflict count, sync state) and the Status screen. Loaded once,
 * then kept live from bridge events, and re-read every minute in case an event was missed while reconnecting.
 */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { AppStatus } from '../../preload/contract.js';
import { useBridge, useBridgeEvent } from './components/bridge-context.js';

export interface AppStatusState {
  status: AppStatus | undefined;
  error: unknown;
  reload(): void;
  /** Replace the status with one a call returned (pause, resume). */
  set(status: AppStatus): void;
}

const Ctx = createContext<AppStatusState | null>(null);
const REFRESH_MS = 60_000;

export function AppStatusProvider({ children }: { children: ReactNode }) {
  const bridge = useBridge();
  const [status, setStatus] = useState<AppStatus>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    bridge.getStatus().then(
      (s) => {
        if (!live) return;
        setStatus(s);
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    const timer = window.setTimeout(reload, REFRESH_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [bridge, version, reload]);

  useBridgeEvent((e) => {
    switch (e.type) {
      case 'status':
        setStatus(e.status);
        break;
      case 'progress':
        setStatus((s) => s && { ...s, syncing: true, progress: e.progress });
        break;
      case 'run-finished':
        setStatus((s) => s && { ...s, syncing: false, progress: undefined, lastRun: e.run });
        reload();
        break;
      case 'conflicts-changed':
        setStatus((s) => s && { ...s, openConflicts: e.open, openDuplicates: e.duplicates });
        break;
      // A sign-in changed; or this window now shows another location, whose status it needs.
      case 'login':
      case 'location':
        reload();
        break;
      default:
        break;
    }
  });

  return <Ctx.Provider value={{ status, error, reload, set: setStatus }}>{children}</Ctx.Provider>;
}

export function useAppStatus(): AppStatusState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAppStatus() used outside <AppStatusProvider>');
  return v;
}

/** The current time, refreshed every `everyMs` (for "5 min ago" labels). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}
