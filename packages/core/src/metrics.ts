import type { ForecastBounds } from './count-distribution.js';
import { BOUND_PROBABILITIES } from './vocabulary.js';

/**
 * Accuracy metrics for backtests and benchmarks. Each returns `null` where it is undefined (no actuals, a zero
 * denominator) rather than a misleading 0 or Infinity.
 */

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

/**
 * Signed error of a period total, **in percent** of the actual (not a fraction): −27.1 means the forecast was 27.1%
 * short. Stored as `signed_pct_error` beside {@link captureRate}, which is a fraction.
 */
export function signedPctError(forecastTotal: number, actualTotal: number): number | null {
  return actualTotal > 0 ? ((forecastTotal - actualTotal) / actualTotal) * 100 : null;
}

/**
 * Share of the actual total the forecast captured, **as a fraction** (not percent): 0.729 for a −27.1%
 * {@link signedPctError} (the seed's figure); always `1 + signedPctError / 100`.
 */
export function captureRate(forecastTotal: number, actualTotal: number): number | null {
  return actualTotal > 0 ? forecastTotal / actualTotal : null;
}

/** Weighted absolute percentage error: `Σ|actual − forecast| / Σ actual`. */
export function wape(actual: readonly number[], forecast: readonly number[]): number | null {
  const total = sum(actual);
  if (!(total > 0)) return null;
  return sum(actual.map((a, i) => Math.abs(a - (forecast[i] ?? 0)))) / total;
}

/**
 * Mean absolute scaled error against a seasonal naive forecast: the mean absolute error divided by the in-sample
 * mean absolute error of "same day one season ago" on `history`.
 */
export function mase(actual: readonly number[], forecast: readonly number[], history: readonly number[], season = 7): number | null {
  if (actual.length === 0 || history.length <= season) return null;
  let naiveError = 0;
  for (let i = season; i < history.length; i++) naiveError += Math.abs(history[i]! - history[i - season]!);
  const scale = naiveError / (history.length - season);
  if (!(scale > 0)) return null;
  return sum(actual.map((a, i) => Math.abs(a - (forecast[i] ?? 0)))) / actual.length / scale;
}

/** Share of actuals inside `[lower, upper]` (inclusive: counts sit on integer bounds). */
export function coverage(actual: readonly number[], lower: readonly number[], upper: readonly number[]): number | null {
  if (actual.length === 0) return null;
  return actual.filter((a, i) => a >= (lower[i] ?? Infinity) && a <= (upper[i] ?? -Infinity)).length / actual.length;
}

/** Mean pinball (quantile) loss of the `p`-quantile forecasts. */
export function pinballLoss(actual: readonly number[], quantile: readonly number[], p: number): number {
  if (actual.length === 0) return 0;
  return sum(actual.map((a, i) => {
    const q = quantile[i] ?? 0;
    return a >= q ? p * (a - q) : (1 - p) * (q - a);
  })) / actual.length;
}

/** Mean pinball loss over the four published bounds (2.5%, 25%, 75%, 97.5%). */
export function meanPinball(actual: readonly number[], bounds: readonly ForecastBounds[]): number {
  const [p1, p2, p3, p4] = BOUND_PROBABILITIES;
  return (
    (pinballLoss(actual, bounds.map((b) => b.lower95), p1) +
      pinballLoss(actual, bounds.map((b) => b.lower50), p2) +
      pinballLoss(actual, bounds.map((b) => b.upper50), p3) +
      pinballLoss(actual, bounds.map((b) => b.upper95), p4)) /
    4
  );
}
