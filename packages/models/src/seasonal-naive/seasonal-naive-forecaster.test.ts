import { SEASONAL_NAIVE, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { createSeasonalNaiveForecaster } from './seasonal-naive-forecaster.js';
import { weekday } from '../testing/synthetic.js';

describe('createSeasonalNaiveForecaster', () => {
  it('forecasts each weekday as its mean over the last eight weeks, with their dispersion', async () => {
    const asOf = '2025-06-02';
    const first = toDayNumber(asOf) - 70;
    // Ten weeks; only the last eight may count. Mondays alternate 10 and 20, other days are 3, older weeks 100.
    const values = Array.from({ length: 70 }, (_, t) => {
      if (t < 14) return 100;
      if (weekday(first + t) !== 1) return 3;
      return t % 14 < 7 ? 10 : 20;
    });
    const [f] = await createSeasonalNaiveForecaster().forecast({
      asOf,
      horizon: 8,
      series: [{ key: 'k', start: '2025-03-24', values }],
    });
    expect(f?.method).toBe(SEASONAL_NAIVE);
    // asOf is a Monday.
    expect(f?.mean[0]).toBeCloseTo(15, 9);
    expect(f?.mean[7]).toBeCloseTo(15, 9);
    const mondayVariance = (8 * 25) / 7;
    expect(f?.variance[0]).toBeCloseTo(mondayVariance * (1 + 1 / 8), 9);
    // A constant weekday still gets the Poisson floor.
    expect(f?.mean[1]).toBeCloseTo(3, 9);
    expect(f?.variance[1]).toBeCloseTo(3 * (1 + 1 / 8), 9);
  });

  it('uses whatever days there are when the history is shorter than a week', async () => {
    const [f] = await createSeasonalNaiveForecaster().forecast({
      asOf: '2025-06-03',
      horizon: 7,
      series: [{ key: 'k', start: '2025-06-01', values: [2, 4] }],
    });
    expect(f?.mean).toEqual([3, 3, 3, 3, 3, 2, 4]);
    expect([...(f?.mean ?? []), ...(f?.variance ?? [])].every(Number.isFinite)).toBe(true);
  });
});
