import { createRng, samplePoissonByInversion } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { simulateArma } from '../testing/simulate-arima.js';
import { forecastWeeklyAutoArima } from './weekly-auto-arima.js';

/** A B2B week by position from the first day: quiet weekends, busy mid-week; mean 1. */
const WEEK = [0.3, 1.2, 1.3, 1.25, 1.2, 1.15, 0.6];

describe('forecastWeeklyAutoArima', () => {
  it('forecasts a weekly-seasonal series with its weekly shape, week after week', () => {
    const random = createRng(71);
    const values = Array.from({ length: 730 }, (_, t) => samplePoissonByInversion(random, 10 * (WEEK[t % 7] ?? 1)));
    const { point, factors } = forecastWeeklyAutoArima(values, 28);
    factors.forEach((f, i) => expect(Math.abs(f - (WEEK[i] ?? 0))).toBeLessThan(0.05));
    // The series starts on position 0 and has 730 = 104·7 + 2 days, so the first forecast day is position 2.
    point.forEach((m, h) => expect(Math.abs(m / (10 * (WEEK[(730 + h) % 7] ?? 0)) - 1)).toBeLessThan(0.08));
  });

  it('leaves a series with no weekly pattern alone: plain AutoARIMA, reverting to the mean', () => {
    const values = simulateArma(createRng(72), { ar: [0.6], mean: 20 }, 730);
    values.push(30);
    const { point, factors, fit } = forecastWeeklyAutoArima(values, 40);
    expect(factors).toEqual(new Array<number>(7).fill(1));
    expect(fit.order.d).toBe(0);
    expect(point[0]).toBeGreaterThan(24);
    expect(Math.abs((point[39] ?? 0) - 20)).toBeLessThan(0.5);
  });
});
