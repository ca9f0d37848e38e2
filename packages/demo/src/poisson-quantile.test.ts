import { describe, expect, it } from 'vitest';
import { poissonCdf, poissonQuantile } from './poisson-quantile.js';

describe('poissonQuantile', () => {
  it('is the smallest k whose cdf reaches the probability', () => {
    for (const mean of [0.3, 2, 17.5, 400]) {
      for (const p of [0.025, 0.25, 0.5, 0.75, 0.975]) {
        const k = poissonQuantile(mean, p);
        expect(poissonCdf(mean, k)).toBeGreaterThanOrEqual(p - 1e-9);
        if (k > 0) expect(poissonCdf(mean, k - 1)).toBeLessThan(p);
      }
    }
  });

  it('knows the small-count cases by heart', () => {
    // Poisson(0.3): P(0) = 0.741, so every quantile up to 74% is 0 — a 50% band of [0, 1] covers 96%.
    expect(poissonQuantile(0.3, 0.25)).toBe(0);
    expect(poissonQuantile(0.3, 0.75)).toBe(1);
    expect(poissonQuantile(0, 0.975)).toBe(0);
  });
});
