import type { PredictiveSeries } from '@funnelcast/core';
import type { SeriesContext } from './forecast-each-series.js';
import { allFinite, toPredictiveSeries, zeroMoments, type Moments } from './predictive-series.js';
import { forecastRecentRate, type DayShape, type RecentRateOptions } from '../recent-rate/recent-rate.js';

/** `method` of a series with no event at all: it forecasts exactly zero. */
export const ALL_ZERO_METHOD = 'all-zero';
/** `method` of a series chosen for the recent-rate model because it is short or intermittent. */
export const INTERMITTENT_METHOD = 'intermittent';
/** `method` of a series whose model threw or returned non-finite values, so the recent-rate model stood in. */
export const FALLBACK_METHOD = 'intermittent-fallback';

/** How one series is to be forecast by a model that may not suit it. */
export interface ModelChoice {
  /** The model's `method` when it is used. */
  readonly method: string;
  /** True when the series is better served by the recent-rate model (too short or too sparse). */
  readonly useRecentRate: boolean;
  /** Fits the model and forecasts; may throw. */
  readonly model: () => Moments;
  /** Settings of the recent-rate model used for intermittent series and as the fallback. */
  readonly recentRate: RecentRateOptions;
  /**
   * The day shape the recent-rate model measures against, when the model knows better than the series alone.
   * @defaultValue the series' own smoothed weekday profile
   */
  readonly recentShape?: () => DayShape;
}

/**
 * Forecasts one series with its model, or the recent-rate model where the model does not apply: an all-zero
 * history forecasts zero, a short or intermittent one gets the recent rate, and a model failure (an exception or a
 * NaN) falls back to the recent rate instead of failing the whole run. The `method` says which happened.
 */
export function forecastWithFallback(context: SeriesContext, choice: ModelChoice): PredictiveSeries {
  const { series, startDay, horizon } = context;
  if (!series.values.some((y) => y > 0)) return toPredictiveSeries(series.key, ALL_ZERO_METHOD, zeroMoments(horizon));
  const recentRate = (): Moments => forecastRecentRate(series.values, startDay, horizon, choice.recentRate, choice.recentShape?.());
  if (choice.useRecentRate) return toPredictiveSeries(series.key, INTERMITTENT_METHOD, recentRate());
  let moments: Moments | undefined;
  try {
    moments = choice.model();
  } catch {
    // A model that cannot fit this one series must not sink the others; the method records the fallback.
  }
  if (moments && allFinite(moments)) return toPredictiveSeries(series.key, choice.method, moments);
  return toPredictiveSeries(series.key, FALLBACK_METHOD, recentRate());
}
