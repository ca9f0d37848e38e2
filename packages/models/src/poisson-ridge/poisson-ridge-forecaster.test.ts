import { ConfigError, createRng, samplePoissonByInversion, toDayNumber, V3_RIDGE } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { createPoissonRidgeForecaster } from './poisson-ridge-forecaster.js';
import { catchError } from '../testing/catch-error.js';
import { countInterval, drawSeries, weekday } from '../testing/synthetic.js';
import { ALL_ZERO_METHOD, INTERMITTENT_METHOD } from '../series/with-fallback.js';

const AS_OF = '2026-01-05';
const FIRST = toDayNumber(AS_OF);
const DAYS = 730;
const WEEK = [0.3, 1.2, 1.3, 1.2, 1.1, 1.0, 0.4];
const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Two segments trending apart: one growing ~0.3%/day, one shrinking ~0.25%/day. */
const SEGMENTS = {
  Outbound: (day: number) => 4 * Math.exp(0.003 * (day - FIRST + DAYS)) * (WEEK[weekday(day)] ?? 1),
  Inbound_Marketing: (day: number) => 60 * Math.exp(-0.0025 * (day - FIRST + DAYS)) * (WEEK[weekday(day)] ?? 1),
} as const;

async function forecastSegments(horizon: number) {
  const random = createRng(2024);
  const series = Object.entries(SEGMENTS).map(([key, rate]) => ({ key, ...drawSeries(random, AS_OF, DAYS, rate) }));
  const forecasts = await createPoissonRidgeForecaster().forecast({ asOf: AS_OF, horizon, series });
  return { random, series, forecasts };
}

describe('createPoissonRidgeForecaster', () => {
  it('follows each segment’s trend 60 days out, where a flat recent mean does not', async () => {
    const { series, forecasts } = await forecastSegments(63);
    expect(forecasts.map((f) => [f.key, f.method])).toEqual([
      ['Outbound', V3_RIDGE],
      ['Inbound_Marketing', V3_RIDGE],
    ]);
    forecasts.forEach((forecast, s) => {
      const rate = Object.values(SEGMENTS)[s] ?? (() => 0);
      // The week around day 60, so the weekday profile's own estimation noise does not dominate.
      const week = Array.from({ length: 7 }, (_, i) => 56 + i);
      const truth = total(week.map((h) => rate(FIRST + h)));
      const predicted = total(week.map((h) => forecast.mean[h] ?? 0));
      expect(Math.abs(predicted / truth - 1)).toBeLessThan(0.1);
      // The same test fails a flat forecast at the last four weeks' level, with room to spare.
      const flat = total(series[s]?.values.slice(-28) ?? []) / 4;
      expect(Math.abs(flat / truth - 1)).toBeGreaterThan(0.12);
    });
  });

  it('builds far lags recursively: the forecast keeps moving with the trend instead of settling on a constant', async () => {
    const { forecasts } = await forecastSegments(84);
    forecasts.forEach((forecast, s) => {
      const rate = Object.values(SEGMENTS)[s] ?? (() => 0);
      const weekTotal = (from: number, xs: (h: number) => number): number =>
        total(Array.from({ length: 7 }, (_, i) => xs(from + i)));
      const predictedRatio = weekTotal(77, (h) => forecast.mean[h] ?? 0) / weekTotal(0, (h) => forecast.mean[h] ?? 0);
      const trueRatio = weekTotal(77, (h) => rate(FIRST + h)) / weekTotal(0, (h) => rate(FIRST + h));
      expect(Math.abs(trueRatio - 1)).toBeGreaterThan(0.15);
      expect(Math.abs(predictedRatio / trueRatio - 1)).toBeLessThan(0.06);
    });
  });

  it('gives intervals from its backtest that widen with the horizon and cover simulated futures', async () => {
    const horizon = 90;
    const { random, forecasts } = await forecastSegments(horizon);
    let covered = 0;
    let draws = 0;
    forecasts.forEach((forecast, s) => {
      const rate = Object.values(SEGMENTS)[s] ?? (() => 0);
      const dispersion = forecast.mean.map((m, h) => ((forecast.variance[h] ?? 0) - m) / (m * m));
      dispersion.forEach((phi, h) => {
        expect(phi).toBeGreaterThanOrEqual(-1e-12);
        if (h > 0) expect(phi).toBeGreaterThanOrEqual((dispersion[h - 1] ?? 0) - 1e-12);
      });
      forecast.mean.forEach((mean, h) => {
        const [lower, upper] = countInterval(mean, forecast.variance[h] ?? 0, 0.95);
        for (let i = 0; i < 40; i++, draws++) {
          const y = samplePoissonByInversion(random, rate(FIRST + h));
          if (y >= lower && y <= upper) covered++;
        }
      });
    });
    expect(covered / draws).toBeGreaterThanOrEqual(0.85);
    expect(covered / draws).toBeLessThanOrEqual(1);
  });

  it('leaves short histories to the recent rate and forecasts an all-zero segment as zero', async () => {
    const random = createRng(5);
    const forecasts = await createPoissonRidgeForecaster().forecast({
      asOf: AS_OF,
      horizon: 14,
      series: [
        { key: 'Partnerships_Referrals', ...drawSeries(random, AS_OF, 60, () => 3) },
        { key: 'Other', start: '2025-01-05', values: new Array<number>(365).fill(0) },
        { key: 'Flat', start: '2025-01-05', values: new Array<number>(365).fill(2) },
      ],
    });
    expect(forecasts.map((f) => f.method)).toEqual([INTERMITTENT_METHOD, ALL_ZERO_METHOD, V3_RIDGE]);
    expect(forecasts[1]?.mean.every((m) => m === 0)).toBe(true);
    expect(forecasts[2]?.mean.every((m) => Math.abs(m - 2) < 0.05)).toBe(true);
    for (const f of forecasts) expect([...f.mean, ...f.variance].every(Number.isFinite)).toBe(true);
  });

  it('refuses invalid options, listing each one', () => {
    const thrown = catchError(() => createPoissonRidgeForecaster({ l2: -1, backtestOrigins: 0 }));
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map((p) => p.where).sort()).toEqual(['v3-ridge.backtestOrigins', 'v3-ridge.l2']);
  });
});

