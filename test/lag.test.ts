import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LagHistogram } from '../src/lag.js';

/** Nearest-rank quantile of a list: what the histogram approximates. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('LagHistogram', () => {
  it('has no figures before anything is measured', () => {
    expect(new LagHistogram().figures()).toBeUndefined();
  });

  it('gives median, 95th percentile and the exact maximum', () => {
    const lags = new LagHistogram();
    for (let i = 1; i <= 100; i++) lags.add(i * 1000); // 1 s … 100 s
    const figures = lags.figures()!;
    expect(figures.count).toBe(100);
    expect(figures.maxMs).toBe(100_000);
    expect(figures.medianMs).toBeGreaterThanOrEqual(50_000);
    expect(figures.medianMs).toBeLessThanOrEqual(50_000 * 1.05);
    expect(figures.p95Ms).toBeGreaterThanOrEqual(95_000);
    expect(figures.p95Ms).toBeLessThanOrEqual(95_000 * 1.05);
  });

  it('is within 5 % of the exact quantiles (or 100 ms for short lags), never above the maximum (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * 86_400_000 }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const lags = new LagHistogram();
          for (const value of values) lags.add(value);
          const figures = lags.figures()!;
          for (const [q, got] of [
            [0.5, figures.medianMs],
            [0.95, figures.p95Ms],
          ] as const) {
            const want = exact(values, q);
            expect(got).toBeGreaterThanOrEqual(want);
            expect(got).toBeLessThanOrEqual(Math.max(want * 1.05, 100));
            expect(got).toBeLessThanOrEqual(figures.maxMs);
          }
          expect(figures.maxMs).toBe(Math.max(...values));
        },
      ),
    );
  });

  it('counts a negative lag (runner clock behind Auth0) as 0 and ignores unreadable dates', () => {
    const lags = new LagHistogram();
    lags.add(-5_000);
    // As the pipeline computes them: acknowledged at − Date.parse(event.date), NaN when it does not parse.
    lags.add(0 - Date.parse('not a date'));
    lags.add(Date.parse('2026-11-01T00:00:02.000Z') - Date.parse('2026-11-01T00:00:00.000Z'));
    // The median is the first bucket's upper end: lags under 100 ms are not told apart.
    expect(lags.figures()).toEqual({ count: 2, medianMs: 100, p95Ms: 2_000, maxMs: 2_000 });
  });

  it('takes a million lags in fixed memory: a late outlier moves the maximum, not the median', () => {
    const lags = new LagHistogram();
    for (let i = 0; i < 1_000_000; i++) lags.add(2_000 + (i % 1000));
    lags.add(90 * 86_400_000); // beyond the last bucket: still the exact maximum
    const figures = lags.figures()!;
    expect(figures.count).toBe(1_000_001);
    expect(figures.medianMs).toBeGreaterThanOrEqual(2_500);
    expect(figures.medianMs).toBeLessThanOrEqual(2_500 * 1.05);
    expect(figures.maxMs).toBe(90 * 86_400_000);
  });
});
