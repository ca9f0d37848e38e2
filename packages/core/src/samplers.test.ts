import { describe, expect, it } from 'vitest';
import { logFactorial } from './log-factorial.js';
import { createRng, mixSeed } from './seeded-rng.js';
import { sampleBinomial } from './sample-binomial.js';
import { samplePoisson } from './sample-poisson.js';

function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('rng', () => {
  it('is reproducible per seed and uniform on [0, 1)', () => {
    const a = createRng(7);
    const b = createRng(7);
    const values = Array.from({ length: 20_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(moments(values).mean).toBeCloseTo(0.5, 2);
    expect(moments(values).variance).toBeCloseTo(1 / 12, 2);
  });

  it('mixes coordinates into distinct seeds', () => {
    const seeds = new Set<number>();
    for (let c = 0; c < 20; c++) for (let day = 0; day < 500; day++) seeds.add(mixSeed(42, c, day));
    expect(seeds.size).toBe(10_000);
  });
});

describe('logFactorial', () => {
  it('matches summed logs, small and large', () => {
    let exact = 0;
    for (let k = 1; k <= 600; k++) {
      exact += Math.log(k);
      expect(Math.abs(logFactorial(k) - exact)).toBeLessThan(1e-9 * exact + 1e-12);
    }
  });
});

describe('samplePoisson', () => {
  it.each([0.3, 4, 9.99, 10, 37, 800, 100_000])('has mean and variance λ = %s', (mean) => {
    const rng = createRng(mixSeed(1, Math.round(mean * 100)));
    const draws = Array.from({ length: 20_000 }, () => samplePoisson(rng, mean));
    const m = moments(draws);
    const se = Math.sqrt(mean / draws.length);
    expect(Math.abs(m.mean - mean)).toBeLessThan(5 * se);
    expect(m.variance / mean).toBeGreaterThan(0.94);
    expect(m.variance / mean).toBeLessThan(1.06);
    expect(draws.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
  });

  it('matches the exact pmf in the rejection regime (λ = 25)', () => {
    const rng = createRng(99);
    const n = 40_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = samplePoisson(rng, 25);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of [15, 20, 24, 25, 30, 35]) {
      const p = Math.exp(-25 + k * Math.log(25) - logFactorial(k));
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((counts.get(k) ?? 0) / n - p)).toBeLessThan(5 * se);
    }
  });

  it('returns 0 for a zero mean', () => {
    expect(samplePoisson(createRng(1), 0)).toBe(0);
  });
});

describe('sampleBinomial', () => {
  it.each([
    [5, 0.3],
    [40, 0.1],
    [1000, 0.3],
    [1000, 0.8],
    [200_000, 0.02],
  ])('has the binomial mean and variance for n = %s, p = %s', (n, p) => {
    const rng = createRng(mixSeed(2, n, Math.round(p * 1000)));
    const draws = Array.from({ length: 20_000 }, () => sampleBinomial(rng, n, p));
    const m = moments(draws);
    const variance = n * p * (1 - p);
    expect(Math.abs(m.mean - n * p)).toBeLessThan(5 * Math.sqrt(variance / draws.length));
    expect(m.variance / variance).toBeGreaterThan(0.94);
    expect(m.variance / variance).toBeLessThan(1.06);
    expect(draws.every((k) => Number.isInteger(k) && k >= 0 && k <= n)).toBe(true);
  });

  it('handles the edges', () => {
    const rng = createRng(3);
    expect(sampleBinomial(rng, 0, 0.5)).toBe(0);
    expect(sampleBinomial(rng, 10, 0)).toBe(0);
    expect(sampleBinomial(rng, 10, 1)).toBe(10);
  });
});
