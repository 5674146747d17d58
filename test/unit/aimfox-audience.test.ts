import { describe, expect, it } from 'vitest';
import {
  AUDIENCE_REFUSAL_CODES,
  matchBulkAnswer,
  prepareProfiles,
  refusalOutcome,
} from '../../main/connectors/aimfox/audience.js';

const campaign = 'campaign "Q4 outreach"';

describe('single-add refusal codes → per-profile outcomes', () => {
  it.each([
    ['blocked', false, /blocked/],
    ['locked', true, /another Aimfox campaign/],
    ['miningFailed', false, /could not find the LinkedIn profile/],
    ['noPFP', false, /no picture/],
    ['alreadyConnected', false, /already a lead/],
    ['notLead', false, /not a lead/],
    ['closed', false, /free InMails/],
  ])('%s', (code, retryLater, text) => {
    const o = refusalOutcome('https://www.linkedin.com/in/jane-doe/', 'jane-doe', campaign, code, 'The Target …');
    expect(o).toMatchObject({ outcome: 'refused', reason: code, code, retryLater });
    expect(o.message).toMatch(text);
    expect(o.message).toContain('https://www.linkedin.com/in/jane-doe/');
  });

  it('covers every documented code', () => {
    expect([...AUDIENCE_REFUSAL_CODES].sort()).toEqual([
      'alreadyConnected',
      'blocked',
      'closed',
      'locked',
      'miningFailed',
      'noPFP',
      'notLead',
    ]);
  });

  it("an undocumented code is `unknown` but keeps Aimfox's code and words", () => {
    const o = refusalOutcome(
      'https://www.linkedin.com/in/jane-doe/',
      'jane-doe',
      campaign,
      'weirdCode',
      'Something odd',
    );
    expect(o).toMatchObject({ reason: 'unknown', code: 'weirdCode', retryLater: false });
    expect(o.message).toContain('weirdCode: Something odd');
  });
});

describe('preparing a bulk add', () => {
  it('refuses invalid URLs locally and sends each person once, keeping input order', () => {
    const { send, order } = prepareProfiles([
      { profileUrl: 'https://www.linkedin.com/in/john-doe/', customVariables: { 'first name': 'John' } },
      { profileUrl: 'https://www.linkedin.com/company/acme/' },
      { profileUrl: 'http://m.linkedin.com/in/JOHN-DOE?x' },
      { profileUrl: 'linkedin.com/in/jane-doe' },
    ]);
    expect(send.map((p) => p.url)).toEqual([
      'https://www.linkedin.com/in/john-doe/',
      'https://www.linkedin.com/in/jane-doe/',
    ]);
    expect(send[0]?.customVariables).toEqual({ 'first name': 'John' });
    expect(order).toHaveLength(4);
    expect(order[1]).toMatchObject({
      invalid: { outcome: 'invalid', profileUrl: 'https://www.linkedin.com/company/acme/' },
    });
    expect(order[0]).toEqual({ key: 'john-doe' });
    expect(order[2]).toEqual({ key: 'john-doe' });
  });
});

describe('matching the audience/multiple answer to what was sent', () => {
  const { send } = prepareProfiles(
    ['john-doe', 'jane-doe', 'max-mustermann', 'j%C3%BCrgen-m%C3%BCller', 'ghost'].map((id) => ({
      profileUrl: `https://www.linkedin.com/in/${id}/`,
    })),
  );

  it('added / refused with reason / refused without reason / unconfirmed', () => {
    const answer = {
      status: 'ok',
      profiles: [
        {
          id: '583654275',
          full_name: 'John Doe',
          public_identifier: 'John-Doe',
          urn: 'ACoAACLJ24MBzmiDMnvfLfdTJgMutVzE2bTVppk',
          state: 'init',
        },
        { id: '99', public_identifier: 'jürgen-müller', state: 'init' },
      ],
      failed: [
        { profile_url: 'https://www.linkedin.com/in/jane-doe', custom_variables: {} },
        { profile_url: 'https://www.linkedin.com/in/max-mustermann/', custom_variables: {} },
      ],
      failedReason: { 'jane-doe': 'alreadyConnected' },
    };
    const r = matchBulkAnswer(send, answer, campaign);
    if ('error' in r) throw new Error(r.error);
    expect(r.outcomes.map((o) => [o.outcome, 'reason' in o ? o.reason : undefined])).toEqual([
      ['added', undefined],
      ['refused', 'alreadyConnected'],
      ['refused', 'unknown'],
      ['added', undefined],
      ['unconfirmed', undefined],
    ]);
    expect(r.outcomes[0]).toMatchObject({ entry: { leadId: '583654275', state: 'init' } });
    expect(r.rejected).toEqual([]);
  });

  it('failedReason keyed by URL is understood too', () => {
    const r = matchBulkAnswer(
      send,
      {
        status: 'ok',
        profiles: [],
        failed: [],
        failedReason: { 'https://www.linkedin.com/in/ghost/': 'miningFailed' },
      },
      campaign,
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.outcomes[4]).toMatchObject({ outcome: 'refused', reason: 'miningFailed' });
  });

  it('an added profile described in an unreadable shape still counts as added, and is reported', () => {
    const r = matchBulkAnswer(
      send.slice(0, 1),
      { status: 'ok', profiles: [{ public_identifier: 'john-doe' }] },
      campaign,
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.outcomes[0]).toMatchObject({ outcome: 'added', entry: undefined });
    expect(r.rejected).toHaveLength(1);
  });

  it('a wrong-shaped answer is an error, not a silent success', () => {
    const r = matchBulkAnswer(send, { status: 'ok', profiles: 'nope' }, campaign);
    expect(r).toHaveProperty('error');
  });
});
