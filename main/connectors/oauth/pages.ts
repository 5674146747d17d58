/** The small pages the browser shows at the end of the loopback login. Plain HTML, no scripts, nothing remote. */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, heading: string, text: string, ok: boolean): string {
  const colour = ok ? '#1a7f37' : '#b42318';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2328}
h1{color:${colour};font-size:1.5rem}p{line-height:1.5}</style></head>
<body><main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p></main></body></html>`;
}

export const successPage = (): string =>
  page(
    'Signed in — GHL Bridge',
    'You’re signed in — you can close this tab',
    'GHL Bridge is now connected to HighLevel. Close this tab and go back to the app.',
    true,
  );

export const failurePage = (why: string): string =>
  page(
    'Sign-in failed — GHL Bridge',
    'Sign-in did not complete',
    `${why} Go back to GHL Bridge and choose "Sign in" to try again.`,
    false,
  );

export const rejectPage = (why: string): string =>
  page(
    'Not accepted — GHL Bridge',
    'This link was not accepted',
    `${why} If you are signing in, finish the sign-in in the window GHL Bridge opened.`,
    false,
  );
