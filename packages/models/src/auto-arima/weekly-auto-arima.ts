import { autoArima } from './auto-arima.js';
import type { ArimaFit } from './arima-fit.js';
import { forecastArima } from './arima-forecast.js';
import { CHI_SQUARED_6_AT_1_PERCENT, seasonalEffectStatistic, seasonalFactors, seasonallyAdjust } from './seasonal-decomposition.js';

/** The season of a daily funnel series: a week. */
const WEEK = 7;

/** What {@link forecastWeeklyAutoArima} fitted and forecast. */
export interface WeeklyArimaForecast {
  /** Point forecasts on the count scale, with the weekly shape. */
  readonly point: number[];
  /**
   * The ARIMA's error variances on the seasonally adjusted scale, that of an average day: how uncertain the level
   * is, before any weekday's count noise.
   */
  readonly adjustedVariance: number[];
  /** The ARIMA fitted to the seasonally adjusted series. */
  readonly fit: ArimaFit;
  /** The weekly factors, by position `t mod 7` from the first day of the series; all 1 when there is no pattern. */
  readonly factors: readonly number[];
}

/**
 * AutoARIMA with a weekly component, the way BigQuery's ARIMA_PLUS handles seasonality: by decomposition. When the
 * series has a weekday pattern at the 1% level ({@link seasonalEffectStatistic}), its weekly factors
 * ({@link seasonalFactors}) are taken out ({@link seasonallyAdjust}), {@link autoArima} models what is left (the
 * level and its dynamics), and each forecast of the level is multiplied by its day's factor, so every week ahead
 * keeps the weekly shape.
 */
export function forecastWeeklyAutoArima(values: readonly number[], horizon: number): WeeklyArimaForecast {
  const weekly = seasonalEffectStatistic(values, WEEK) > CHI_SQUARED_6_AT_1_PERCENT;
  const factors = weekly ? seasonalFactors(values, WEEK) : new Array<number>(WEEK).fill(1);
  const adjusted = weekly ? seasonallyAdjust(values, factors) : values;
  const fit = autoArima(adjusted);
  const { point, variance } = forecastArima(fit, adjusted, horizon);
  return { fit, factors, point: point.map((m, h) => m * (factors[(values.length + h) % WEEK] ?? 1)), adjustedVariance: variance };
}
