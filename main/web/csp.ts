/**
 * The Content Security Policy of the window, in one place: serve mode sends it as a header, the Electron shell sends
 * it as a header for its app:// pages, and renderer/index.html carries the same policy in a meta tag (a unit test
 * keeps them equal). No inline script or style, no eval, no remote anything: the window talks only to its own origin.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['manifest-src', ["'self'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['object-src', ["'none'"]],
  ['frame-src', ["'none'"]],
  ['worker-src', ["'none'"]],
  // Header only: browsers ignore (and warn about) frame-ancestors in a meta tag.
  ['frame-ancestors', ["'none'"]],
];

const HEADER_ONLY = new Set(['frame-ancestors']);

/** The policy as a header value; `extra` adds sources per directive (the Vite dev server in development). */
export function cspHeader(extra: Partial<Record<string, string[]>> = {}): string {
  return CSP_DIRECTIVES.map(([name, sources]) => [name, ...sources, ...(extra[name] ?? [])].join(' ')).join('; ');
}

/** The policy as it belongs in the page's meta tag. */
export function cspMeta(): string {
  return CSP_DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** Headers every page and API answer carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