describe('createPoissonRidgeForecaster under two years of history', () => {
  // A 35%-deep summer dip centred three weeks after the as-of date, seen once, a year earlier, in 600 days.
  const asOf = '2026-07-01';
  const first = toDayNumber(asOf);
  const dipCentre = first + 21;
  const dip = (day: number): number => {
    const phase = (((day - dipCentre) % 364) + 364) % 364;
    return 1 - 0.35 * Math.exp(-0.5 * (Math.min(phase, 364 - phase) / 18) ** 2);
  };
  const segments = {
    Inbound_Marketing: (day: number) => 24 * Math.exp((0.1 * (day - first)) / 365) * (WEEK[weekday(day)] ?? 1) * dip(day),
    Outbound: (day: number) => 10 * Math.exp((0.05 * (day - first)) / 365) * (WEEK[weekday(day)] ?? 1) * dip(day),
  } as const;

  it('follows the dip a year earlier showed, which the recent level alone does not', async () => {
    const random = createRng(77);
    const series = Object.entries(segments).map(([key, rate]) => ({ key, ...drawSeries(random, asOf, 600, rate) }));
    const horizon = 30;
    const forecasts = await createPoissonRidgeForecaster().forecast({ asOf, horizon, series });
    const days = Array.from({ length: horizon }, (_, h) => first + h);
    const truth = total(Object.values(segments).flatMap((rate) => days.map(rate)));
    const predicted = total(forecasts.flatMap((f) => f.mean));
    expect(forecasts.map((f) => f.method)).toEqual([V3_RIDGE, V3_RIDGE]);
    // Without the year-ago factor this forecast is 38% too high.
    expect(Math.abs(predicted / truth - 1)).toBeLessThan(0.1);
    // The test has teeth: the last four weeks' level carried forward is far off.
    const flat = (total(series.flatMap((s) => s.values.slice(-28))) * horizon) / 28;
    expect(flat / truth - 1).toBeGreaterThan(0.15);
  });
});
