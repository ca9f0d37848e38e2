import { describe, expect, it } from 'vitest';
import { lagHistogram } from './conversion-history.js';
import { lagDistribution, spreadByLag } from './spread-by-lag.js';

describe('lagDistribution', () => {
  it('normalises lag counts, and means "same day" without any', () => {
    expect(lagDistribution([5, 3, 2])).toEqual([0.5, 0.3, 0.2]);
    expect(lagDistribution([])).toEqual([1]);
    expect(lagDistribution([0, 0])).toEqual([1]);
  });

  it('leaves the share of later converters out of the counted lags', () => {
    expect(lagDistribution([5, 3, 2], 10)).toEqual([0.25, 0.15, 0.1]);
  });
});

describe('spreadByLag', () => {
  it('gives the derivative of the expectation by the rate (checked by a finite difference)', () => {
    const at = (rate: number) =>
      spreadByLag({ horizon: 4, rate, lagPmf: [0.2, 0.3, 0.25, 0.15], open: [[1, 7], [2, 3]], inflow: { mean: [4, 5, 6, 7], variance: [8, 9, 10, 11] } });
    const { rateSlope } = at(0.4);
    const h = 1e-6;
    const [up, down] = [at(0.4 + h).mean, at(0.4 - h).mean];
    rateSlope.forEach((slope, t) => expect(slope).toBeCloseTo((up[t]! - down[t]!) / (2 * h), 5));
    expect(rateSlope[0]).toBeGreaterThan(0);
  });

  it('ignores open units past the last lag and empty ages', () => {
    const out = spreadByLag({ horizon: 2, rate: 0.5, lagPmf: [0.5, 0.5], open: [[2, 10], [1, 0]], inflow: { mean: [], variance: [] } });
    expect(out.mean).toEqual([0, 0]);
  });
});

describe('lagHistogram', () => {
  it('places lags by day and folds those beyond the longest into later converters', () => {
    expect(lagHistogram([[2, 4], [0, 1], [3, 2], [9, 1]], 2)).toEqual({ counts: [1, 0, 4], later: 3 });
    expect(lagHistogram([], 1)).toEqual({ counts: [0, 0], later: 0 });
  });

  it('carries the level uncertainty of the inflow whole through the lag, instead of averaging it away', () => {
    // Ten a day with variance 30 (20 beyond Poisson: the level's), all converting, spread evenly over five days. A
    // steady day then has the inflow's own variance: Poisson 10 plus the shared 20. Treated as independent days it
    // would be 14.
    const spread = spreadByLag({
      horizon: 20,
      rate: 1,
      lagPmf: [0.2, 0.2, 0.2, 0.2, 0.2],
      open: [],
      inflow: { mean: new Array<number>(20).fill(10), variance: new Array<number>(20).fill(30) },
    });
    expect(spread.mean[10]).toBeCloseTo(10, 10);
    expect(spread.variance[10]).toBeCloseTo(30, 10);
  });
});

