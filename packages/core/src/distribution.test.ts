import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributeForecast } from './distribution.js';
import { InputError } from './errors.js';
import type { MappingWeight, SegmentMapping } from './mapping.js';
import type { PredictiveSeries } from './ports.js';
import { combinationKey } from './vocabulary.js';

function weight(superSegment: string, channel: string, source: string, fraction: number): MappingWeight {
  return { superSegment, channel, source, fraction, sqlCount: fraction, segmentTotal: 1, weightMethod: 'historical' };
}

function mappingOf(weights: MappingWeight[]): SegmentMapping {
  return { windowStart: '2025-01-01', windowEnd: '2025-07-01', weights, unmappedSegments: [] };
}

const key = (channel: string, source: string) => combinationKey({ channel, source });

describe('distributeForecast', () => {
  // Outbound → Email/apollo 0.75, Partner/referral 0.25; Other → Partner/referral 0.5, Web/direct 0.5.
  const mapping = mappingOf([
    weight('Other', 'Partner', 'referral', 0.5),
    weight('Other', 'Web', 'direct', 0.5),
    weight('Outbound', 'Email', 'apollo', 0.75),
    weight('Outbound', 'Partner', 'referral', 0.25),
  ]);
  const segments: PredictiveSeries[] = [
    { key: 'Outbound', mean: [4, 8], variance: [4, 20], method: 'ridge' },
    { key: 'Other', mean: [2, 0], variance: [6, 0], method: 'intermittent' },
  ];

  it('shares means by weight and thins variances (hand-computed)', () => {
    const out = distributeForecast(segments, mapping);
    expect(out.map((s) => s.key)).toEqual([key('Email', 'apollo'), key('Partner', 'referral'), key('Web', 'direct')]);
    const [email, partner, web] = out;
    // Email: 0.75·μ; Var = f·μ + f²(V − μ): day 1 0.75·4 + 0.5625·0 = 3, day 2 0.75·8 + 0.5625·12 = 12.75.
    expect(email).toEqual({ key: key('Email', 'apollo'), mean: [3, 6], variance: [3, 12.75], method: 'distributed(ridge)' });
    // Partner is fed by both segments: mean 0.25·4 + 0.5·2 = 2, Var (0.25·4 + 0.0625·0) + (0.5·2 + 0.25·4) = 3;
    // day 2: 0.25·8 = 2, Var 0.25·8 + 0.0625·12 = 2.75.
    expect(partner?.mean).toEqual([2, 2]);
    expect(partner?.variance).toEqual([3, 2.75]);
    expect(partner?.method).toBe('distributed(intermittent,ridge)');
    expect(web?.mean).toEqual([1, 0]);
    expect(web?.variance).toEqual([2, 0]);
  });

  it('is wider than scaling the parent for a sparse cell (thinning, not perfect correlation)', () => {
    const [, , web] = distributeForecast(segments, mapping);
    // Plain scaling would give f²·V = 0.25·6 = 1.5.
    expect(web?.variance[0]).toBeGreaterThan(0.25 * 6);
  });

  it('refuses to drop a segment forecast that has no weights, naming it', () => {
    const orphan: PredictiveSeries = { key: 'Partnerships_Referrals', mean: [1, 1], variance: [1, 1], method: 'ridge' };
    expect(() => distributeForecast([...segments, orphan], mapping)).toThrow(InputError);
    expect(() => distributeForecast([...segments, orphan], mapping)).toThrow(/Partnerships_Referrals/);
  });

  it('refuses segments of different lengths', () => {
    const short: PredictiveSeries = { key: 'Other', mean: [2], variance: [6], method: 'ridge' };
    expect(() => distributeForecast([segments[0] as PredictiveSeries, short], mapping)).toThrow(/expected 2/);
  });

  it('ignores weights of segments that were not forecast', () => {
    const out = distributeForecast([segments[0] as PredictiveSeries], mapping);
    expect(out.map((s) => s.key)).toEqual([key('Email', 'apollo'), key('Partner', 'referral')]);
  });

  it('is coherent: per day the children sum to the segments, for any mapping and forecast', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'];
    const segmentArb = fc.record({
      shares: fc.dictionary(fc.constantFrom(...pool), fc.double({ min: 0.01, max: 100, noNaN: true }), { minKeys: 1 }),
      days: fc.array(fc.record({ mean: fc.double({ min: 0, max: 1e4, noNaN: true }), extra: fc.double({ min: 0, max: 1e4, noNaN: true }) }), {
        minLength: 3,
        maxLength: 3,
      }),
    });
    fc.assert(
      fc.property(fc.array(segmentArb, { minLength: 1, maxLength: 4 }), (specs) => {
        const weights = specs.flatMap((spec, s) => {
          const total = Object.values(spec.shares).reduce((sum, v) => sum + v, 0);
          return Object.entries(spec.shares).map(([c, v]) => weight(`s${s}`, c, 'x', v / total));
        });
        const forecasts = specs.map((spec, s) => ({
          key: `s${s}`,
          mean: spec.days.map((d) => d.mean),
          variance: spec.days.map((d) => d.mean + d.extra),
          method: 'm',
        }));
        const out = distributeForecast(forecasts, mappingOf(weights));
        for (let d = 0; d < 3; d++) {
          const parents = forecasts.reduce((sum, f) => sum + (f.mean[d] as number), 0);
          const children = out.reduce((sum, c) => sum + (c.mean[d] as number), 0);
          expect(Math.abs(children - parents)).toBeLessThanOrEqual(1e-9 * Math.max(1, parents));
          out.forEach((c) => expect(c.variance[d]).toBeGreaterThanOrEqual(0));
        }
      }),
      { numRuns: 200 },
    );
  });
});
