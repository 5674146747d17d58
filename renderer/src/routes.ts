/** The screens, in navigation order, and hash routing (#/conflicts): works from app:// and from serve mode alike. */
import { useSyncExternalStore } from 'react';
import type { Screen } from '../../preload/contract.js';

export const SCREENS: ReadonlyArray<{ id: Screen; label: string }> = [
  { id: 'status', label: 'Status' },
  { id: 'connections', label: 'Connections' },
  { id: 'mappings', label: 'Mappings' },
  { id: 'conflicts', label: 'Conflicts' },
  { id: 'activity', label: 'Activity' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

const IDS = new Set<string>(SCREENS.map((s) => s.id));

export function screenFromHash(hash: string): Screen {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return IDS.has(id) ? (id as Screen) : 'status';
}

export const hrefFor = (screen: Screen): string => `#/${screen}`;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useScreen(): Screen {
  return useSyncExternalStore(subscribe, () => screenFromHash(window.location.hash));
}
