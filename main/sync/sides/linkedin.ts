/** LinkedIn profile URLs as a matching key: the normalised public identifier, or undefined for anything else. */
import { parseLinkedInProfileUrl } from '../../connectors/aimfox/index.js';

export function linkedinKey(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const parsed = parseLinkedInProfileUrl(url);
  return parsed.ok ? parsed.publicIdentifier : undefined;
}
