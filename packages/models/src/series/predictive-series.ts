import type { PredictiveSeries } from '@funnelcast/core';

/** The mean and variance of a forecast per horizon day, on the count scale. */
export interface Moments {
  readonly mean: number[];
  readonly variance: number[];
}

/** A forecast of exactly zero: what an all-zero history honestly predicts, with no spread. */
export function zeroMoments(horizon: number): Moments {
  return { mean: new Array<number>(horizon).fill(0), variance: new Array<number>(horizon).fill(0) };
}

/** True when every value is finite (a model that produced NaN or Infinity must not be published). */
export function allFinite(moments: Moments): boolean {
  return moments.mean.every(Number.isFinite) && moments.variance.every(Number.isFinite);
}

/**
 * Packs moments into a {@link PredictiveSeries}, clamping the mean at zero and the variance into `[0, ∞)`. A day
 * with mean zero gets variance zero: the only count distribution with mean zero is the point mass at zero, and core
 * cannot moment-match anything else to it.
 */
export function toPredictiveSeries(key: string, method: string, moments: Moments): PredictiveSeries {
  const mean = moments.mean.map((m) => Math.max(0, m));
  const variance = moments.variance.map((v, h) => ((mean[h] ?? 0) > 0 ? Math.max(0, v) : 0));
  return { key, method, mean, variance };
}
