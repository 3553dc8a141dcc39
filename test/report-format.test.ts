import { describe, expect, it } from 'vitest';
import { count } from '../src/report/words.js';

describe('count', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [12345, '12,345'],
    [1234567, '1,234,567'],
    [1000000000, '1,000,000,000'],
    [-1234, '-1,234'],
    [1234.5, '1,234.5'],
  ])('%d → %s (what toLocaleString("en-US") writes)', (n, text) => {
    expect(count(n)).toBe(text);
    expect(count(n)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 20 }));
  });
});
