import { loadEts } from '../augurs/augurs-wasm.js';
import { AUGURS_LEVEL, intervalVariance } from '../dispersion/interval-moments.js';
import { localDispersion } from '../dispersion/local-dispersion.js';
import type { Moments } from '../series/predictive-series.js';
import type { DayShape } from '../recent-rate/recent-rate.js';

const WEEK = 7;
/** Fewer weekly rates than this leave AutoETS too little to choose a model and its smoothing weights from. */
export const MIN_ETS_WEEKS = 8;
/** A week whose kept days expect less than one day's worth of the rate (mostly holidays) tells nothing. */
const MIN_WEEK_FACTOR = 1;
/**
 * Additive or multiplicative error; no, additive or damped additive trend; no season: the day shape holds the season.
 * (augurs 0.10's AutoETS finds no model for a spec without a trend choice, such as `ANN`.)
 */
const SPEC = 'ZZN';

/**
 * The seasonally adjusted weekly rates of a series, oldest first, in weeks counted back from its last day: each
 * week's kept count over the sum of its kept days' shape factors (a ratio, so a holiday or a weekend weighs only
 * as much as it expects). Weeks are used, not days, because a day's count over a small factor (a Sunday) has a
 * variance that grows as the factor shrinks, which a model with one Gaussian noise level fits badly.
 */
function weeklyRates(values: readonly number[], startDay: number, shape: DayShape): number[] {
  const rates: number[] = [];
  for (let end = values.length; end >= WEEK; end -= WEEK) {
    let count = 0;
    let expected = 0;
    for (let t = end - WEEK; t < end; t++) {
      if (shape.excluded(startDay + t)) continue;
      count += values[t] ?? 0;
      expected += shape.factor(startDay + t);
    }
    if (expected >= MIN_WEEK_FACTOR) rates.push(count / expected);
  }
  return rates.reverse();
}

/**
 * One series forecast by augurs' AutoETS on its seasonally adjusted weekly rates ({@link weeklyRates}), times the
 * day shape.
 *
 * AutoETS (`ZZN`: error, trend and damping chosen by information criterion; no season) gives the rate of each week
 * ahead; a horizon day's mean is that rate times the day's factor. The variance is the day's negative-binomial noise
 * `μ + φμ²` (`φ` the series' {@link localDispersion}: counts scatter more than Poisson) plus the uncertainty of the
 * rate, scaled by the factor: the model's one-step variance `v₁` (from its 95% interval) times the share of it that
 * is the current level's, `max(α/(2−α), 1/weeks)` (`α` read off the interval's growth, `v₂/v₁ = 1 + α²` for a local
 * level), and the growth of the interval beyond the first week, `v_w − v₁`.
 *
 * @throws Error when fewer than {@link MIN_ETS_WEEKS} weeks are usable, or augurs cannot fit them.
 */
export function forecastEtsLevel(
  values: readonly number[],
  startDay: number,
  horizon: number,
  shape: DayShape,
): Moments {
  const rates = weeklyRates(values, startDay, shape);
  if (rates.length < MIN_ETS_WEEKS) throw new Error(`only ${rates.length} usable week(s) to fit ETS on`);
  const model = new (loadEts().AutoETS)(1, SPEC);
  try {
    model.fit(Float64Array.from(rates));
    // At least two weeks ahead: the second week's interval tells how fast the level moves.
    const forecast = model.predict(Math.max(2, Math.ceil(horizon / WEEK)), AUGURS_LEVEL);
    if (!forecast.intervals) throw new Error('ETS returned no prediction interval');
    const { lower, upper } = forecast.intervals;
    const weekVariance = (w: number): number => intervalVariance(lower[w] ?? 0, upper[w] ?? 0);
    const oneStep = weekVariance(0);
    const alpha = oneStep > 0 ? Math.sqrt(Math.max(0, weekVariance(1) / oneStep - 1)) : 0;
    const current = Math.max(alpha / (2 - alpha), 1 / rates.length) * oneStep;
    const phi = localDispersion(values);
    const mean: number[] = [];
    const variance: number[] = [];
    for (let h = 0; h < horizon; h++) {
      const week = Math.floor(h / WEEK);
      const p = shape.factor(startDay + values.length + h);
      const mu = Math.max(0, (forecast.point[week] ?? 0) * p);
      mean.push(mu);
      variance.push(mu + phi * mu * mu + p * p * (current + Math.max(0, weekVariance(week) - oneStep)));
    }
    return { mean, variance };
  } finally {
    model.free();
  }
}
