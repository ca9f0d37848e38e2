import { describe, expect, it } from 'vitest';
import { forecastRecentRate, type DayShape } from './recent-rate.js';

const START = 20_000;

describe('forecastRecentRate', () => {
  it('reads one lead on the last day over four weeks of exposure, however small the day shape made that day', () => {
    // Issue 9's blow-up: a combination's first and only lead arrived the day before the as-of date, on a day the
    // pooled shape expects almost nothing of (a holiday), so the rate was 1 / 0.014 ≈ 72 a day.
    const holiday: DayShape = { factor: (day) => (day === START ? 0.014 : 1), excluded: () => false };
    const { mean } = forecastRecentRate([1], START, 30, { halfLifeDays: 28 }, holiday);
    const month = mean.reduce((a, b) => a + b, 0);
    expect(month).toBeLessThan(1.6);
    expect(month).toBeGreaterThan(0.5);
  });

  it('trusts a few days of exposure once they hold many leads: a channel launched two days ago at ten a day', () => {
    const { mean } = forecastRecentRate([10, 10], START, 30, { halfLifeDays: 28 }, { factor: () => 1, excluded: () => false });
    // Exposure floored at 28 / 20 days, not 28: the rate is about what it was, not a fourteenth of it.
    expect(mean[0]).toBeGreaterThan(8);
  });

  it('keeps the rate of a long steady history', () => {
    const values = Array.from({ length: 200 }, (_, t) => (t % 2 === 0 ? 3 : 5));
    const { mean } = forecastRecentRate(values, START, 14, { halfLifeDays: 28 }, { factor: () => 1, excluded: () => false });
    expect(mean.every((m) => Math.abs(m - 4) < 0.1)).toBe(true);
  });
});
