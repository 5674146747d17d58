import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  linkedInProfileUrl,
  normalizeLinkedInProfileUrl,
  normalizePublicIdentifier,
  parseLinkedInProfileUrl,
} from '../../main/connectors/aimfox/linkedin-url.js';

function idOf(text: string): string {
  const r = parseLinkedInProfileUrl(text);
  if (!r.ok) throw new Error(`expected a profile URL, got refusal: ${r.reason}`);
  return r.publicIdentifier;
}

describe('LinkedIn profile URL → public identifier', () => {
  it.each([
    ['https://www.linkedin.com/in/john-doe-bb1869208/', 'john-doe-bb1869208'],
    ['https://www.linkedin.com/in/john-doe-bb1869208', 'john-doe-bb1869208'],
    ['http://www.linkedin.com/in/john-doe/', 'john-doe'],
    ['https://linkedin.com/in/john-doe/', 'john-doe'],
    ['www.linkedin.com/in/john-doe', 'john-doe'],
    ['linkedin.com/in/john-doe/', 'john-doe'],
    ['https://m.linkedin.com/in/john-doe/', 'john-doe'],
    ['https://au.linkedin.com/in/john-doe/', 'john-doe'],
    ['HTTPS://WWW.LINKEDIN.COM/IN/John-Doe/', 'john-doe'],
    ['https://www.linkedin.com/in/john-doe/?originalSubdomain=au&trk=people', 'john-doe'],
    ['https://www.linkedin.com/in/john-doe#about', 'john-doe'],
    ['https://www.linkedin.com/in/john-doe/details/experience/', 'john-doe'],
    ['  https://www.linkedin.com/in/john-doe/  ', 'john-doe'],
    ['https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-4b2/', 'jürgen-müller-4b2'],
    ['https://www.linkedin.com/in/J%C3%9CRGEN-M%C3%9CLLER-4b2/', 'jürgen-müller-4b2'],
    ['https://www.linkedin.com/in/jürgen-müller-4b2/', 'jürgen-müller-4b2'],
    ['https://www.linkedin.com/in/%E5%BC%A0%E4%BC%9F-12345/', '张伟-12345'],
  ])('%s → %s', (input, expected) => {
    expect(idOf(input)).toBe(expected);
  });

  it('keeps a member-URN identifier exactly (URNs are case-sensitive)', () => {
    const r = parseLinkedInProfileUrl('https://www.linkedin.com/in/ACoAADTPCXUBJO_XjHzN9LwNwU-5ilfawDBDjK0/');
    expect(r).toMatchObject({ ok: true, kind: 'urn', publicIdentifier: 'ACoAADTPCXUBJO_XjHzN9LwNwU-5ilfawDBDjK0' });
  });

  it('decomposed (NFD) and composed (NFC) spellings give the same identifier', () => {
    const nfd = 'https://www.linkedin.com/in/' + encodeURIComponent('zoe\u0308-smith') + '/';
    const nfc = 'https://www.linkedin.com/in/' + encodeURIComponent('zo\u00eb-smith') + '/';
    expect(idOf(nfd)).toBe(idOf(nfc));
  });

  it.each([
    ['', /empty/],
    ['john doe', /not a LinkedIn address|not a web address/],
    ['https://www.facebook.com/in/john-doe', /not a LinkedIn address/],
    ['https://notlinkedin.com/in/john-doe', /not a LinkedIn address/],
    ['https://www.linkedin.com.evil.example/in/john-doe', /not a LinkedIn address/],
    ['ftp://www.linkedin.com/in/john-doe', /not a web address/],
    ['https://www.linkedin.com/company/aimfox/', /company or school page/],
    ['https://www.linkedin.com/school/unimelb/', /company or school page/],
    ['https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH', /Sales Navigator/],
    ['https://www.linkedin.com/pub/john-doe/1/2/3', /old-style \/pub\//],
    ['https://www.linkedin.com/posts/john-doe_activity-123', /post or article/],
    ['https://www.linkedin.com/', /home page/],
    ['https://www.linkedin.com/in/', /no profile name/],
    ['https://www.linkedin.com/in/%E0%A4%A/', /broken %-encoded/],
    ['https://www.linkedin.com/in/john%20doe/', /not end in a valid LinkedIn profile name/],
    ['https://www.linkedin.com/in/john.doe/', /not end in a valid LinkedIn profile name/],
  ])('rejects %j with a reason a person can act on', (input, reason) => {
    const r = parseLinkedInProfileUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
    expect(() => normalizeLinkedInProfileUrl(input)).toThrow(reason);
  });
});

describe('building the profile URL Aimfox documents', () => {
  it('is https://www.linkedin.com/in/<id>/', () => {
    expect(linkedInProfileUrl('john-doe-bb1869208')).toBe('https://www.linkedin.com/in/john-doe-bb1869208/');
  });

  it('percent-encodes non-ASCII identifiers as LinkedIn does', () => {
    expect(linkedInProfileUrl('jürgen-müller')).toBe('https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/');
  });

  it('refuses an empty identifier', () => {
    expect(() => linkedInProfileUrl('  ')).toThrow(/public identifier/);
  });

  it('normalising any spelling gives the canonical URL', () => {
    expect(normalizeLinkedInProfileUrl('HTTP://M.LinkedIn.com/in/John-Doe?x=1')).toBe(
      'https://www.linkedin.com/in/john-doe/',
    );
  });

  it('round-trips: parse(build(id)) = normalise(id) for any valid identifier', () => {
    const chars = [
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_',
      'ü',
      'é',
      'ø',
      'ł',
      'ß',
      '张',
      'ễ',
    ];
    const idArb = fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 60 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(idArb, fc.constantFrom('', '?trk=x', '#top', 'details/'), fc.boolean(), (id, suffix, upper) => {
        const url = linkedInProfileUrl(id) + suffix;
        const parsed = parseLinkedInProfileUrl(
          upper ? url.replace('https://www.linkedin.com', 'HTTPS://WWW.LINKEDIN.COM') : url,
        );
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.publicIdentifier).toBe(normalizePublicIdentifier(id));
      }),
      { numRuns: 300 },
    );
  });
});
