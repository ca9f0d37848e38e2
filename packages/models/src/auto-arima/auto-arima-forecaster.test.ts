import { addDays, createRng, samplePoissonByInversion, toDayNumber, V1_AUTO_ARIMA } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { createAutoArimaForecaster } from './auto-arima-forecaster.js';
import { countInterval, drawSeries, weekday } from '../testing/synthetic.js';
import { ALL_ZERO_METHOD, INTERMITTENT_METHOD } from '../series/with-fallback.js';

const AS_OF = '2025-07-01';
/** A B2B week: quiet weekends, busy Tuesdays (index 0 = Sunday). */
const WEEK = [0.3, 1.2, 1.3, 1.2, 1.1, 1.0, 0.4];
const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('createAutoArimaForecaster', () => {
  it('forecasts a weekly-seasonal count series with its weekly shape, and bands that cover simulated futures', async () => {
    const random = createRng(51);
    const rate = (day: number): number => 8 * (WEEK[weekday(day)] ?? 1);
    const { start, values } = drawSeries(random, AS_OF, 730, rate);
    const horizon = 28;
    const [forecast] = await createAutoArimaForecaster().forecast({ asOf: AS_OF, horizon, series: [{ key: 'web', start, values }] });

    expect(forecast?.method).toBe(V1_AUTO_ARIMA);
    const first = toDayNumber(AS_OF);
    const truth = Array.from({ length: horizon }, (_, h) => rate(first + h));
    expect(Math.abs(total(forecast?.mean ?? []) / total(truth) - 1)).toBeLessThan(0.05);
    // The shape holds four weeks out rather than flattening: every weekday above every weekend day, twice over,
    // and every day within 20% of its rate (weekend days have a couple of leads: their factors are the noisiest).
    const weekdays = (forecast?.mean ?? []).filter((_, h) => ![0, 6].includes(weekday(first + h)));
    const weekends = (forecast?.mean ?? []).filter((_, h) => [0, 6].includes(weekday(first + h)));
    expect(Math.min(...weekdays)).toBeGreaterThan(2 * Math.max(...weekends));
    forecast?.mean.forEach((m, h) => expect(Math.abs(m / (truth[h] ?? 1) - 1)).toBeLessThan(0.2));

    let covered = 0;
    let draws = 0;
    forecast?.mean.forEach((mean, h) => {
      const [lower, upper] = countInterval(mean, forecast.variance[h] ?? 0, 0.95);
      for (let i = 0; i < 100; i++, draws++) {
        const y = samplePoissonByInversion(random, truth[h] ?? 0);
        if (y >= lower && y <= upper) covered++;
      }
    });
    expect(covered / draws).toBeGreaterThanOrEqual(0.9);
  });

  it('widens its intervals with the horizon and never below Poisson', async () => {
    // A level that wanders: the model has to difference, and its uncertainty accumulates.
    const random = createRng(52);
    let level = 10;
    const start = addDays(AS_OF, -400);
    const values = Array.from({ length: 400 }, () => samplePoissonByInversion(random, (level = Math.max(2, level + (random() - 0.5)))));
    const [forecast] = await createAutoArimaForecaster().forecast({ asOf: AS_OF, horizon: 60, series: [{ key: 'drift', start, values }] });
    const excess = (h: number): number => (forecast?.variance[h] ?? 0) - (forecast?.mean[h] ?? 0);
    expect(forecast?.variance.every((v, h) => v >= (forecast.mean[h] ?? 0))).toBe(true);
    expect(excess(59)).toBeGreaterThan(3 * excess(0));
    for (let h = 7; h < 60; h++) expect(excess(h)).toBeGreaterThanOrEqual(excess(h - 7) - 1e-9);
  });

  it('leaves short histories to the recent rate and forecasts an all-zero one as zero', async () => {
    const forecasts = await createAutoArimaForecaster().forecast({
      asOf: AS_OF,
      horizon: 14,
      series: [
        { key: 'short', ...drawSeries(createRng(53), AS_OF, 20, () => 12) },
        { key: 'zero', start: addDays(AS_OF, -120), values: new Array<number>(120).fill(0) },
      ],
    });
    expect(forecasts.map((f) => f.method)).toEqual([INTERMITTENT_METHOD, ALL_ZERO_METHOD]);
    expect(forecasts[1]?.mean.every((m) => m === 0)).toBe(true);
  });
});
