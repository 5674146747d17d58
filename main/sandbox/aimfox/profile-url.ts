/**
 * LinkedIn profile URLs as the audience endpoints take them: `https://www.linkedin.com/in/<public_id>/`.
 * Accepted variants: http or https, with or without `www.`, a country subdomain (`au.linkedin.com`), with or
 * without the trailing slash, with a query string or fragment. Anything else (company pages, Sales Navigator
 * links, other hosts, text that is not a URL) is malformed.
 */

export function publicIdFromProfileUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !/^[a-z]{2,3}\.linkedin\.com$/.test(host)) return undefined;
  const m = /^\/in\/([^/]+)\/?$/.exec(url.pathname);
  if (!m?.[1]) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  id = id.trim().toLowerCase();
  return id.length >= 3 && id.length <= 100 && !/[\s/?#]/.test(id) ? id : undefined;
}

export function profileUrl(publicId: string): string {
  return `https://www.linkedin.com/in/${publicId}/`;
}
