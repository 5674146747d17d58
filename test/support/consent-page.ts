/**
 * Reading the GHL sandbox's consent page as a browser would: the form's action, its hidden fields and the sub-accounts
 * it offers (HTML entities in attribute values decoded).
 */
export const unescapeHtml = (s: string): string =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] as string,
  );

export function consentForm(html: string): { action: string; fields: Record<string, string>; options: string[] } {
  const action = unescapeHtml(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1];
    if (name && /type="hidden"/.test(m[0])) fields[name] = unescapeHtml(value ?? '');
  }
  const options = [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => unescapeHtml(m[1]!));
  return { action, fields, options };
}
