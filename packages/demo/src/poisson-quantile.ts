import { logFactorial } from '@funnelcast/core';

/**
 * Analytic helpers for the unconditional demo process, whose daily counts are Poisson (see
 * {@link expectedIsPoisson}).
 */

/**
 * True: every daily count of {@link expectedDailyCounts} — any stage, any cell, any sum of cells or days of one
 * stage — is exactly Poisson with the expected value as its mean. MQLs are a Poisson process; SQLs and SQOs are
 * independent lagged thinnings of it, and a thinned, shifted Poisson process stays Poisson. (Given a history snapshot
 * the future is not Poisson — leads already in the pipeline convert as Bernoulli trials — use `drawFutures` then.)
 */
export const expectedIsPoisson = true;

/** The smallest count `k` with `P(X ≤ k) ≥ probability` for `X ~ Poisson(mean)`. */
export function poissonQuantile(mean: number, probability: number): number {
  if (!(probability > 0) || !(mean > 0)) return 0;
  if (probability >= 1) return Number.POSITIVE_INFINITY;
  // Walk the pmf from the mode in log space so large means neither underflow nor take O(mean) steps from zero.
  const mode = Math.floor(mean);
  const logMean = Math.log(mean);
  const logPmf = (k: number): number => -mean + k * logMean - logFactorial(k);
  const start = Math.max(0, Math.floor(mean - 12 * Math.sqrt(mean) - 12));
  let cdf = 0;
  for (let k = start; ; k++) {
    cdf += Math.exp(logPmf(k));
    if (cdf >= probability - 1e-12 || k > mode + 40 * Math.sqrt(mean) + 40) return k;
  }
}

/** `P(X ≤ k)` for `X ~ Poisson(mean)`. */
export function poissonCdf(mean: number, k: number): number {
  if (k < 0) return 0;
  if (!(mean > 0)) return 1;
  const logMean = Math.log(mean);
  let cdf = 0;
  const start = Math.max(0, Math.floor(mean - 12 * Math.sqrt(mean) - 12));
  for (let j = start; j <= k; j++) cdf += Math.exp(-mean + j * logMean - logFactorial(j));
  return Math.min(1, cdf);
}
