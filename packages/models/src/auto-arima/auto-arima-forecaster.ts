import { V1_AUTO_ARIMA, type Forecaster } from '@funnelcast/core';
import { forecastWeeklyAutoArima } from './weekly-auto-arima.js';
import { forecastEachSeries } from '../series/forecast-each-series.js';
import { momentsFromVariances } from '../dispersion/interval-moments.js';
import type { Moments } from '../series/predictive-series.js';
import { DEFAULT_RECENT_RATE } from '../recent-rate/recent-rate.js';
import { forecastWithFallback } from '../series/with-fallback.js';


/** Fewer days than this cannot show a weekly pattern and a level's dynamics apart, so the recent rate stands in. */
const MIN_HISTORY_DAYS = 28;
/**
 * Weekly AutoARIMA on one series, as count moments. {@link momentsFromVariances} gets the ARIMA's adjusted-scale
 * variance on every day, so that its growth over the first day measures how the level's uncertainty accumulates
 * rather than which weekday the horizon starts on; the count noise of each day is then re-expressed from its own
 * mean.
 */
function autoArimaMoments(values: readonly number[], horizon: number): Moments {
  const { point, adjustedVariance } = forecastWeeklyAutoArima(values, horizon);
  return momentsFromVariances(point, adjustedVariance, values);
}

/**
 * The backtests' per-combination time-series peer, the "V1" way: one automatic ARIMA per series with its weekly
 * pattern taken out by decomposition, as BigQuery's ARIMA_PLUS (which V1 used) does ({@link forecastWeeklyAutoArima}).
 * No intermittent-series model: only histories under four weeks get the recent rate. The Gaussian variance of the
 * psi weights becomes count moments ({@link momentsFromVariances}): its growth with the horizon is kept, its noise
 * re-expressed as negative binomial.
 */
export function createAutoArimaForecaster(): Forecaster {
  return {
    name: V1_AUTO_ARIMA,
    independentSeries: true,
    forecast: (request) =>
      forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: V1_AUTO_ARIMA,
          useRecentRate: context.series.values.length < MIN_HISTORY_DAYS,
          model: () => autoArimaMoments(context.series.values, context.horizon),
          recentRate: DEFAULT_RECENT_RATE,
        }),
      ),
  };
}
