import { logFactorial } from './log-factorial.js';
import type { Rng } from './seeded-rng.js';

/**
 * An exact Poisson variate with mean `mean`: inversion for small means, Hörmann's transformed rejection with
 * squeeze (PTRS, 1993) from 10 on, which costs O(1) whatever the mean.
 *
 * Hand-written on purpose: `@stdlib/random-base-{poisson,binomial}` driven by the same seeded {@link Rng} draw other
 * variates (1 in 5 Poisson and 1 in 8 binomial draws matched in a check over means 0.3–300), and the demo data set must
 * stay identical for a given seed: users and every benchmark depend on it. This is the one home of the sampler: the
 * demo and the tests that draw counts use it.
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  return mean < 10 ? samplePoissonByInversion(rng, mean) : poissonPtrs(rng, mean);
}

/**
 * An exact Poisson variate by inversion at any mean: one uniform per draw and O(mean) steps. {@link samplePoisson}
 * uses it below 10; the models' recovery tests draw their series with it at every mean, so each of their seeds keeps
 * the data its tolerances were set on.
 */
export function samplePoissonByInversion(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng();
  let k = 0;
  // Beyond mean + 40σ-ish the remaining mass is below double precision; the bound only guards against rounding.
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

function poissonPtrs(rng: Rng, mean: number): number {
  const logMean = Math.log(mean);
  const sqrtMean = Math.sqrt(mean);
  const b = 0.931 + 2.53 * sqrtMean;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}
