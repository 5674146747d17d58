import { describe, expect, it } from 'vitest';
import { computeSignature, signaturePayload } from '../../main/sandbox/aroflo/signature.js';

// FACTS §3 test vector.
const vector = {
  method: 'GET',
  accept: 'text/json',
  authorization: 'uencoded=test-user&pencoded=test-pass&orgEncoded=test-org',
  afdatetimeutc: '2024-05-13T23:14:15.000Z',
  varString: 'zone=lastupdate&where=and%7Czonename%7C%3D%7Ctasks&order=lastupdateutc%7Casc&page=1',
};

describe('AroFlo sandbox signature check (FACTS §3 vector)', () => {
  it('joins the parts with + and an empty urlPath, no HostIP slot when HostIP is not used', () => {
    expect(signaturePayload(vector)).toBe(
      `GET++text/json+${vector.authorization}+${vector.afdatetimeutc}+${vector.varString}`,
    );
  });

  it('reproduces the documented digest without HostIP', () => {
    expect(computeSignature('top-secret', vector)).toBe(
      '9a25a8dd6845a986632324596cd83a271d6139acc77903124dd0ad3789191d611c485305ba1560c85e2bc0122fa335c7f4808e46bdf9ebff1b1fc8e1a0bd800a',
    );
  });

  it('puts HostIP right after the method and matches the documented prefix/suffix', () => {
    const p = { ...vector, hostIp: '203.0.113.10' };
    expect(signaturePayload(p).startsWith('GET+203.0.113.10++text/json+')).toBe(true);
    const sig = computeSignature('top-secret', p);
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(sig.startsWith('92b116903c26')).toBe(true);
    expect(sig.endsWith('1fdb7ec4')).toBe(true);
  });

  it('changes with any signed part (secret, timestamp, bytes of the query)', () => {
    const base = computeSignature('top-secret', vector);
    expect(computeSignature('top-secret2', vector)).not.toBe(base);
    expect(computeSignature('top-secret', { ...vector, afdatetimeutc: '2024-05-13T23:14:16.000Z' })).not.toBe(base);
    // Same meaning, different bytes on the wire: must not verify.
    expect(
      computeSignature('top-secret', {
        ...vector,
        varString: 'zone=lastupdate&where=and|zonename|=|tasks&order=lastupdateutc|asc&page=1',
      }),
    ).not.toBe(base);
  });
});
