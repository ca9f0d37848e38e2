import { MSTL_ETS, toDayNumber, type Forecaster } from '@funnelcast/core';
import { z } from 'zod';
import { forecastEtsLevel } from './ets-level.js';
import { forecastEachSeries } from '../series/forecast-each-series.js';
import { parseOptions } from '../series/parse-options.js';
import { pooledCalendar, type PooledCalendar } from '../calendar/pooled-calendar.js';
import { intermittencyFields, isIntermittent, recentRateFields, type DayShape, type IntermittencyRule, type RecentRateOptions } from '../recent-rate/recent-rate.js';
import { seriesShape } from '../calendar/series-shape.js';
import { forecastWithFallback } from '../series/with-fallback.js';


/** Options of {@link createMstlEtsForecaster}: which series count as intermittent, and how their rate is smoothed. */
export interface MstlEtsOptions extends IntermittencyRule, RecentRateOptions {}

const optionsSchema = z.strictObject({ ...intermittencyFields, ...recentRateFields });

/**
 * The embedded MQL model: an MSTL decomposition of the request's series pooled, and an ETS level per series
 * (Channel × Source), both from `@bsull/augurs`.
 *
 * Seasonality is estimated where the counts are large enough to see it, on the sum of all series
 * ({@link pooledCalendar}): the weekly component by augurs' MSTL (period 7); the yearly factor from the same weeks
 * a year earlier, at eight-week and one-week scales (MSTL needs two full cycles of a period, and a yearly one from
 * the two a 730-day history holds is mostly noise); and the calendar events (holidays), left out of every fit and
 * forecast again where every past year had them. Each series shrinks its own weekday profile toward the pooled
 * one and carries its own recurring special dates, such as trade shows ({@link seriesShape}). Its level is augurs'
 * AutoETS on its seasonally adjusted weekly rates, with a negative-binomial variance plus the ETS level
 * uncertainty ({@link forecastEtsLevel}). Seasonality is not decomposed per series: on tens of leads a day a
 * per-series weekly component follows the noise.
 *
 * Short or sparse series — fewer than `minHistoryDays`, or over the last `recentDays` a mean below `minMeanPerDay`
 * or more than `maxZeroShare` zero days — get, on purpose, the recent-rate model on the same pooled shape
 * (`'intermittent'`, `forecastRecentRate`: a level by exponential smoothing with a fixed half-life): on a few
 * leads a week ETS's likelihood sets the smoothing weight near zero and forecasts the whole history's mean. A series
 * ETS cannot fit gets the same (`'intermittent-fallback'`); an all-zero series forecasts zero (`'all-zero'`).
 *
 * @throws ConfigError when an option is invalid.
 */
export function createMstlEtsForecaster(options?: Partial<MstlEtsOptions>): Forecaster {
  const settings = parseOptions(MSTL_ETS, optionsSchema, options);
  return {
    name: MSTL_ETS,
    forecast: (request) => {
      // Built on first use, after forecastEachSeries has validated the request.
      let calendar: PooledCalendar | undefined;
      const pooled = (): PooledCalendar =>
        (calendar ??= pooledCalendar(request.series.map((s) => ({ startDay: toDayNumber(s.start), values: s.values }))));
      return forecastEachSeries(request, (context) => {
        const { series, startDay, horizon } = context;
        // Both the ETS model and its fallback read the shape: built once, on first use.
        let built: DayShape | undefined;
        const shape = (): DayShape => (built ??= seriesShape(series.values, startDay, horizon, pooled()));
        return forecastWithFallback(context, {
          method: MSTL_ETS,
          useRecentRate: isIntermittent(series.values, settings),
          model: () => forecastEtsLevel(series.values, startDay, horizon, shape()),
          recentRate: settings,
          recentShape: shape,
        });
      });
    },
  };
}
