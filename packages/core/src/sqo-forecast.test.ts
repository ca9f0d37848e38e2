import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenSqls } from './ports.js';
import { forecastSqos } from './sqo-forecast.js';
import { lagDistribution } from './spread-by-lag.js';
import { combinationKey } from './vocabulary.js';

const email = combinationKey({ channel: 'Email', source: 'apollo' });
const open = (superSegment: string, ageDays: number, count: number, channel = 'Email'): OpenSqls => ({
  superSegment, channel, source: 'apollo', ageDays, count,
});

describe('forecastSqos', () => {
  const lagPmf = [0.5, 0.3, 0.2];
  const rates = new Map([[email, 0.4]]);

  it('converts open SQLs by their age and forecast SQLs by the lag (hand-computed)', () => {
    const web = combinationKey({ channel: 'Web', source: 'apollo' });
    const [out, webOut] = forecastSqos({
      horizon: 3,
      sqls: [{ key: email, mean: [10, 0, 0], variance: [20, 0, 0], method: 'distributed(ridge)' }],
      rates: new Map([...rates, [web, 0.5]]),
      lagPmf,
      // 10 SQLs aged 1 day (split over two segments), plus open SQLs of a combination with no SQL forecast.
      openSqls: [open('Outbound', 1, 6), open('Other', 1, 4), open('Outbound', 1, 99, 'Web')],
    });
    // The open SQLs of a combination without forecast SQLs still convert: 99 · 0.5 · 0.3 / (1 − 0.5 · 0.5) on day 0.
    expect(webOut?.key).toBe(web);
    expect(webOut?.mean[0]).toBeCloseTo(19.8, 12);
    // Open, age 1: still open with 1 − 0.4 · G(0) = 0.8; day 0: p = 0.4 · 0.3 / 0.8 = 0.15; day 1: 0.4 · 0.2 / 0.8 = 0.1.
    // Forecast: q = 0.4 · g[t]: 0.2, 0.12, 0.08 on 10 SQLs (variance 20): q²·20 + q(1 − q)·10.
    expect(out?.key).toBe(email);
    [1.5 + 2, 1 + 1.2, 0.8].forEach((m, t) => expect(out?.mean[t]).toBeCloseTo(m, 12));
    [10 * 0.15 * 0.85 + 2.4, 10 * 0.1 * 0.9 + 1.344, 0.864].forEach((v, t) => expect(out?.variance[t]).toBeCloseTo(v, 12));
  });

  it('refuses a combination without a rate, naming it', () => {
    const sqls = [{ key: email, mean: [1], variance: [1], method: 'm' }];
    expect(() => forecastSqos({ horizon: 1, sqls, rates: new Map(), lagPmf, openSqls: [] })).toThrow(/Email \/ apollo/);
  });

  it('gives non-negative means and variances for any input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.record({ m: fc.double({ min: 0, max: 100, noNaN: true }), v: fc.double({ min: 0, max: 500, noNaN: true }) }), { minLength: 4, maxLength: 4 }),
        fc.array(fc.record({ age: fc.integer({ min: 1, max: 10 }), count: fc.nat({ max: 30 }) }), { maxLength: 5 }),
        (lagCounts, rate, days, opens) => {
          const [out] = forecastSqos({
            horizon: 4,
            sqls: [{ key: email, mean: days.map((d) => d.m), variance: days.map((d) => d.v), method: 'm' }],
            rates: new Map([[email, rate]]),
            lagPmf: lagDistribution(lagCounts),
            openSqls: opens.map((o) => open('S', o.age, o.count)),
          });
          out?.mean.forEach((m) => expect(m).toBeGreaterThanOrEqual(0));
          out?.variance.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
