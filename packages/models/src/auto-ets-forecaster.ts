import type { Forecaster } from '@funnelcast/core';
import { loadEts } from './augurs-wasm.js';
import { forecastEachSeries } from './forecast-each-series.js';
import { AUGURS_LEVEL, momentsFromInterval } from './interval-moments.js';
import type { Moments } from './predictive-series.js';
import { DEFAULT_RECENT_RATE } from './recent-rate.js';
import { forecastWithFallback } from './with-fallback.js';

/**
 * The forecaster's name. The old "V1" fitted an ARIMA per series; augurs has no ARIMA, so this peer is its
 * per-series automatic ETS, and is named for what it is.
 */
export const V1_AUTOETS = 'v1-autoets';

/**
 * Non-seasonal automatic ETS (`ZZN`: error and trend chosen by AICc, no seasonal term; augurs' AutoETS does not
 * fit seasonal models).
 */
const ETS_SPEC = 'ZZN';
/** augurs' AutoETS needs a season length even for a non-seasonal spec. */
const SEASON_LENGTH = 7;
/** Fewer days than this cannot support a trend model's parameters, so the recent rate stands in. */
const MIN_HISTORY_DAYS = 14;

/** Per-series AutoETS on one series, as count moments. */
function autoEtsMoments(values: readonly number[], horizon: number): Moments {
  const model = new (loadEts().AutoETS)(SEASON_LENGTH, ETS_SPEC);
  try {
    model.fit(Float64Array.from(values));
    const forecast = model.predict(horizon, AUGURS_LEVEL);
    if (!forecast.intervals) throw new Error('AutoETS returned no prediction interval');
    return momentsFromInterval({ point: forecast.point, lower: forecast.intervals.lower, upper: forecast.intervals.upper }, values);
  } finally {
    model.free();
  }
}

/**
 * The backtests' per-combination time-series peer: the "V1" way, one automatic ETS per series, with no weekly
 * decomposition and no intermittent-series model (only histories under two weeks get the recent rate). Variance
 * from the ETS interval as in {@link createMstlEtsForecaster}.
 */
export function createAutoEtsForecaster(): Forecaster {
  return {
    name: V1_AUTOETS,
    forecast: (request) =>
      forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: V1_AUTOETS,
          useRecentRate: context.series.values.length < MIN_HISTORY_DAYS,
          model: () => autoEtsMoments(context.series.values, context.horizon),
          recentRate: DEFAULT_RECENT_RATE,
        }),
      ),
  };
}
