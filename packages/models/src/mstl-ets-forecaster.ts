import type { Forecaster } from '@funnelcast/core';
import { z } from 'zod';
import { loadMstl } from './augurs-wasm.js';
import { forecastEachSeries } from './forecast-each-series.js';
import { AUGURS_LEVEL, momentsFromInterval, type IntervalForecast } from './interval-moments.js';
import { parseOptions } from './parse-options.js';
import type { Moments } from './predictive-series.js';
import { intermittencyFields, isIntermittent, recentRateFields, type IntermittencyRule, type RecentRateOptions } from './recent-rate.js';
import { forecastWithFallback } from './with-fallback.js';

/** The forecaster's name, as shown in `mql_model`. */
export const MSTL_ETS = 'mstl-ets';

/**
 * The seasonal periods MSTL removes. Weekly only: STL needs two full cycles of every period, and a yearly component
 * estimated from the two cycles a 730-day history holds adds more noise than it explains.
 */
const PERIODS = [7];

/** Options of {@link createMstlEtsForecaster}: which series count as intermittent, and how their rate is smoothed. */
export interface MstlEtsOptions extends IntermittencyRule, RecentRateOptions {}

const optionsSchema = z.strictObject({ ...intermittencyFields, ...recentRateFields });

/** MSTL (weekly) with an AutoETS trend on one series, as count moments. */
function mstlEtsMoments(values: readonly number[], horizon: number): Moments {
  const model = loadMstl().MSTL.ets(PERIODS);
  try {
    model.fit(Float64Array.from(values));
    const forecast = model.predict(horizon, AUGURS_LEVEL);
    if (!forecast.intervals) throw new Error('MSTL returned no prediction interval');
    const interval: IntervalForecast = {
      point: forecast.point,
      lower: forecast.intervals.lower,
      upper: forecast.intervals.upper,
    };
    return momentsFromInterval(interval, values);
  } finally {
    model.free();
  }
}

/**
 * The embedded MQL model: per series (Channel × Source), MSTL with a weekly period and an AutoETS trend
 * (`@bsull/augurs`), its 95% interval turned into a predictive variance (see {@link momentsFromInterval}).
 *
 * Series too short or too sparse for a seasonal decomposition — fewer than `minHistoryDays`, or over the last
 * `recentDays` a mean below `minMeanPerDay` or more than `maxZeroShare` zero days — get the recent-rate model
 * instead (`method: 'intermittent'`), as does any series augurs fails on (`'intermittent-fallback'`). An all-zero
 * series forecasts zero (`'all-zero'`).
 *
 * @throws ConfigError when an option is invalid.
 */
export function createMstlEtsForecaster(options?: Partial<MstlEtsOptions>): Forecaster {
  const settings = parseOptions(MSTL_ETS, optionsSchema, options);
  return {
    name: MSTL_ETS,
    forecast: (request) =>
      forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: MSTL_ETS,
          useRecentRate: isIntermittent(context.series.values, settings),
          model: () => mstlEtsMoments(context.series.values, context.horizon),
          recentRate: settings,
        }),
      ),
  };
}
