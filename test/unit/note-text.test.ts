import { describe, expect, it } from 'vitest';
import { noteText } from '../../main/service/adapters/normalize.js';

// HighLevel's editor writes notes as HTML; the bridge carries only their words to AroFlo and Aimfox.
describe('noteText: markup to plain text', () => {
  it('decodes every entity, numeric ones included', () => {
    expect(noteText('<p>Quote &#8212; approved &amp; booked&nbsp;in</p>')).toBe('Quote — approved & booked in');
    expect(noteText('<p>&#x201C;Urgent&#x201D;</p>')).toBe('“Urgent”');
  });

  it('keeps paragraphs, line breaks and list items as lines', () => {
    expect(noteText('<p>First</p><p>Second<br>third</p>')).toBe('First\nSecond\nthird');
    expect(noteText('<ul><li>gutter</li><li>roof</li></ul>')).toBe('- gutter\n- roof');
  });

  it('drops links, images and styling but keeps their words', () => {
    expect(noteText('<p>See <a href="https://x.example/a">the quote</a><img src="x.png"> <strong>today</strong></p>')).toBe(
      'See the quote today',
    );
  });

  it('leaves plain text as typed, also when it holds angle brackets', () => {
    expect(noteText('a < b and c > d')).toBe('a < b and c > d');
    expect(noteText('  Call back\r\nafter 3pm  ')).toBe('Call back\nafter 3pm');
    expect(noteText('')).toBeNull();
    expect(noteText(null)).toBeNull();
  });
});
