import { localDispersion } from './local-dispersion.js';
import type { Moments } from '../series/predictive-series.js';

/** The level augurs is asked for, and the standard-normal quantile that turns its half-width into a deviation. */
export const AUGURS_LEVEL = 0.95;
const Z_975 = 1.959963984540054;

/** The variance of a Gaussian whose central {@link AUGURS_LEVEL} interval is `[lower, upper]`. */
export function intervalVariance(lower: number, upper: number): number {
  return ((upper - lower) / (2 * Z_975)) ** 2;
}

/**
 * Turns a Gaussian forecast on the count scale (point forecasts and their variances, e.g. a model's interval read
 * back with {@link intervalVariance}) into count moments.
 *
 * The variance `v_h` is, in a state-space model, the one-step noise `σ²` times a multiplier `c_h = v_h / v_1` that
 * grows with the horizon as the level and trend become uncertain. Two things are wrong with `σ²` for counts: it is
 * homoscedastic (a Sunday with 2 leads is not as noisy as a Tuesday with 20), and after a seasonal decomposition it
 * is too small. So the noise is re-expressed as negative-binomial,
 * `μ_h + φ·μ_h²`, with `φ` the larger of what `σ²` implies over the first week and the series' own
 * {@link localDispersion}; the level uncertainty is the model's multiplier applied to that honest noise,
 * `(c_h − 1) · σ̄²`, where `σ̄²` is the noise averaged over the first week.
 */
export function momentsFromVariances(point: readonly number[], variances: readonly number[], history: readonly number[]): Moments {
  const horizon = point.length;
  const mean = point.map((m) => Math.max(0, m));
  const oneStep = variances[0] ?? 0;
  const firstWeek = mean.slice(0, Math.min(7, horizon));
  const average = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const meanSquare = average(firstWeek.map((m) => m * m));
  const impliedPhi = meanSquare > 0 ? (oneStep - average(firstWeek)) / meanSquare : 0;
  const phi = Math.max(0, impliedPhi, localDispersion(history));
  const noise = average(firstWeek) + phi * meanSquare;
  const variance = mean.map((m, h) => {
    const growth = oneStep > 0 ? Math.max(0, (variances[h] ?? 0) / oneStep - 1) : 0;
    return m + phi * m * m + growth * noise;
  });
  return { mean, variance };
}
