import { describe, expect, it } from 'vitest';
import { noteText } from '../../main/sync/sides/normalize.js';

// HighLevel's editor writes notes as HTML; the bridge carries only their words to AroFlo and Aimfox.
describe('noteText: markup to plain text', () => {
  it('decodes every entity, numeric ones included', () => {
    expect(noteText('<p>Quote &#8212; approved &amp; booked&nbsp;in</p>')).toBe('Quote — approved & booked in');
    expect(noteText('<p>&#x201C;Urgent&#x201D;</p>')).toBe('“Urgent”');
  });

  it('keeps paragraphs, line breaks and list items as lines', () => {
    expect(noteText('<p>First</p><p>Second<br>third</p>')).toBe('First\nSecond\nthird');
    expect(noteText('<ul><li>gutter</li><li>roof</li></ul>')).toBe('gutter\nroof');
  });

  it('drops links, images and styling but keeps their words', () => {
    expect(
      noteText('<p>See <a href="https://x.example/a">the quote</a><img src="x.png"> <strong>today</strong></p>'),
    ).toBe('See the quote today');
  });

  it('leaves plain text as typed, also when it holds angle brackets', () => {
    expect(noteText('a < b and c > d')).toBe('a < b and c > d');
    expect(noteText('  Call back\r\nafter 3pm  ')).toBe('Call back\nafter 3pm');
    expect(noteText('')).toBeNull();
    expect(noteText(null)).toBeNull();
  });
});

// Plain-text notes (AroFlo, Aimfox, a HighLevel note without markup) keep every line; only complete entities decode.
describe('noteText: plain text stays as typed', () => {
  it('keeps line breaks and an email in angle brackets', () => {
    expect(noteText('From: John Smith <john@smith.com>\nPlease call back\nGate 1234')).toBe(
      'From: John Smith <john@smith.com>\nPlease call back\nGate 1234',
    );
  });

  it('decodes complete entities without joining lines, and leaves "R&D" or "&notes" alone', () => {
    expect(noteText('Line 1\nLine 2 R&amp;D\nLine 3')).toBe('Line 1\nLine 2 R&D\nLine 3');
    expect(noteText('R&D and &notes')).toBe('R&D and &notes');
  });

  it('turns markup into the same lines the stored bases hold (lists and paragraphs as lines)', () => {
    expect(noteText('<ol>\n<li>a</li>\n<li>b</li>\n</ol>')).toBe('a\n\nb');
    expect(noteText('<p>Line one\nstill one</p><p>Two</p>')).toBe('Line one\nstill one\nTwo');
  });
});
