import { normalQuantile, type Forecaster } from '@funnelcast/core';
import { forecastWeeklyAutoArima } from './arima/weekly-auto-arima.js';
import { forecastEachSeries } from './forecast-each-series.js';
import { AUGURS_LEVEL, momentsFromInterval } from './interval-moments.js';
import type { Moments } from './predictive-series.js';
import { DEFAULT_RECENT_RATE } from './recent-rate.js';
import { forecastWithFallback } from './with-fallback.js';

/** The forecaster's name: the old "V1", an automatic ARIMA per series. */
export const V1_AUTO_ARIMA = 'v1-auto-arima';

/** Fewer days than this cannot show a weekly pattern and a level's dynamics apart, so the recent rate stands in. */
const MIN_HISTORY_DAYS = 28;
/** The standard-normal quantile that puts the ARIMA's Gaussian interval at {@link AUGURS_LEVEL}. */
const Z = normalQuantile(0.5 + AUGURS_LEVEL / 2);

/**
 * Weekly AutoARIMA on one series, as count moments. The interval handed to {@link momentsFromInterval} has the
 * ARIMA's adjusted-scale variance on every day, so that its growth over the first day measures how the level's
 * uncertainty accumulates rather than which weekday the horizon starts on; the count noise of each day is then
 * re-expressed from its own mean.
 */
function autoArimaMoments(values: readonly number[], horizon: number): Moments {
  const { point, adjustedVariance } = forecastWeeklyAutoArima(values, horizon);
  const halfWidth = adjustedVariance.map((v) => Z * Math.sqrt(v));
  return momentsFromInterval(
    { point, lower: point.map((m, h) => m - (halfWidth[h] ?? 0)), upper: point.map((m, h) => m + (halfWidth[h] ?? 0)) },
    values,
  );
}

/**
 * The backtests' per-combination time-series peer, the "V1" way: one automatic ARIMA per series with its weekly
 * pattern taken out by decomposition, as BigQuery's ARIMA_PLUS (which V1 used) does ({@link forecastWeeklyAutoArima}).
 * No intermittent-series model: only histories under four weeks get the recent rate. The Gaussian interval of the
 * psi weights becomes count moments as in {@link createMstlEtsForecaster}: its growth with the horizon is kept, its
 * noise re-expressed as negative binomial.
 */
export function createAutoArimaForecaster(): Forecaster {
  return {
    name: V1_AUTO_ARIMA,
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
