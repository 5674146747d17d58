/**
 * Which AroFlo clients are people (residential customers): a client named after its own first name and surname,
 * also when AroFlo's unique-name rule made someone add a number or the bridge added an email.
 */
import { describe, expect, it } from 'vitest';
import { isPersonName } from '../../main/sync/sides/normalize.js';

describe('AroFlo residential customers by name', () => {
  it('a client named after its person, plainly or with a disambiguator, is a person', () => {
    expect(isPersonName('Chloé Lefèvre', 'Chloé', 'Lefèvre')).toBe(true);
    expect(isPersonName('chloé  LEFÈVRE', 'Chloé', 'Lefèvre')).toBe(true);
    expect(isPersonName('Chloé Lefèvre 3', 'Chloé', 'Lefèvre')).toBe(true);
    expect(isPersonName('Chloé Lefèvre (chloe.lefevre@bigpond.com)', 'Chloé', 'Lefèvre')).toBe(true);
    // Cut at AroFlo's 50 characters, the closing parenthesis is gone.
    expect(isPersonName('Nicholas Christiansen (nicholas.christiansen@gmail', 'Nicholas', 'Christiansen')).toBe(true);
  });

  it('a business, or a name that only begins like its owner, is not', () => {
    expect(isPersonName('Acme Plumbing', 'John', 'Smith')).toBe(false);
    expect(isPersonName('John Smith Plumbing', 'John', 'Smith')).toBe(false);
    expect(isPersonName('John Smith 2 Electrical', 'John', 'Smith')).toBe(false);
    expect(isPersonName('John Smithers', 'John', 'Smith')).toBe(false);
    expect(isPersonName('John Smith', '', 'Smith')).toBe(false);
    expect(isPersonName('', 'John', 'Smith')).toBe(false);
  });
});
