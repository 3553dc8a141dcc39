import { describe, it, expect } from 'vitest';
import { createSelection, type SelectOptions } from '../src/choose/select.js';
import { LOG_TYPES } from '../src/auth0/log-types.js';

// Levels used below (from the table): f 3, fp 3, s 1, sapi 1, fapi 3, w 2, api_limit 4, cls 0, pla 0 (assigned).

interface Case {
  name: string;
  options: SelectOptions;
  match: Array<string | undefined>;
  noMatch: Array<string | undefined>;
}

const cases: Case[] = [
  {
    name: 'no types, no level: everything but Management API operations',
    options: { logTypes: [], logLevel: undefined },
    match: ['s', 'f', 'w', 'api_limit', 'cls', undefined, 'not_a_known_code', ''],
    noMatch: ['sapi', 'fapi', 'mgmt_api_read'],
  },
  {
    name: 'types only: exactly the listed types',
    options: { logTypes: ['f', 'sapi', 'brand_new_code'], logLevel: undefined },
    match: ['f', 'sapi', 'brand_new_code'],
    noMatch: ['fp', 's', 'api_limit', 'fapi', undefined, 'other_unknown'],
  },
  {
    name: 'level only: known types at or above the level',
    options: { logTypes: [], logLevel: 3 },
    match: ['f', 'fp', 'fapi', 'api_limit', 'limit_wc'],
    noMatch: ['s', 'sapi', 'w', 'cls', undefined, 'not_a_known_code'],
  },
  {
    name: 'types OR level',
    options: { logTypes: ['s', 'cls'], logLevel: 4 },
    match: ['s', 'cls', 'api_limit', 'limit_mu'],
    noMatch: ['f', 'w', 'sapi', 'ss', undefined],
  },
  {
    name: 'unknown types never match by level, even at level 0',
    options: { logTypes: [], logLevel: 0 },
    match: ['s', 'cls', 'pla', 'sapi', 'fapi', 'mgmt_api_read'],
    noMatch: [undefined, 'not_a_known_code', ''],
  },
  {
    name: 'an unknown type listed in log-types matches by being listed',
    options: { logTypes: ['future_code'], logLevel: 0 },
    match: ['future_code', 'f'],
    noMatch: ['other_future_code', undefined],
  },
  {
    name: 'categories only: exactly their types',
    options: { logTypes: [], logLevel: undefined, logCategories: ['auth.login.fail', 'management.fail'] },
    match: ['f', 'fp', 'fu', 'fapi'],
    noMatch: ['s', 'sapi', 'w', 'api_limit', undefined, 'not_a_known_code'],
  },
  {
    name: 'types OR categories OR level',
    options: { logTypes: ['s'], logLevel: 4, logCategories: ['auth.login.notification'] },
    match: ['s', 'w', 'api_limit', 'limit_mu'],
    noMatch: ['f', 'ss', 'sapi', undefined],
  },
  {
    name: "'other': the types no category lists, codes newer than the tables included",
    options: { logTypes: [], logLevel: undefined, logCategories: ['other'] },
    match: ['acls_summary', 'pwd_leak', 'gd_send_sms', 'brand_new_code'],
    noMatch: ['f', 's', 'sapi', 'api_limit', undefined],
  },
];

describe('createSelection', () => {
  describe.each(cases)('$name', ({ options, match, noMatch }) => {
    const filter = createSelection(options);
    it.each(match.map((t) => [t]))('matches %j', (type) => {
      expect(filter.matches(type)).toBe(true);
    });
    it.each(noMatch.map((t) => [t]))('does not match %j', (type) => {
      expect(filter.matches(type)).toBe(false);
    });
  });

  it('level 0 matches every known type', () => {
    const filter = createSelection({ logTypes: [], logLevel: 0 });
    const rejected = [...LOG_TYPES.keys()].filter((code) => !filter.matches(code));
    expect(rejected).toEqual([]);
  });

  it('level N matches exactly the known types with level >= N', () => {
    for (const level of [0, 1, 2, 3, 4]) {
      const filter = createSelection({ logTypes: [], logLevel: level });
      for (const [code, info] of LOG_TYPES) {
        expect(filter.matches(code), `${code} at level ${level}`).toBe(
          info.level !== undefined && info.level >= level,
        );
      }
    }
  });

  it('a level above 4 matches only listed types', () => {
    const filter = createSelection({ logTypes: ['w'], logLevel: 5 });
    expect([...LOG_TYPES.keys()].filter((code) => filter.matches(code))).toEqual(['w']);
  });

  it.each<[SelectOptions, string[]]>([
    [{ logTypes: [], logLevel: undefined }, []],
    [{ logTypes: ['f', 'fp'], logLevel: 3 }, []],
    [
      { logTypes: ['f', 'typo_code', 'fp', 'new_code', 'typo_code'], logLevel: undefined },
      ['typo_code', 'new_code'],
    ],
    [{ logTypes: ['F'], logLevel: 2 }, ['F']],
  ])('reports unknown codes for %j', (options, unknown) => {
    expect(createSelection(options).unknownCodes).toEqual(unknown);
  });

  it.each<[SelectOptions, string]>([
    [
      { logTypes: [], logLevel: undefined },
      'every event except Management API operations (sapi, fapi, mgmt_api_read)',
    ],
    [{ logTypes: ['f', 'fp'], logLevel: 3 }, 'types f, fp or level >= 3 (error)'],
    [{ logTypes: ['f', 'fp'], logLevel: undefined }, 'types f, fp'],
    [{ logTypes: ['f'], logLevel: undefined }, 'type f'],
    [{ logTypes: [], logLevel: 0 }, 'level >= 0 (debug)'],
    [{ logTypes: [], logLevel: 4 }, 'level >= 4 (critical)'],
    [{ logTypes: [], logLevel: undefined, logCategories: ['user.fail'] }, 'category user.fail'],
    [
      { logTypes: ['f'], logLevel: 3, logCategories: ['auth.login.fail', 'other'] },
      'type f or categories auth.login.fail, other or level >= 3 (error)',
    ],
  ])('describes %j', (options, text) => {
    expect(createSelection(options).describe()).toBe(text);
  });
});
