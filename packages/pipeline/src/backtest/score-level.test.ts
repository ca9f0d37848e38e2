import { countBounds } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { scoreLevel, unitForecast } from './score-level.js';

describe('scoreLevel', () => {
  it('scores period totals, daily errors and missing units as zeros, by hand', () => {
    const scores = scoreLevel({
      horizon: 2,
      forecasts: new Map([['a', unitForecast({ mean: [1, 1], variance: [1, 1] })]]),
      // `b` happened but was not forecast: it counts as a zero forecast, not as missing.
      actuals: new Map([['a', [0, 2]], ['b', [1, 0]]]),
      // a's weekly differences average 2; b's history never varies, so it has no MASE scale.
      history: new Map([['a', [0, 0, 0, 0, 0, 0, 0, 2, 2]], ['b', [1, 1, 1, 1, 1, 1, 1, 1]]]),
    });
    expect(scores.forecast_total).toBe(2);
    expect(scores.actual_total).toBe(3);
    expect(scores.signed_pct_error).toBeCloseTo(-100 / 3, 10);
    expect(scores.abs_pct_error).toBeCloseTo(100 / 3, 10);
    expect(scores.capture_rate).toBeCloseTo(2 / 3, 12);
    // Period totals: a 2 vs 2, b 0 vs 1.
    expect(scores.wape).toBeCloseTo(1 / 3, 12);
    // a: mean |error| 1 over a scale of 2 (b has none).
    expect(scores.mase).toBeCloseTo(0.5, 12);
    // b's zero forecast has zero-width intervals: its day with a lead is outside, its empty day inside.
    expect(scores.coverage_95).toBeLessThan(1);
    for (const metric of ['coverage_50', 'coverage_95', 'period_coverage_50', 'period_coverage_95'] as const) {
      expect(scores[metric]).toBeGreaterThanOrEqual(0);
      expect(scores[metric]).toBeLessThanOrEqual(1);
    }
    expect(scores.pinball).toBeGreaterThan(0);
  });

  it('leaves ratios undefined when nothing happened', () => {
    const scores = scoreLevel({ horizon: 3, forecasts: new Map([['a', unitForecast({ mean: [1, 1, 1], variance: [1, 1, 1] })]]), actuals: new Map(), history: new Map() });
    expect(scores.signed_pct_error).toBeNull();
    expect(scores.capture_rate).toBeNull();
    expect(scores.wape).toBeNull();
    expect(scores.mase).toBeNull();
    expect(scores.forecast_total).toBe(3);
  });

  it('covers a period total with core\'s rule for totals, which holds the days\' shared level error together', () => {
    // Two days of mean 10 and variance 110: excess 100 a day, a quarter of it shared (sd 5 a day, 10 for both), so
    // the total's variance is 20 + 150 + 10² = 270, where independent days would give 220.
    const forecast = unitForecast({ mean: [10, 10], variance: [110, 110] });
    const calibrated = countBounds(20, 270);
    const independent = countBounds(20, 220);
    const actual = independent.upper95 + 1;
    expect(actual).toBeLessThanOrEqual(calibrated.upper95);
    const scores = scoreLevel({ horizon: 2, forecasts: new Map([['a', forecast]]), actuals: new Map([['a', [actual, 0]]]), history: new Map() });
    expect(scores.period_coverage_95).toBe(1);
  });
});
