import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBounds, countQuantile, countQuantiles } from './count-distribution.js';
import { sampleBinomial } from './sample-binomial.js';
import { samplePoisson } from './sample-poisson.js';
import { createRng } from './seeded-rng.js';
import { BOUND_PROBABILITIES } from './vocabulary.js';

const quantiles = (mean: number, variance: number) => BOUND_PROBABILITIES.map((p) => countQuantile(mean, variance, p));

describe('countQuantile', () => {
  // Reference values from scipy.stats.poisson.ppf / nbinom.ppf (size = mean²/(variance − mean)).
  it.each([
    [0.2, [0, 0, 0, 1]],
    [0.3, [0, 0, 1, 2]],
    [1, [0, 0, 2, 3]],
    [4.5, [1, 3, 6, 9]],
    [20, [12, 17, 23, 29]],
    [1000, [938, 979, 1021, 1062]],
    [50_000, [49_562, 49_849, 50_151, 50_439]],
  ])('matches Poisson(%d) exactly', (mean, expected) => {
    expect(quantiles(mean, mean)).toEqual(expected);
    // Under-dispersed inputs are treated as Poisson too.
    expect(quantiles(mean, mean / 2)).toEqual(expected);
  });

  it.each([
    [0.3, 0.6, [0, 0, 0, 3]],
    [2, 6, [0, 0, 3, 9]],
    [10, 60, [0, 4, 14, 30]],
    [500, 20_000, [262, 399, 587, 813]],
    [300_000, 450_000, [298_686, 299_547, 300_452, 301_316]],
  ])('matches the negative binomial with mean %d and variance %d exactly', (mean, variance, expected) => {
    expect(quantiles(mean, variance)).toEqual(expected);
  });

  it('approximates huge, nearly symmetric counts within one count of the exact quantile', () => {
    expect(quantiles(200_000, 200_000)).toEqual([199_124, 199_698, 200_302, 200_877]);
    const nb = quantiles(200_000, 4_200_000);
    [196_003, 198_614, 201_379, 204_036].forEach((exact, i) => expect(Math.abs((nb[i] as number) - exact)).toBeLessThanOrEqual(1));
    const million = quantiles(1e6, 1e6);
    [998_041, 999_325, 1_000_674, 1_001_960].forEach((exact, i) => expect(Math.abs((million[i] as number) - exact)).toBeLessThanOrEqual(1));
  });

  it('stays exact for huge but strongly over-dispersed counts, where a normal would misplace the tail', () => {
    // mean 1e6, size 2: heavily right-skewed; scipy's 97.5% quantile is 2 785 823.
    expect(countQuantile(1e6, 1e6 + 1e12 / 2, 0.975)).toBe(2_785_823);
  });

  it('returns 0 for a zero mean and rejects nonsense', () => {
    expect(countQuantile(0, 0, 0.975)).toBe(0);
    expect(countQuantile(0, 5, 0.5)).toBe(0);
    expect(() => countQuantile(-1, 1, 0.5)).toThrow(RangeError);
    expect(() => countQuantile(1, Number.NaN, 0.5)).toThrow(RangeError);
    expect(() => countQuantile(1, 1, 1)).toThrow(RangeError);
  });
});

describe('countQuantiles', () => {
  it('gives every probability what countQuantile gives it alone, though it walks the distribution once', () => {
    const probabilities = [0.001, 0.025, 0.25, 0.5, 0.5, 0.75, 0.975, 0.999];
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: 0, max: 60, noNaN: true }), fc.double({ min: 0, max: 3e5, noNaN: true })),
        fc.double({ min: 0, max: 40, noNaN: true }),
        (mean, dispersion) => {
          const variance = mean * dispersion;
          expect(countQuantiles(mean, variance, probabilities)).toEqual(probabilities.map((p) => countQuantile(mean, variance, p)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses probabilities out of order or out of range', () => {
    expect(() => countQuantiles(3, 3, [0.75, 0.25])).toThrow(/ascend/);
    expect(() => countQuantiles(3, 3, [0.25, 1])).toThrow(RangeError);
  });
});

describe('countBounds', () => {
  it('widens a 75% quantile below the mean up to the mean (a mostly-zero cell)', () => {
    // Poisson(0.2): P(0) = 0.819 ≥ 0.75, so the 75% quantile is 0 < 0.2.
    expect(countBounds(0.2, 0.2)).toEqual({ lower95: 0, lower50: 0, upper50: 0.2, upper95: 1 });
    // Over-dispersed mean 0.3 (variance 0.6): P(0) = 0.5^0.3 = 0.812, same story.
    expect(countBounds(0.3, 0.6)).toEqual({ lower95: 0, lower50: 0, upper50: 0.3, upper95: 3 });
    // Poisson(0.3) itself has P(0) = 0.741 < 0.75, so its 75% quantile is 1 and needs no widening.
    expect(countBounds(0.3, 0.3)).toEqual({ lower95: 0, lower50: 0, upper50: 1, upper95: 2 });
  });

  it('keeps the published order, finite and non-negative, for any mean and variance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5e4, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (mean, dispersion) => {
          const b = countBounds(mean, mean * dispersion);
          const values = [b.lower95, b.lower50, mean, b.upper50, b.upper95];
          values.forEach((v) => expect(Number.isFinite(v) && v >= 0).toBe(true));
          for (let i = 1; i < values.length; i++) expect(values[i - 1]).toBeLessThanOrEqual(values[i] as number);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// Seeded samplers, so the recovery test is reproducible without Math.random.
function sampler(seed: number) {
  const uniform = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  // Marsaglia–Tsang for shape ≥ 1.
  const gamma = (shape: number, scale: number): number => {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(1 - uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  const poisson = (lambda: number): number => samplePoisson(uniform, lambda);
  const binomial = (n: number, f: number): number => sampleBinomial(uniform, n, f);
  return { gamma, poisson, binomial };
}

describe('recovery: bounds of a thinned negative-binomial process', () => {
  it.each([
    // parent mean, parent size, share; child coverage of the exact NB is ≥ nominal (discreteness adds a little).
    [40, 10, 0.3],
    [5, 2, 0.3],
  ])('covers at least the nominal level, and not much more (parent mean %d, size %d, share %d)', (mean, size, share) => {
    const draw = sampler(20_240_611);
    const childMean = share * mean;
    const parentVariance = mean + (mean * mean) / size;
    const bounds = countBounds(childMean, share * mean + share * share * (parentVariance - mean));
    const n = 20_000;
    let in50 = 0;
    let in95 = 0;
    for (let i = 0; i < n; i++) {
      const parent = draw.poisson(draw.gamma(size, mean / size));
      const child = draw.binomial(parent, share);
      if (child >= bounds.lower50 && child <= bounds.upper50) in50++;
      if (child >= bounds.lower95 && child <= bounds.upper95) in95++;
    }
    // Three standard errors of slack below nominal; discrete counts over-cover by design, but not wildly.
    expect(in95 / n).toBeGreaterThanOrEqual(0.95 - 3 * Math.sqrt((0.95 * 0.05) / n));
    expect(in95 / n).toBeLessThan(0.995);
    expect(in50 / n).toBeGreaterThanOrEqual(0.5 - 3 * Math.sqrt(0.25 / n));
    expect(in50 / n).toBeLessThan(0.8);
  });
});
