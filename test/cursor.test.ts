import { describe, expect, it } from 'vitest';
import {
  compareLogIds,
  cursorFromDate,
  dateFromLogId,
  isLogId,
  LOG_ID_LENGTH,
  OLDEST_CURSOR,
} from '../src/cursor.js';

// A real-shaped Auth0 log_id: 900 + 2026-01-31T12:34:56Z + 39 digits.
const REAL_ID = '90020260131123456' + '123456789012345678901234567890123456789';

describe('constants', () => {
  it('OLDEST_CURSOR is 56 zeros', () => {
    expect(LOG_ID_LENGTH).toBe(56);
    expect(OLDEST_CURSOR).toBe('0'.repeat(56));
    expect(REAL_ID).toHaveLength(56);
  });
});

describe('isLogId', () => {
  it.each([REAL_ID, OLDEST_CURSOR, '9'.repeat(56)])('accepts %s', (id) => {
    expect(isLogId(id)).toBe(true);
  });
  it.each([
    '',
    '1'.repeat(55),
    '1'.repeat(57),
    `${'1'.repeat(55)}a`,
    ` ${'1'.repeat(55)}`,
    `${'1'.repeat(56)}\n`,
    '١'.repeat(56),
  ])('rejects %j', (id) => {
    expect(isLogId(id)).toBe(false);
  });
});

describe('cursorFromDate', () => {
  it('is 900 + UTC YYYYMMDDhhmmss + 39 zeros', () => {
    const cursor = cursorFromDate(new Date('2026-01-31T12:34:56.789Z'));
    expect(cursor).toBe('90020260131123456' + '0'.repeat(39));
    expect(isLogId(cursor)).toBe(true);
  });
  it('uses UTC, not the local zone', () => {
    expect(cursorFromDate(new Date('2026-01-01T00:30:00+02:00')).slice(0, 17)).toBe('90020251231223000');
  });
  it('pads small fields', () => {
    expect(cursorFromDate(new Date('2001-02-03T04:05:06Z')).slice(0, 17)).toBe('90020010203040506');
  });
  it('sorts before every id of the same second and after ids of the second before', () => {
    const cursor = cursorFromDate(new Date('2026-01-31T12:34:56Z'));
    expect(compareLogIds(cursor, REAL_ID)).toBe(-1);
    const earlier = '90020260131123455' + '9'.repeat(39);
    expect(compareLogIds(earlier, cursor)).toBe(-1);
  });
  it('throws for an invalid date', () => {
    expect(() => cursorFromDate(new Date(NaN))).toThrow(RangeError);
    expect(() => cursorFromDate(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('dateFromLogId', () => {
  it('reads the embedded UTC time', () => {
    expect(dateFromLogId(REAL_ID)?.toISOString()).toBe('2026-01-31T12:34:56.000Z');
  });
  it('round-trips cursorFromDate (to the second)', () => {
    for (const iso of [
      '1970-01-01T00:00:00Z',
      '2024-02-29T23:59:59Z',
      '2026-12-31T00:00:01Z',
      '0050-06-15T10:00:00Z',
    ]) {
      expect(dateFromLogId(cursorFromDate(new Date(iso)))?.getTime()).toBe(new Date(iso).getTime());
    }
  });
  it.each([
    ['the all-zero cursor', OLDEST_CURSOR],
    ['not 56 digits', '9002026013112345'],
    ['month 13', '90020261331123456' + '0'.repeat(39)],
    ['February 30th', '90020260230123456' + '0'.repeat(39)],
    ['February 29th of a common year', '90020250229000000' + '0'.repeat(39)],
    ['hour 24', '90020260131240000' + '0'.repeat(39)],
    ['minute 60', '90020260131126000' + '0'.repeat(39)],
    ['second 60', '90020260131123460' + '0'.repeat(39)],
    ['day 0', '90020260100000000' + '0'.repeat(39)],
  ])('undefined for %s', (_label, id) => {
    expect(dateFromLogId(id)).toBeUndefined();
  });
});

describe('compareLogIds', () => {
  it('orders same-length ids numerically', () => {
    expect(compareLogIds('1'.repeat(56), '2'.repeat(56))).toBe(-1);
    expect(compareLogIds('2'.repeat(56), '1'.repeat(56))).toBe(1);
    expect(compareLogIds(REAL_ID, REAL_ID)).toBe(0);
    expect(compareLogIds(OLDEST_CURSOR, REAL_ID)).toBe(-1);
  });
  it('puts a shorter id first whatever its digits', () => {
    expect(compareLogIds('9', '10')).toBe(-1);
    expect(compareLogIds('10', '9')).toBe(1);
  });
  it('sorts an array', () => {
    const ids = ['3', '20', '100', '11', '2'];
    expect([...ids].sort(compareLogIds)).toEqual(['2', '3', '11', '20', '100']);
  });
});
