import { describe, expect, it } from 'vitest';
import { captureRate, coverage, mase, meanPinball, pinballLoss, signedPctError, wape } from './metrics.js';

describe('period-total metrics', () => {
  it("reproduces the seed's −27.1% error and 72.9% capture", () => {
    expect(signedPctError(72.9, 100)).toBeCloseTo(-27.1, 10);
    expect(captureRate(72.9, 100)).toBeCloseTo(0.729, 12);
    expect(signedPctError(130, 100)).toBeCloseTo(30, 10);
  });

  it('is undefined (null) for a zero actual', () => {
    expect(signedPctError(5, 0)).toBeNull();
    expect(captureRate(5, 0)).toBeNull();
  });
});

describe('wape', () => {
  it('divides absolute errors by the actual total (hand-computed)', () => {
    // (|10 − 8| + |0 − 1| + |5 − 5|) / 15 = 0.2.
    expect(wape([10, 0, 5], [8, 1, 5])).toBeCloseTo(0.2, 12);
    expect(wape([0, 0], [1, 1])).toBeNull();
  });
});

describe('mase', () => {
  it('scales the error by the in-sample seasonal naive error (hand-computed)', () => {
    // Every "same day last week" error in the history is 1; the forecast errors are 2 and 3: MASE 2.5.
    const history = [1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8];
    expect(mase([10, 10], [8, 13], history)).toBeCloseTo(2.5, 12);
    // Season 1: naive errors |2−1| … each 1 except 7→2 (5) and the rest: (6 · 1 + 5 + 6 · 1) / 13 = 17/13.
    expect(mase([10, 10], [8, 13], history, 1)).toBeCloseTo(2.5 / (17 / 13), 12);
  });

  it('is undefined for a short or constant history, or no actuals', () => {
    expect(mase([1], [1], [1, 2, 3])).toBeNull();
    expect(mase([1], [2], [4, 4, 4, 4, 4, 4, 4, 4])).toBeNull();
    expect(mase([], [], [1, 2, 3, 4, 5, 6, 7, 8])).toBeNull();
  });
});

describe('coverage', () => {
  it('counts actuals inside inclusive bounds', () => {
    expect(coverage([1, 5, 3], [0, 0, 3], [2, 4, 3])).toBeCloseTo(2 / 3, 12);
    expect(coverage([], [], [])).toBeNull();
  });
});

describe('pinball loss', () => {
  it('weights misses above the quantile by p and below by 1 − p (hand-computed)', () => {
    // a=10, q=8: 0.75 · 2 = 1.5; a=0, q=2: 0.25 · 2 = 0.5; mean 1.
    expect(pinballLoss([10, 0], [8, 2], 0.75)).toBeCloseTo(1, 12);
  });

  it('averages the four published bounds', () => {
    // a=4 against 0 (p .025): 0.1; 2 (p .25): 0.5; 5 (p .75): 0.25; 8 (p .975): 0.1 → 0.2375.
    expect(meanPinball([4], [{ lower95: 0, lower50: 2, upper50: 5, upper95: 8 }])).toBeCloseTo(0.2375, 12);
  });
});
