import { addDays, combinationKey, InputError, parseConfig, type DailyCounts, type FunnelHistory, type MappingWeight, type PredictiveSeries, type SegmentMapping } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { distributeSegmentSqls, refuseUndistributable, segmentSqlTotals, sqoConversion } from './distribute.js';

const AS_OF = '2025-06-01';
const web = { channel: 'Web', source: 'organic' };
const paid = { channel: 'Paid', source: 'google' };

const weight = (superSegment: string, combination: { channel: string; source: string }, fraction: number): MappingWeight => ({
  ...combination,
  superSegment,
  sqlCount: fraction * 10,
  segmentTotal: 10,
  fraction,
  weightMethod: 'historical',
});
const mapping = (weights: MappingWeight[], unmappedSegments: string[] = []): SegmentMapping => ({ windowStart: addDays(AS_OF, -180), windowEnd: AS_OF, weights, unmappedSegments });
const series = (key: string, mean: number[]): PredictiveSeries => ({ key, mean, variance: mean, method: 'test' });

describe('the distribute steps', () => {
  it('refuses a segment with SQLs forecast and nowhere to send them, and lets an unmapped segment forecasting zero pass', () => {
    const map = mapping([weight('Outbound', web, 1)], ['Partners', 'Other']);
    expect(() => refuseUndistributable([series('Outbound', [2]), series('Other', [0, 0])], map)).not.toThrow();
    const thrown = (() => {
      try {
        refuseUndistributable([series('Partners', [0, 1.5])], map);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).problems).toEqual([{ where: 'super_segment Partners', message: 'has a non-zero SQL forecast but no Channel × Source to distribute it to' }]);
  });

  it('splits mapped segments by their fractions, summing back to the segments, and drops unmapped ones', () => {
    const map = mapping([weight('Outbound', web, 0.25), weight('Outbound', paid, 0.75), weight('Inbound', web, 1)], ['Other']);
    const sqls = distributeSegmentSqls([series('Outbound', [4, 8]), series('Inbound', [1, 1]), series('Other', [0, 0])], map);
    const byKey = new Map(sqls.map((s) => [s.key, s.mean]));
    expect(byKey.get(combinationKey(web))).toEqual([2, 3]);
    expect(byKey.get(combinationKey(paid))).toEqual([3, 6]);
    expect(segmentSqlTotals([series('Outbound', [4, 8]), series('Inbound', [1, 1]), series('Other', [0, 0])], map, AS_OF)).toEqual(
      new Map([[AS_OF, 5], [addDays(AS_OF, 1), 9]]),
    );
  });

  it('converts with cohorts summed from daily counts on a daily-counts source, its SQOs on the day of their SQL', () => {
    const config = parseConfig({ superSegments: ['Outbound'], conversion: { credibility: 0, maturityDays: 30, windowDays: 60 } });
    const day = (date: string, sqls: number, sqos: number): DailyCounts => ({ date, superSegment: 'Outbound', ...web, mqls: 0, sqls, sqos });
    const history: FunnelHistory = {
      asOf: AS_OF,
      // Inside the matured window [asOf − 90, asOf − 30): 10 SQLs, 4 SQOs. Too young or too old to count: the rest.
      daily: [day(addDays(AS_OF, -60), 10, 4), day(addDays(AS_OF, -10), 50, 0), day(addDays(AS_OF, -120), 50, 50)],
      spans: [],
      conversion: null,
    };
    const conversion = sqoConversion(config, history, AS_OF, [web]);
    expect(conversion.lagPmf).toEqual([1]);
    expect(conversion.rates.get(combinationKey(web))).toBeCloseTo(0.4, 12);
  });

  it("converts with the leads' matured cohorts and observed lag when the source has them", () => {
    const config = parseConfig({ superSegments: ['Outbound'], conversion: { credibility: 0 } });
    const history: FunnelHistory = {
      asOf: AS_OF,
      daily: [],
      spans: [],
      conversion: {
        cohorts: [{ superSegment: 'Outbound', ...web, sqls: 20, sqos: 5 }],
        lagCounts: [1, 3, 0, 1],
        openSqls: [],
        mqlToSql: { byAge: [], lagCounts: [], laterSqls: 0 },
      },
    };
    const conversion = sqoConversion(config, history, AS_OF, [web]);
    expect(conversion.lagPmf).toEqual([0.2, 0.6, 0, 0.2]);
    expect(conversion.rates.get(combinationKey(web))).toBeCloseTo(0.25, 12);
  });
});
