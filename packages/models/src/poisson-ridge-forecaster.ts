import type { Forecaster } from '@funnelcast/core';
import { z } from 'zod';
import { forecastEachSeries } from './forecast-each-series.js';
import { horizonDispersion, type HorizonResidual } from './horizon-dispersion.js';
import { parseOptions } from './parse-options.js';
import type { Moments } from './predictive-series.js';
import { recentRateFields, type RecentRateOptions } from './recent-rate.js';
import { LONGEST_LAG, supportsYearly } from './v3-features.js';
import { fitV3Ridge, predictV3Ridge } from './v3-ridge-model.js';
import { forecastWithFallback } from './with-fallback.js';

/** The forecaster's name, as shown in `sql_model`. */
export const V3_RIDGE = 'v3-ridge';

/** Options of {@link createPoissonRidgeForecaster}. */
export interface PoissonRidgeOptions extends RecentRateOptions {
  /**
   * L2 penalty on the standardised coefficients (the intercept is not penalised). It mostly settles the collinear
   * calendar dummies; the data dominate it for any segment with a few hundred SQLs.
   * @defaultValue 1
   */
  readonly l2: number;
  /**
   * Shorter histories get the recent-rate model (`method: 'intermittent'`).
   * @defaultValue 112 (16 weeks: 28 days of lags, then enough rows to fit and backtest)
   */
  readonly minHistoryDays: number;
  /**
   * How many rolling origins the internal backtest uses to estimate the predictive variance by horizon.
   * @defaultValue 4
   */
  readonly backtestOrigins: number;
  /**
   * Days between rolling origins; the latest is this many days before the as-of date.
   * @defaultValue 30
   */
  readonly originSpacingDays: number;
}

const optionsSchema = z.strictObject({
  l2: z.number().nonnegative().default(1),
  minHistoryDays: z.number().int().min(LONGEST_LAG + 56).default(112),
  backtestOrigins: z.number().int().min(1).max(12).default(4),
  originSpacingDays: z.number().int().min(7).max(365).default(30),
  ...recentRateFields,
});

/** A backtest fit needs this many days: 28 of lags plus eight weeks of training rows. */
const MIN_BACKTEST_TRAINING_DAYS = LONGEST_LAG + 56;

/**
 * Fits one series, forecasts it recursively, and gives each step the variance `μ_h + φ_h·μ_h²`, with `φ_h` from
 * an internal rolling-origin backtest (refits at `n − k·spacing`, each forecasting up to the horizon or the end
 * of the data; see {@link horizonDispersion}).
 */
function ridgeMoments(values: readonly number[], startDay: number, horizon: number, settings: PoissonRidgeOptions): Moments {
  const n = values.length;
  // The backtest refits the very model that forecasts, yearly terms included, so its residuals speak for it.
  const fit = { l2: settings.l2, yearly: supportsYearly(n) };
  const model = fitV3Ridge(values, startDay, n, fit);
  const mean = predictV3Ridge(model, values, n, horizon);
  const residuals: HorizonResidual[] = [];
  for (let k = 1; k <= settings.backtestOrigins; k++) {
    const origin = n - k * settings.originSpacingDays;
    if (origin < MIN_BACKTEST_TRAINING_DAYS) break;
    const steps = Math.min(horizon, n - origin);
    const past = fitV3Ridge(values, startDay, origin, fit);
    predictV3Ridge(past, values, origin, steps).forEach((m, step) => {
      residuals.push({ step, mean: m, actual: values[origin + step] ?? 0 });
    });
  }
  const phi = horizonDispersion(residuals, horizon, model.dispersion);
  return { mean, variance: mean.map((m, h) => m + (phi[h] ?? 0) * m * m) };
}

/**
 * The embedded SQL model: a Poisson regression with a ridge penalty on the V3.1 features plus a time trend (see
 * `v3-features.ts`), one series per super-segment.
 *
 * Each segment gets its own fit rather than one pooled model with `super_segment` as a feature. A pooled linear
 * model with a segment dummy would force every segment to share one weekday profile, one trend and one lag
 * response; the boosted V3.1 tree does not (it splits on the segment), and the linear equivalent of that is the
 * full segment interaction — a separate fit per segment. With ~700 days per segment there is plenty of data for the
 * ~16 coefficients, and the penalty keeps a sparse segment's fit tame.
 *
 * Future lags come from the model's own predictions. Intervals come from its backtest residuals by horizon. Series
 * shorter than `minHistoryDays` get the recent-rate model (`method: 'intermittent'`); an all-zero one forecasts zero.
 *
 * @throws ConfigError when an option is invalid.
 */
export function createPoissonRidgeForecaster(options?: Partial<PoissonRidgeOptions>): Forecaster {
  const settings = parseOptions(V3_RIDGE, optionsSchema, options);
  return {
    name: V3_RIDGE,
    forecast: (request) =>
      forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: V3_RIDGE,
          useRecentRate: context.series.values.length < settings.minHistoryDays,
          model: () => ridgeMoments(context.series.values, context.startDay, context.horizon, settings),
          recentRate: settings,
        }),
      ),
  };
}
