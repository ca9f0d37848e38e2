import { centredTrend } from '../calendar/centred-trend.js';

/**
 * The 1% critical value of χ² with 6 degrees of freedom: the null distribution of {@link seasonalEffectStatistic}
 * for a week, whose seven weekday means are free but for their sum.
 */
export const CHI_SQUARED_6_AT_1_PERCENT = 16.812;


/** Under three periods the centred trend leaves too few values per position to compare: no pattern is estimated. */
function tooShort(values: readonly number[], period: number): boolean {
  return values.length < 3 * period;
}

/**
 * A test statistic for "there is no seasonal pattern of odd `period`" (a week). The series is detrended by a
 * classical decomposition (its centred moving average over one period, which also removes a wandering level, so a
 * random walk does not pass for seasonal), and the detrended values are compared by their position in the period
 * with a one-way analysis of variance. The statistic is `(period − 1)·F`, asymptotically χ² with `period − 1`
 * degrees of freedom when there is no pattern; +∞ for a pattern that repeats exactly. 0 when the series is too short
 * or has no variation around its trend.
 */
export function seasonalEffectStatistic(values: readonly number[], period: number): number {
  if (tooShort(values, period)) return 0;
  const trend = centredTrend(values, period);
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  for (const { t, trend: level } of trend) {
    sums[t % period] = (sums[t % period] ?? 0) + ((values[t] ?? 0) - level);
    counts[t % period] = (counts[t % period] ?? 0) + 1;
  }
  const means = sums.map((s, i) => s / Math.max(1, counts[i] ?? 0));
  const grand = sums.reduce((a, b) => a + b, 0) / trend.length;
  const between = means.reduce((a, m, i) => a + (counts[i] ?? 0) * (m - grand) ** 2, 0);
  let within = 0;
  for (const { t, trend: level } of trend) within += ((values[t] ?? 0) - level - (means[t % period] ?? 0)) ** 2;
  const withinVariance = within / (trend.length - period);
  // A pattern that repeats exactly leaves nothing within the positions: as significant as a pattern can be.
  if (!(withinVariance > 0)) return between > 0 ? Number.POSITIVE_INFINITY : 0;
  return between / withinVariance;
}

/**
 * Multiplicative seasonal factors of a classical decomposition, by position `t mod period` from the series' first
 * day: each position's events over its trend, `Σ y_t / Σ trend_t` (a ratio of sums, so days without events do not
 * break it), scaled to average 1. Multiplicative because a count series' weekday pattern grows with its level. All
 * 1 when the series is too short.
 */
export function seasonalFactors(values: readonly number[], period: number): number[] {
  if (tooShort(values, period)) return new Array<number>(period).fill(1);
  const events = new Array<number>(period).fill(0);
  const expected = new Array<number>(period).fill(0);
  for (const { t, trend } of centredTrend(values, period)) {
    events[t % period] = (events[t % period] ?? 0) + (values[t] ?? 0);
    expected[t % period] = (expected[t % period] ?? 0) + trend;
  }
  const raw = events.map((e, i) => ((expected[i] ?? 0) > 0 ? e / (expected[i] ?? 1) : 1));
  const average = raw.reduce((a, b) => a + b, 0) / period;
  return average > 0 ? raw.map((r) => r / average) : new Array<number>(period).fill(1);
}

/**
 * Removes seasonal `factors` (by position `t mod factors.length`) by the pseudo-additive decomposition of the UK
 * Office for National Statistics and X-11, `a_t = y_t − (f_t − 1)·L_t`, with `L_t` the mean of the whole period
 * around day `t` (shifted inside the series at its ends) as the level. Dividing by `f_t` would do the same on
 * average, but where a factor is near zero (B2B channels with almost no weekend leads) one stray event becomes a
 * spike of `1/f_t`, and a factor of zero leaves nothing to divide; here an event adds one, whatever the day.
 */
export function seasonallyAdjust(values: readonly number[], factors: readonly number[]): number[] {
  const period = factors.length;
  const n = values.length;
  if (n < period) return values.slice();
  return values.map((y, t) => {
    const from = Math.min(Math.max(0, t - Math.floor(period / 2)), n - period);
    let level = 0;
    for (let k = from; k < from + period; k++) level += (values[k] ?? 0) / period;
    return y - ((factors[t % period] ?? 1) - 1) * level;
  });
}
