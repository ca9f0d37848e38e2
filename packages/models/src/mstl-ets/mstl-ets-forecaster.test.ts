import { addDays, ConfigError, createRng, MSTL_ETS, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { createMstlEtsForecaster } from './mstl-ets-forecaster.js';
import { catchError } from '../testing/catch-error.js';
import { countInterval, drawSeries, negativeBinomial, weekday } from '../testing/synthetic.js';
import { ALL_ZERO_METHOD, INTERMITTENT_METHOD } from '../series/with-fallback.js';

const AS_OF = '2025-07-01';
/** A B2B week: quiet weekends, busy Tuesdays (index 0 = Sunday). */
const WEEK = [0.3, 1.2, 1.3, 1.2, 1.1, 1.0, 0.4];

describe('createMstlEtsForecaster', () => {
  it.each([
    { noise: 'Poisson', phi: 0 },
    { noise: 'overdispersed (negative binomial, φ = 0.2)', phi: 0.2 },
  ])('recovers a weekly-seasonal $noise series: the mean within a few %, 95% bands covering simulated futures', async ({ phi }) => {
    const random = createRng(11);
    const rate = (day: number): number => 10 * (WEEK[weekday(day)] ?? 1);
    const start = addDays(AS_OF, -364);
    const values = Array.from({ length: 364 }, (_, t) => negativeBinomial(random, rate(toDayNumber(start) + t), phi));
    const horizon = 28;
    const [forecast] = await createMstlEtsForecaster().forecast({ asOf: AS_OF, horizon, series: [{ key: 'web', start, values }] });

    expect(forecast?.method).toBe(MSTL_ETS);
    const first = toDayNumber(AS_OF);
    const truth = Array.from({ length: horizon }, (_, h) => rate(first + h));
    const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
    // An ETS level on weekly rates weighs the last months: a few % standard error at ten a day.
    expect(Math.abs(total(forecast?.mean ?? []) / total(truth) - 1)).toBeLessThan(0.1);
    // The weekly shape comes back: every Tuesday forecast is above every Sunday forecast.
    const byWeekday = (d: number): number[] => (forecast?.mean ?? []).filter((_, h) => weekday(first + h) === d);
    expect(Math.min(...byWeekday(2))).toBeGreaterThan(Math.max(...byWeekday(0)) * 2);

    let covered = 0;
    let draws = 0;
    forecast?.mean.forEach((mean, h) => {
      const [lower, upper] = countInterval(mean, forecast.variance[h] ?? 0, 0.95);
      for (let i = 0; i < 100; i++, draws++) {
        const y = negativeBinomial(random, truth[h] ?? 0, phi);
        if (y >= lower && y <= upper) covered++;
      }
    });
    expect(covered / draws).toBeGreaterThanOrEqual(0.85);
    expect(covered / draws).toBeLessThanOrEqual(1);
  });

  it('gives sparse series the recent-rate model, recovering their rate with spread that grows with the horizon', async () => {
    const trueRate = 0.4;
    const series = Array.from({ length: 8 }, (_, k) => ({
      key: `sparse-${k}`,
      ...drawSeries(createRng(100 + k), AS_OF, 365, () => trueRate),
    }));
    const horizon = 30;
    const forecasts = await createMstlEtsForecaster().forecast({ asOf: AS_OF, horizon, series });

    expect(forecasts.map((f) => f.method)).toEqual(series.map(() => INTERMITTENT_METHOD));
    const means = forecasts.map((f) => f.mean.reduce((a, b) => a + b, 0) / horizon);
    const average = means.reduce((a, b) => a + b, 0) / means.length;
    expect(Math.abs(average / trueRate - 1)).toBeLessThan(0.12);
    for (const f of forecasts) {
      // The rate is estimated, so the spread exceeds Poisson, and more so further out.
      expect(f.variance[0] ?? 0).toBeGreaterThan(f.mean[0] ?? 0);
      const excess = (h: number): number => ((f.variance[h] ?? 0) - (f.mean[h] ?? 0)) / (f.mean[h] ?? 1) ** 2;
      expect(excess(horizon - 1)).toBeGreaterThan(excess(0));
    }
  });

  it('gives a sparse series the week its busy siblings show', async () => {
    const rate = (scale: number) => (day: number): number => scale * (WEEK[weekday(day)] ?? 1);
    const busy = Array.from({ length: 6 }, (_, k) => ({ key: `busy-${k}`, ...drawSeries(createRng(300 + k), AS_OF, 364, rate(8)) }));
    const sparse = { key: 'sparse', ...drawSeries(createRng(400), AS_OF, 364, rate(0.1)) };
    const forecasts = await createMstlEtsForecaster().forecast({ asOf: AS_OF, horizon: 14, series: [...busy, sparse] });
    const forecast = forecasts.find((f) => f.key === 'sparse');
    expect(forecast?.method).toBe(INTERMITTENT_METHOD);
    const first = toDayNumber(AS_OF);
    const on = (d: number): number => (forecast?.mean ?? []).find((_, h) => weekday(first + h) === d) ?? NaN;
    // Tuesday over Sunday is 1.3 / 0.3 in truth; a flat week would give 1.
    expect(on(2) / on(0)).toBeGreaterThan(3);
  });

  it('fits ETS to a sparse series when the intermittency rule is relaxed', async () => {
    const { start, values } = drawSeries(createRng(4), AS_OF, 365, () => 0.6);
    const forecaster = createMstlEtsForecaster({ minMeanPerDay: 0, maxZeroShare: 1 });
    const [forecast] = await forecaster.forecast({ asOf: AS_OF, horizon: 14, series: [{ key: 'sparse', start, values }] });
    expect(forecast?.method).toBe(MSTL_ETS);
    const rate = (forecast?.mean ?? []).reduce((a, b) => a + b, 0) / 14;
    expect(rate).toBeGreaterThan(0.45);
    expect(rate).toBeLessThan(0.75);
  });

  it('forecasts a history too short for ETS at its recent rate', async () => {
    const { start, values } = drawSeries(createRng(3), AS_OF, 30, () => 20);
    const [forecast] = await createMstlEtsForecaster().forecast({ asOf: AS_OF, horizon: 7, series: [{ key: 'new', start, values }] });
    expect(forecast?.method).toBe(INTERMITTENT_METHOD);
    expect(forecast?.mean[0]).toBeGreaterThan(15);
    expect(forecast?.mean[0]).toBeLessThan(25);
  });

  it('expects the recovery after a seasonal dip that every series went through a year before', async () => {
    // Two years of a shared season: a summer at 60% of the level. The forecast is made as this summer ends.
    const asOf = '2025-09-15';
    const first = toDayNumber(asOf) - 728;
    const summer = (day: number): number => {
      const inYear = (day - first) % 364;
      return inYear >= 250 && inYear < 350 ? 0.6 : 1;
    };
    const rate = (k: number) => (day: number): number => (2 + k) * (WEEK[weekday(day)] ?? 1) * summer(day);
    const series = Array.from({ length: 10 }, (_, k) => ({ key: `c${k}`, ...drawSeries(createRng(200 + k), asOf, 728, rate(k)) }));
    const horizon = 28;
    const forecasts = await createMstlEtsForecaster().forecast({ asOf, horizon, series });
    const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
    const forecastTotal = total(forecasts.flatMap((f) => f.mean));
    const truth = total(series.flatMap((_, k) => Array.from({ length: horizon }, (__, h) => rate(k)(toDayNumber(asOf) + h))));
    expect(Math.abs(forecastTotal / truth - 1)).toBeLessThan(0.06);
  });

  it('handles degenerate histories without NaN: all zeros, one day, a constant, nothing', async () => {
    const horizon = 10;
    const forecasts = await createMstlEtsForecaster().forecast({
      asOf: AS_OF,
      horizon,
      series: [
        { key: 'zeros', start: '2024-07-01', values: new Array<number>(365).fill(0) },
        { key: 'one-day', start: '2025-06-30', values: [3] },
        { key: 'constant', start: '2024-07-01', values: new Array<number>(365).fill(4) },
        { key: 'empty', start: AS_OF, values: [] },
      ],
    });
    expect(forecasts.map((f) => f.key)).toEqual(['zeros', 'one-day', 'constant', 'empty']);
    for (const f of forecasts) {
      expect(f.mean).toHaveLength(horizon);
      expect(f.variance).toHaveLength(horizon);
      expect([...f.mean, ...f.variance].every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
    const [zeros, oneDay, constant, empty] = forecasts;
    expect(zeros?.method).toBe(ALL_ZERO_METHOD);
    expect(zeros?.mean.every((m) => m === 0)).toBe(true);
    expect(empty?.mean.every((m) => m === 0)).toBe(true);
    expect(oneDay?.method).toBe(INTERMITTENT_METHOD);
    // One day is not a rate: its three leads are read over at least 28 / 3 days of exposure (≈ 3 / 8.5 weighted
    // days), not as three a day.
    expect(oneDay?.mean[0]).toBeGreaterThan(0.25);
    expect(oneDay?.mean[0]).toBeLessThan(0.45);
    expect(oneDay?.variance[0]).toBeGreaterThan(oneDay?.mean[0] ?? 0);
    expect(constant?.method).toBe(MSTL_ETS);
    // Its own flat week, barely moved toward the pooled one by the other series' single busy Monday.
    expect(constant?.mean.every((m) => Math.abs(m - 4) < 0.02)).toBe(true);
    // A constant history still gets at least Poisson spread: a count forecast is never certain.
    expect(constant?.variance.every((v, h) => v >= (constant.mean[h] ?? 0) - 1e-9)).toBe(true);
  });

  it('refuses invalid options, listing each one', () => {
    const thrown = catchError(() => createMstlEtsForecaster({ halfLifeDays: -1, maxZeroShare: 2 }));
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map((p) => p.where).sort()).toEqual(['mstl-ets.halfLifeDays', 'mstl-ets.maxZeroShare']);
  });
});
