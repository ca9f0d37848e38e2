import { z } from 'zod';
import { dayOfWeek } from '../calendar/day-of-week.js';
import { zeroMoments, type Moments } from '../series/predictive-series.js';
import { weekdayProfile } from '../calendar/weekday-profile.js';

/** The least exposure one lead is measured over, in ordinary days (the mapping's floor for new combinations). */
const MIN_EXPOSURE_DAYS = 28;

/** How the recent-rate model weighs the past. */
export interface RecentRateOptions {
  /**
   * Half-life of the exponential weights, in days: the last ~8–12 weeks carry most of the weight.
   * @defaultValue 28
   */
  readonly halfLifeDays: number;
}

/** zod fields of {@link RecentRateOptions}, with their defaults, for forecasters' option schemas. */
export const recentRateFields = {
  halfLifeDays: z.number().positive().max(3650).default(28),
};

/** The defaults of {@link RecentRateOptions}. */
export const DEFAULT_RECENT_RATE: RecentRateOptions = z.object(recentRateFields).parse({});

/**
 * What the recent rate is measured against: each day's expected count relative to the series' rate, and the days
 * that say nothing about it.
 */
export interface DayShape {
  /** Expected count of a day (by day number) relative to the rate: weekday × season × any special day; > 0. */
  factor(day: number): number;
  /** True for a day left out of the fit (a holiday, an outage, a one-off spike). */
  excluded(day: number): boolean;
}

/** The shape a series has on its own: its smoothed weekday profile, no day left out. */
function weekdayShape(values: readonly number[], startDay: number): DayShape {
  const profile = weekdayProfile(values, startDay);
  return { factor: (day) => profile[dayOfWeek(day)] ?? 1, excluded: () => false };
}

/**
 * The recent-rate model: an exponentially weighted recent rate times a day shape (by default the series' own
 * smoothed weekday profile).
 *
 * With weights `w_t = (1−α)^(n−1−t)`, `α = 1 − 2^(−1/halfLife)` (zero on excluded days), the rate is the weighted
 * ratio `Σ w_t y_t / Σ w_t p_t` with `p_t` the shape's factor (so a Monday-heavy week or a seasonal dip does not bias
 * it), and the overdispersion `φ` of a negative binomial `var = μ + φμ²` is the weighted moment estimate around the
 * fitted `μ_t = rate·p_t`. The predictive variance of day `h` adds to that noise the uncertainty of the level: the
 * sampling variance of the weighted rate, plus the drift of the local-level model whose optimal smoother is this
 * EWMA, `α²·σ²` per day ahead. So short histories (few effective observations) and far days get wider intervals,
 * as they should.
 *
 * An all-zero or empty history, or one whose every day is excluded, forecasts exactly zero.
 */
export function forecastRecentRate(
  values: readonly number[],
  startDay: number,
  horizon: number,
  options: RecentRateOptions = DEFAULT_RECENT_RATE,
  shape: DayShape = weekdayShape(values, startDay),
): Moments {
  const n = values.length;
  if (!values.some((y) => y > 0)) return zeroMoments(horizon);
  const alpha = 1 - 2 ** (-1 / options.halfLifeDays);
  const weights = new Float64Array(n);
  for (let t = n - 1, w = 1; t >= 0; t--, w *= 1 - alpha) weights[t] = shape.excluded(startDay + t) ? 0 : w;
  // Three passes read every history day's factor, and a series' shape (calendar, season, special days) is not cheap.
  const factors = new Float64Array(n);
  for (let t = 0; t < n; t++) factors[t] = shape.factor(startDay + t);
  const factor = (t: number): number => (t < n ? factors[t]! : shape.factor(startDay + t));

  let sumWY = 0;
  let sumWP = 0;
  for (let t = 0; t < n; t++) {
    sumWY += (weights[t] ?? 0) * (values[t] ?? 0);
    sumWP += (weights[t] ?? 0) * factor(t);
  }
  if (!(sumWP > 0)) return zeroMoments(horizon);
  // A rate needs evidence: one lead over one day (or over days whose shape factor is tiny, a holiday) is not a rate of
  // one a day. The exposure is never less than MIN_EXPOSURE_DAYS ordinary days of weight divided by the leads seen:
  // four weeks for a single lead, a few days for a channel that brought dozens in them.
  sumWP = Math.max(sumWP, (1 - (1 - alpha) ** (MIN_EXPOSURE_DAYS / Math.max(1, sumWY))) / alpha);
  const rate = sumWY / sumWP;

  let excess = 0;
  let squares = 0;
  for (let t = 0; t < n; t++) {
    const mu = rate * factor(t);
    excess += (weights[t] ?? 0) * (((values[t] ?? 0) - mu) ** 2 - mu);
    squares += (weights[t] ?? 0) * mu * mu;
  }
  const phi = squares > 0 ? Math.max(0, excess / squares) : 0;

  let rateVariance = 0;
  for (let t = 0; t < n; t++) {
    const mu = rate * factor(t);
    rateVariance += (weights[t] ?? 0) ** 2 * (mu + phi * mu * mu);
  }
  rateVariance /= sumWP * sumWP;
  const dailyNoise = rate + phi * rate * rate;

  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const p = factor(n + h);
    const mu = rate * p;
    const levelVariance = rateVariance + h * alpha * alpha * dailyNoise;
    mean.push(mu);
    variance.push(mu + phi * mu * mu + p * p * levelVariance);
  }
  return { mean, variance };
}

/** When a series is too short or too sparse for a seasonal time-series model. */
export interface IntermittencyRule {
  /**
   * Fewer days of history than this is "short".
   * @defaultValue 56 (eight weeks)
   */
  readonly minHistoryDays: number;
  /**
   * A recent mean below this many events per day is "sparse".
   * @defaultValue 1
   */
  readonly minMeanPerDay: number;
  /**
   * A recent share of zero days above this is "intermittent".
   * @defaultValue 0.5
   */
  readonly maxZeroShare: number;
  /**
   * The recent window the mean and zero share are measured on, in days.
   * @defaultValue 84 (twelve weeks)
   */
  readonly recentDays: number;
}

/** zod fields of {@link IntermittencyRule}, with their defaults, for forecasters' option schemas. */
export const intermittencyFields = {
  minHistoryDays: z.number().int().min(1).default(56),
  minMeanPerDay: z.number().nonnegative().default(1),
  maxZeroShare: z.number().min(0).max(1).default(0.5),
  recentDays: z.number().int().min(7).default(84),
};

/** The defaults of {@link IntermittencyRule}. */
export const DEFAULT_INTERMITTENCY: IntermittencyRule = z.object(intermittencyFields).parse({});

/** True when the series should get the recent-rate model rather than a seasonal time-series model. */
export function isIntermittent(values: readonly number[], rule: IntermittencyRule = DEFAULT_INTERMITTENCY): boolean {
  if (values.length < rule.minHistoryDays) return true;
  const recent = values.slice(-rule.recentDays);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const zeroShare = recent.filter((y) => y === 0).length / recent.length;
  return mean < rule.minMeanPerDay || zeroShare > rule.maxZeroShare;
}
