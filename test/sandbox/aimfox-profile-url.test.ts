/** Aimfox sandbox: which LinkedIn profile URLs the audience endpoints understand. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileUrl, publicIdFromProfileUrl } from '../../main/sandbox/aimfox/profile-url.js';

describe('publicIdFromProfileUrl', () => {
  it.each([
    ['https://www.linkedin.com/in/john-doe-12/', 'john-doe-12'],
    ['https://www.linkedin.com/in/john-doe-12', 'john-doe-12'],
    ['http://linkedin.com/in/john-doe-12/', 'john-doe-12'],
    ['https://au.linkedin.com/in/John-Doe-12/?originalSubdomain=au', 'john-doe-12'],
    ['https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/', 'jürgen-müller'],
    ['  https://www.linkedin.com/in/john-doe-12/#about  ', 'john-doe-12'],
  ])('reads %s', (url, id) => {
    expect(publicIdFromProfileUrl(url)).toBe(id);
  });

  it.each([
    'john-doe-12',
    'https://www.linkedin.com/company/acme/',
    'https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH',
    'https://www.linkedin.com/in/',
    'https://www.linkedin.com/in/john/details/experience/',
    'https://evil-linkedin.com/in/john-doe/',
    'https://example.com/in/john-doe/',
    'ftp://www.linkedin.com/in/john-doe/',
    '',
  ])('refuses %s', (url) => {
    expect(publicIdFromProfileUrl(url)).toBeUndefined();
  });

  it('reads back every id it builds a URL for', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,40}$/), (id) => {
        expect(publicIdFromProfileUrl(profileUrl(id))).toBe(id);
      }),
    );
  });
});
