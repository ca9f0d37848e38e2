import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBounds } from './count-distribution.js';
import { cellTotalMoments, SHARED_EXCESS_FRACTION, sumTotalMoments, totalDistribution } from './total-distribution.js';

/** Uniforms on [0, 1) from fast-check's seeded generator, so the simulation is the same on every run. */
function uniforms(seed: number, count: number): () => number {
  const draws = fc.sample(fc.noBias(fc.integer({ min: 0, max: 2 ** 32 - 1 })), { seed, numRuns: count });
  let next = 0;
  return () => {
    const draw = draws[next++];
    if (draw === undefined) throw new Error('the test drew more uniforms than it sampled');
    return draw / 2 ** 32;
  };
}

function poisson(random: () => number, rate: number): number {
  let k = 0;
  let p = Math.exp(-rate);
  let cdf = p;
  const u = random();
  while (u > cdf) {
    k += 1;
    p *= rate / k;
    cdf += p;
  }
  return k;
}

describe('cellTotalMoments', () => {
  it('splits the variance into the Poisson part and the standard deviation of the excess', () => {
    // Excess 16, a quarter of it shared.
    expect(SHARED_EXCESS_FRACTION).toBe(0.25);
    expect(cellTotalMoments(2, 18)).toEqual({ mean: 2, ownVariance: 14, sharedSd: 2 });
    // An under-dispersed cell (a sparse binomial thinning) is all its own noise.
    expect(cellTotalMoments(1, 0.5)).toEqual({ mean: 1, ownVariance: 0.5, sharedSd: 0 });
  });
});

describe('totalDistribution', () => {
  it('adds own variances and shared standard deviations, then takes count bounds of the total', () => {
    const total = totalDistribution(sumTotalMoments([cellTotalMoments(1, 1), cellTotalMoments(3, 19), cellTotalMoments(6, 70)]));
    // Excesses 0, 16, 64: own 10 + 12 + 48 = 70; shared 0 + 2 + 4 = 6, so 70 + 36 = 106, where independent cells give 90.
    expect(total).toMatchObject({ mean: 10, ownVariance: 70, sharedSd: 6, variance: 106 });
    expect(total).toMatchObject(countBounds(10, 106));
  });

  it('is the independent rule for Poisson cells and zero for none', () => {
    const cells = [0.3, 2, 5].map((mean) => cellTotalMoments(mean, mean));
    expect(totalDistribution(sumTotalMoments(cells))).toMatchObject({ variance: 7.3, ...countBounds(7.3, 7.3) });
    expect(totalDistribution(sumTotalMoments([]))).toEqual({ mean: 0, ownVariance: 0, sharedSd: 0, variance: 0, lower95: 0, lower50: 0, upper50: 0, upper95: 0 });
  });

  it('recovers the coverage of totals of cells that share a level error, where the independent rule fails', () => {
    // 6 combinations × 30 days of small daily rates. Each cell's rate is scaled by one level error G common to all
    // (what a model's level error and one segment feeding many combinations do to a month) and by its own H (day-to-day
    // over-dispersion); G carries the shared fraction of the excess variance: Var G = ρφ, Var H = (1 − ρ)φ.
    const phi = 0.16;
    const lognormal = (random: () => number, variance: number) => {
      const sigma = Math.sqrt(Math.log(1 + variance));
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.exp(sigma * z - (sigma * sigma) / 2);
    };
    const varG = SHARED_EXCESS_FRACTION * phi;
    const varH = (1 - SHARED_EXCESS_FRACTION) * phi;
    const means = Array.from({ length: 6 * 30 }, (_, i) => 0.2 + ((i * 7) % 12) * 0.25);
    // Var(Y) = μ + μ²·Var(GH), with Var(GH) = (1 + Var G)(1 + Var H) − 1.
    const variances = means.map((mean) => mean + mean * mean * ((1 + varG) * (1 + varH) - 1));
    const calibrated = totalDistribution(sumTotalMoments(means.map((mean, i) => cellTotalMoments(mean, variances[i]!))));
    const independent = countBounds(calibrated.mean, variances.reduce((a, b) => a + b, 0));
    const trials = 1000;
    const random = uniforms(20_251_206, trials * (2 + means.length * 3));
    let coveredCalibrated = 0;
    let coveredIndependent = 0;
    for (let t = 0; t < trials; t++) {
      const level = lognormal(random, varG);
      const total = means.reduce((sum, mean) => sum + poisson(random, mean * level * lognormal(random, varH)), 0);
      if (total >= calibrated.lower95 && total <= calibrated.upper95) coveredCalibrated++;
      if (total >= independent.lower95 && total <= independent.upper95) coveredIndependent++;
    }
    expect(coveredCalibrated / trials).toBeGreaterThan(0.93);
    expect(coveredCalibrated / trials).toBeLessThan(0.975);
    expect(coveredIndependent / trials).toBeLessThan(0.8);
  });
});
