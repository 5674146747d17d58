/** The screens, in navigation order, and hash routing (#/conflicts): works from app:// and from serve mode alike. */
import { useSyncExternalStore } from 'react';
import type { Screen } from '../../preload/contract.js';

export const SCREENS: ReadonlyArray<{ id: Screen; label: string }> = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'status', label: 'Status' },
  { id: 'connections', label: 'Connections' },
  { id: 'mappings', label: 'Mappings' },
  { id: 'conflicts', label: 'Conflicts' },
  { id: 'activity', label: 'Activity' },
  { id: 'changes', label: 'Changes' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

// The record page is reached from other screens and the search box, not the navigation.
const IDS = new Set<string>([...SCREENS.map((s) => s.id), 'record']);

export function screenFromHash(hash: string): Screen {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return IDS.has(id) ? (id as Screen) : 'status';
}

/** "#/mappings?pair=ghl-aimfox" → { pair: 'ghl-aimfox' }. */
export function paramsFromHash(hash: string): Record<string, string> {
  const q = hash.indexOf('?');
  return q < 0 ? {} : Object.fromEntries(new URLSearchParams(hash.slice(q + 1)));
}

/** A record's page (screens/RecordScreen.tsx): `#/record/<linkId>`. */
export const recordHref = (linkId: number | string): string => `#/record/${encodeURIComponent(String(linkId))}`;

export const hrefFor = (screen: Screen, params?: Record<string, string>): string => {
  const q = params && Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : '';
  return `#/${screen}${q}`;
};

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useScreen(): Screen {
  return useSyncExternalStore(subscribe, () => screenFromHash(window.location.hash));
}

/** The hash's query part, e.g. which pair the Mappings screen shows. */
export function useHashParam(name: string): string | undefined {
  return useSyncExternalStore(subscribe, () => paramsFromHash(window.location.hash)[name]);
}

export function navigate(screen: Screen, params?: Record<string, string>): void {
  window.location.hash = hrefFor(screen, params);
}
