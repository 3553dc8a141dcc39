import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['30', 30_000],
    ['0', 0],
    ['0s', 0],
    ['1.5h', 5_400_000],
    ['0.5', 500],
    ['  45s  ', 45_000],
    ['10 m', 600_000],
    ['007m', 420_000],
  ])('%j -> %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    ' ',
    '-5s',
    '-5',
    '+5s',
    '5ms',
    '5w',
    '5M',
    '5H',
    '1h30m',
    '1h 30m',
    '.5h',
    '5.',
    '1e3',
    'Infinity',
    'NaN',
    'abc',
    's',
    '5 s s',
    '0x10',
    '99999999999999999999d',
  ])('%j -> undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [999, '999ms'],
    [999.7, '1s'],
    [1000, '1s'],
    [2100, '2.1s'],
    [2149, '2.1s'],
    [45_000, '45s'],
    [59_940, '59.9s'],
    [59_960, '1m'],
    [90_000, '1m 30s'],
    [120_000, '2m'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h'],
    [3_900_000, '1h 5m'],
    [86_400_000, '1d'],
    [2 * 86_400_000 + 3 * 3_600_000, '2d 3h'],
    [-1500, '-1.5s'],
  ])('%d ms -> %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for single-unit values', () => {
    for (const text of ['45s', '10m', '2h', '7d']) {
      const ms = parseDuration(text);
      expect(ms).toBeDefined();
      expect(parseDuration(formatDuration(ms ?? 0))).toBe(ms);
    }
  });
});
