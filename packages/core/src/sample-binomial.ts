import { logFactorial } from './log-factorial.js';
import type { Rng } from './seeded-rng.js';

/**
 * An exact Binomial(n, p) variate: inversion when `n·min(p, 1−p) < 10`, Hörmann's transformed rejection (BTRS,
 * 1993) otherwise, so large pipelines split into lag days in O(1) per split.
 *
 * Hand-written on purpose: `@stdlib/random-base-{poisson,binomial}` driven by the same seeded {@link Rng} draw other
 * variates (1 in 5 Poisson and 1 in 8 binomial draws matched in a check over means 0.3–300), and the demo data set must
 * stay identical for a given seed: users and every benchmark depend on it. This is the one home of the sampler: the
 * demo and the tests that draw counts use it.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  // Sample the rarer outcome: both methods are fastest and most accurate for p ≤ 1/2.
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrs(rng, n, p);
}

function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const ratio = p / q;
  let prob = Math.pow(q, n);
  let cdf = prob;
  const u = rng();
  let k = 0;
  while (u > cdf && k < n) {
    prob *= (ratio * (n - k)) / (k + 1);
    k++;
    cdf += prob;
  }
  return k;
}

function binomialBtrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = rng() - 0.5;
    const v = rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const lv = Math.log((v * alpha) / (a / (us * us) + b));
    if (lv <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}
