/**
 * Text with a lone surrogate in an answer (found by the fuzz suite: an Aimfox audience entry whose public_identifier
 * was "\ud800" failed the whole run with "URI malformed"). Such a record is refused as unreadable by name — quarantined
 * by the engine — and no id with one is ever put into a URL.
 */
import { describe, expect, it } from 'vitest';
import { audienceEntrySchema, leadSchema } from '../../main/connectors/aimfox/schemas.js';
import { linkedInProfileUrl } from '../../main/connectors/aimfox/linkedin-url.js';
import { ConnectorError, pathSegment } from '../../main/connectors/shared/errors.js';
import { isWellFormedText } from '../../main/connectors/shared/text.js';

describe('ill-formed text from an answer', () => {
  it('tells lone surrogates from well-formed text, astral characters included', () => {
    expect(isWellFormedText('jo-bloggs-😀-ü')).toBe(true);
    for (const bad of ['\ud800', 'a\udc00', 'x\ud83dy', '\ude00😀'])
      expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('an Aimfox audience entry whose public identifier holds one is a refused record, not a thrown URIError', () => {
    const r = audienceEntrySchema.safeParse({ id: '8418568447', public_identifier: 'ab\ud800' });
    expect(r.success).toBe(false);
    expect(audienceEntrySchema.safeParse({ id: '8418568447', public_identifier: 'jo-bloggs' }).success).toBe(true);
    // The same for a lead read by id or by search (the fuzz suite's counterexample, seed 2111365972).
    expect(leadSchema.safeParse({ id: '8418568447', public_identifier: '\ud800' }).success).toBe(false);
    expect(leadSchema.safeParse({ id: '8418568447', public_identifier: 'jo-bloggs' }).success).toBe(true);
  });

  it('a profile URL or a URL path segment is never built from one', () => {
    expect(() => linkedInProfileUrl('ab\ud800')).toThrow(TypeError);
    expect(() => pathSegment('aimfox', 'ab\ud800', 'lead id')).toThrow(ConnectorError);
    expect(pathSegment('aimfox', 'jo-bloggs-😀')).toBe(encodeURIComponent('jo-bloggs-😀'));
  });
});
