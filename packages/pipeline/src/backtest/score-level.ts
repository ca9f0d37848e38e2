import {
  captureRate,
  cellTotalMoments,
  coverage,
  mase,
  meanPinball,
  signedPctError,
  sumTotalMoments,
  totalDistribution,
  wape,
  type ForecastBounds,
  type TotalMoments,
} from '@funnelcast/core';
import type { BacktestMetric } from './backtest-types.js';

/**
 * Daily forecast moments of one unit of a level (a combination, a segment or the total) over the horizon, split as
 * core's total distribution needs them, so a unit summed from many cells and its period total over days keep the
 * level error those cells and days share.
 */
export type UnitForecast = readonly TotalMoments[];

/** A unit's daily moments from a predictive mean and variance per day. */
export function unitForecast(series: { readonly mean: readonly number[]; readonly variance: readonly number[] }): UnitForecast {
  return series.mean.map((mean, day) => cellTotalMoments(mean, series.variance[day] ?? 0));
}

const NO_FORECAST: TotalMoments = { mean: 0, ownVariance: 0, sharedSd: 0 };

/** What one model × level × stage is scored on. Units missing on one side count as zero there. */
export interface LevelScoringInput {
  readonly horizon: number;
  readonly forecasts: ReadonlyMap<string, UnitForecast>;
  /** Actual daily counts per unit over the horizon. */
  readonly actuals: ReadonlyMap<string, readonly number[]>;
  /** Daily counts per unit before the origin: the in-sample series of the MASE scale. */
  readonly history: ReadonlyMap<string, readonly number[]>;
}

const mean = (values: readonly number[]): number | null => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);

/**
 * Every {@link BacktestMetric} of one model at one level and stage, with core's metric definitions. Daily cells
 * drive coverage and the pinball loss; per-unit period totals drive WAPE and period coverage (where each
 * combination lands is what a dashboard reads), with intervals from core's total distribution, the rule every
 * landing uses; the level's grand total drives the signed error and capture rate.
 * MASE is the mean over units of each unit's MASE (units whose history has no weekly variation have no scale and
 * are left out).
 */
export function scoreLevel(input: LevelScoringInput): Record<BacktestMetric, number | null> {
  const { horizon, forecasts, actuals, history } = input;
  const units = [...new Set([...forecasts.keys(), ...actuals.keys()])].sort();
  const dailyActual: number[] = [];
  const dailyBounds: ForecastBounds[] = [];
  const periodActual: number[] = [];
  const periodForecast: number[] = [];
  const periodBounds: ForecastBounds[] = [];
  const scaled: number[] = [];
  for (const unit of units) {
    const forecast = forecasts.get(unit);
    const actual = Array.from({ length: horizon }, (_, day) => actuals.get(unit)?.[day] ?? 0);
    const cells = actual.map((_, day) => forecast?.[day] ?? NO_FORECAST);
    dailyActual.push(...actual);
    dailyBounds.push(...cells.map(totalDistribution));
    const total = totalDistribution(sumTotalMoments(cells));
    periodForecast.push(total.mean);
    periodBounds.push(total);
    periodActual.push(actual.reduce((a, b) => a + b, 0));
    const unitMase = mase(actual, cells.map((cell) => cell.mean), history.get(unit) ?? []);
    if (unitMase !== null) scaled.push(unitMase);
  }
  const forecastTotal = periodForecast.reduce((a, b) => a + b, 0);
  const actualTotal = periodActual.reduce((a, b) => a + b, 0);
  const signed = signedPctError(forecastTotal, actualTotal);
  return {
    signed_pct_error: signed,
    abs_pct_error: signed === null ? null : Math.abs(signed),
    capture_rate: captureRate(forecastTotal, actualTotal),
    wape: wape(periodActual, periodForecast),
    mase: mean(scaled),
    coverage_50: coverage(dailyActual, dailyBounds.map((b) => b.lower50), dailyBounds.map((b) => b.upper50)),
    coverage_95: coverage(dailyActual, dailyBounds.map((b) => b.lower95), dailyBounds.map((b) => b.upper95)),
    period_coverage_50: coverage(periodActual, periodBounds.map((b) => b.lower50), periodBounds.map((b) => b.upper50)),
    period_coverage_95: coverage(periodActual, periodBounds.map((b) => b.lower95), periodBounds.map((b) => b.upper95)),
    pinball: dailyActual.length > 0 ? meanPinball(dailyActual, dailyBounds) : null,
    forecast_total: forecastTotal,
    actual_total: actualTotal,
  };
}
