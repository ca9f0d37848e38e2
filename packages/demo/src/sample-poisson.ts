import { logFactorial } from './log-factorial.js';
import type { Rng } from './rng.js';

/**
 * An exact Poisson variate with mean `mean`: inversion for small means, Hörmann's transformed rejection with
 * squeeze (PTRS, 1993) from 10 on, which costs O(1) whatever the mean.
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  return mean < 10 ? poissonInversion(rng, mean) : poissonPtrs(rng, mean);
}

function poissonInversion(rng: Rng, mean: number): number {
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng.next();
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
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}
