import { V3_RIDGE, toDayNumber, type Forecaster } from '@funnelcast/core';
import { z } from 'zod';
import { forecastEachSeries } from '../series/forecast-each-series.js';
import { horizonDispersion, type HorizonResidual } from '../dispersion/horizon-dispersion.js';
import { parseOptions } from '../series/parse-options.js';
import type { CalendarSeries } from '../calendar/pooled-calendar.js';
import type { Moments } from '../series/predictive-series.js';
import { recentRateFields, type RecentRateOptions } from '../recent-rate/recent-rate.js';
import { LONGEST_LAG, supportsYearly } from './v3-features.js';
import { fitV3Ridge, predictV3Ridge, type V3RidgeModel } from './v3-ridge-model.js';
import { forecastWithFallback } from '../series/with-fallback.js';
import { yearAgoFactor } from '../calendar/year-ago-factor.js';


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

/** The request's pooled year-ago factor of each step from an origin day (see {@link yearAgoFactor}). */
type FactorFrom = (originDay: number) => readonly number[];

/**
 * Fits one series, forecasts it recursively, scales each step by the year-ago factor (under two years of history),
 * and gives each step the variance `μ_h + φ_h·μ_h²`, with `φ_h` from an internal rolling-origin backtest (refits
 * at `n − k·spacing`, each forecasting up to the horizon or the end of the data; see {@link horizonDispersion}).
 */
function ridgeMoments(
  values: readonly number[],
  startDay: number,
  horizon: number,
  settings: PoissonRidgeOptions,
  factorFrom: FactorFrom,
): Moments {
  const n = values.length;
  const fit = { l2: settings.l2, yearly: supportsYearly(n) };
  // The factor scales the final means, not the recursion: it is measured against the weeks before the origin,
  // the level the fitted lags and trend already carry forward, so scaled means fed back into the lags would apply
  // it again on every later day. With the yearly terms on, they hold the season and the factor would count it twice.
  const scaled = (model: V3RidgeModel, end: number, steps: number): number[] => {
    const means = predictV3Ridge(model, values, end, steps);
    if (fit.yearly) return means;
    const factor = factorFrom(startDay + end);
    return means.map((m, step) => m * (factor[step] ?? 1));
  };
  const model = fitV3Ridge(values, startDay, n, fit);
  const mean = scaled(model, n, horizon);
  const residuals: HorizonResidual[] = [];
  // The backtest refits the very model that forecasts, yearly terms and year-ago factor included (each origin's
  // factor read from the history before it), so its residuals speak for it.
  for (let k = 1; k <= settings.backtestOrigins; k++) {
    const origin = n - k * settings.originSpacingDays;
    if (origin < MIN_BACKTEST_TRAINING_DAYS) break;
    scaled(fitV3Ridge(values, startDay, origin, fit), origin, Math.min(horizon, n - origin)).forEach((m, step) => {
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
 * Future lags come from the model's own predictions. Under two years of history, where the yearly Fourier terms are
 * off and a summer dip seen once a year earlier would otherwise be missed, each step's mean is then scaled by the
 * year-ago seasonal factor pooled across the request's segments ({@link yearAgoFactor}). Intervals come from the
 * backtest residuals by horizon of the model and factor together. Series shorter than `minHistoryDays` get the
 * recent-rate model (`method: 'intermittent'`); an all-zero one forecasts zero.
 *
 * @throws ConfigError when an option is invalid.
 */
export function createPoissonRidgeForecaster(options?: Partial<PoissonRidgeOptions>): Forecaster {
  const settings = parseOptions(V3_RIDGE, optionsSchema, options);
  return {
    name: V3_RIDGE,
    forecast: (request) => {
      // Read on first use, after forecastEachSeries has validated the request. Every series ends the day before
      // asOf, so the backtest origins are the same days for all of them and each origin's factor is read once.
      const factors = new Map<number, readonly number[]>();
      let pooled: CalendarSeries[] | undefined;
      const factorFrom: FactorFrom = (originDay) => {
        let factor = factors.get(originDay);
        if (!factor) {
          pooled ??= request.series.map((s) => ({ startDay: toDayNumber(s.start), values: s.values }));
          factor = yearAgoFactor(pooled, originDay, request.horizon);
          factors.set(originDay, factor);
        }
        return factor;
      };
      return forecastEachSeries(request, (context) =>
        forecastWithFallback(context, {
          method: V3_RIDGE,
          useRecentRate: context.series.values.length < settings.minHistoryDays,
          model: () => ridgeMoments(context.series.values, context.startDay, context.horizon, settings, factorFrom),
          recentRate: settings,
        }),
      );
    },
  };
}
