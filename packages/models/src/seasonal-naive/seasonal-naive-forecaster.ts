import { SEASONAL_NAIVE, type Forecaster } from '@funnelcast/core';
import { dayOfWeek } from '../calendar/day-of-week.js';
import { forecastEachSeries } from '../series/forecast-each-series.js';
import type { Moments } from '../series/predictive-series.js';
import { DEFAULT_RECENT_RATE } from '../recent-rate/recent-rate.js';
import { forecastWithFallback } from '../series/with-fallback.js';


/** How many past same-weekdays the forecast averages. */
const WEEKS = 8;

/**
 * Same-weekday mean of the last {@link WEEKS} weeks. The variance is that of a new day drawn like those values,
 * `s²·(1 + 1/k)` (the sample variance of the k values, plus the uncertainty of their mean), with `s²` floored at
 * the Poisson variance. A weekday the history has not seen yet (a history under a week) uses every day there is.
 */
function seasonalNaiveMoments(values: readonly number[], startDay: number, horizon: number): Moments {
  const n = values.length;
  const recent = values.slice(-WEEKS * 7);
  const byWeekday = new Map<number, { mean: number; variance: number }>();
  for (let weekday = 0; weekday < 7; weekday++) {
    const picked: number[] = [];
    for (let t = n - 1; t >= 0 && picked.length < WEEKS; t--) {
      if (dayOfWeek(startDay + t) === weekday) picked.push(values[t] ?? 0);
    }
    const sample = picked.length > 0 ? picked : recent;
    const k = sample.length;
    const mean = sample.reduce((a, b) => a + b, 0) / k;
    const spread = k > 1 ? sample.reduce((a, y) => a + (y - mean) ** 2, 0) / (k - 1) : mean;
    byWeekday.set(weekday, { mean, variance: Math.max(spread, mean) * (1 + 1 / k) });
  }
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const day = byWeekday.get(dayOfWeek(startDay + n + h));
    mean.push(day?.mean ?? 0);
    variance.push(day?.variance ?? 0);
  }
  return { mean, variance };
}

/** The simplest honest peer: what the same weekday did over the last eight weeks, for any stage and grain. */
export function createSeasonalNaiveForecaster(): Forecaster {
  return {
    name: SEASONAL_NAIVE,
    independentSeries: true,
    forecast: (request) =>
      forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: SEASONAL_NAIVE,
          useRecentRate: false,
          model: () => seasonalNaiveMoments(context.series.values, context.startDay, context.horizon),
          recentRate: DEFAULT_RECENT_RATE,
        }),
      ),
  };
}
