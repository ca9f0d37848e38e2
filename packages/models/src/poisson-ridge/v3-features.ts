import { dayOfWeek } from '../calendar/day-of-week.js';

/**
 * The V3.1 regressor's features, for a linear model: day-of-week one-hot and `is_weekend`, a linear time trend (so
 * it can extrapolate growth, which the boosted tree cannot), `log1p` of `sqls_7day_avg_lag1` and
 * `sqls_28day_avg_lag1` (the means of the 7 and 28 days before the day), and, with two years of history or more, two
 * yearly Fourier pairs standing in for month and day of year. `super_segment` is not a column: each segment gets
 * its own fit (see the forecaster).
 */

/** Days of history the longest lag needs before a day can be a training row. */
export const LONGEST_LAG = 28;
/** Yearly terms need two full cycles: fitted on one, they alias with the trend and extrapolate it wrongly. */
const YEARLY_MIN_DAYS = 730;
const YEAR = 365.25;
/** intercept, 7 weekday dummies, is_weekend, trend, two lags. */
const BASE_WIDTH = 12;
const YEARLY_HARMONICS = 2;

/** Which features a fit uses and where time starts. */
export interface FeatureLayout {
  readonly yearly: boolean;
  readonly width: number;
  /** Day number at which the trend is zero (the training window's end, so the intercept is today's level). */
  readonly trendOrigin: number;
}

/** Whether a history of `days` days supports the yearly terms. */
export function supportsYearly(days: number): boolean {
  return days >= YEARLY_MIN_DAYS;
}

/** The layout of a fit whose training window ends (exclusive) on day number `end`. */
export function featureLayout(yearly: boolean, end: number): FeatureLayout {
  return { yearly, width: BASE_WIDTH + (yearly ? 2 * YEARLY_HARMONICS : 0), trendOrigin: end };
}

/**
 * Writes the raw (unstandardised) features of day number `day` into `out` at `offset`, given the sums of the 7 and
 * 28 counts before it.
 */
export function writeFeatures(
  layout: FeatureLayout,
  out: Float64Array,
  offset: number,
  day: number,
  sum7: number,
  sum28: number,
): void {
  const weekday = dayOfWeek(day);
  out.fill(0, offset, offset + layout.width);
  out[offset] = 1;
  out[offset + 1 + weekday] = 1;
  out[offset + 8] = weekday === 0 || weekday === 6 ? 1 : 0;
  out[offset + 9] = (day - layout.trendOrigin) / YEAR;
  out[offset + 10] = Math.log1p(Math.max(0, sum7) / 7);
  out[offset + 11] = Math.log1p(Math.max(0, sum28) / LONGEST_LAG);
  if (!layout.yearly) return;
  for (let k = 1; k <= YEARLY_HARMONICS; k++) {
    const angle = (2 * Math.PI * k * day) / YEAR;
    out[offset + BASE_WIDTH + 2 * (k - 1)] = Math.sin(angle);
    out[offset + BASE_WIDTH + 2 * (k - 1) + 1] = Math.cos(angle);
  }
}
