import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import { distributeForecast } from './distribution.js';
import { InputError } from './errors.js';
import { activeCombinations, compareCombinations, computeMapping, toMappingRows, type MappingInput, type MappingWeight } from './mapping.js';
import type { CombinationSpan, DailyCounts, PredictiveSeries } from './ports.js';
import { combinationKey } from './vocabulary.js';

const AS_OF = '2025-07-01';

function day(date: string, superSegment: string, channel: string, source: string, counts: Partial<Pick<DailyCounts, 'mqls' | 'sqls' | 'sqos'>>): DailyCounts {
  return { date, superSegment, channel, source, mqls: 0, sqls: 0, sqos: 0, ...counts };
}

function span(superSegment: string, channel: string, source: string, firstDate: string, lastDate = addDays(AS_OF, -1)): CombinationSpan {
  return { superSegment, channel, source, firstDate, lastDate };
}

function mappingInput(overrides: Partial<MappingInput>): MappingInput {
  return { asOf: AS_OF, windowDays: 180, minExposureDays: 28, daily: [], spans: [], superSegments: [], ...overrides };
}

/** The weights of one segment as `channel/source → fraction`. */
function fractions(weights: readonly MappingWeight[], superSegment: string): Record<string, number> {
  return Object.fromEntries(weights.filter((w) => w.superSegment === superSegment).map((w) => [`${w.channel}/${w.source}`, w.fraction]));
}

function weightOf(weights: readonly MappingWeight[], superSegment: string, channel: string, source: string): MappingWeight | undefined {
  return weights.find((w) => w.superSegment === superSegment && w.channel === channel && w.source === source);
}

describe('computeMapping (hand-computed)', () => {
  it('splits a segment with history by its SQLs in [asOf − window, asOf)', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound'],
      daily: [
        day('2025-01-02', 'Outbound', 'Email', 'apollo', { sqls: 10 }), // first day of the window
        day('2025-06-30', 'Outbound', 'Email', 'apollo', { sqls: 20 }), // last day of the window
        day('2025-03-01', 'Outbound', 'Web', 'direct', { sqls: 10, mqls: 4 }),
        day('2025-01-01', 'Outbound', 'Web', 'direct', { sqls: 1000 }), // the day before the window
        day(AS_OF, 'Outbound', 'Web', 'direct', { sqls: 1000 }), // the as-of date is the future
      ],
      spans: [span('Outbound', 'Email', 'apollo', '2024-01-01'), span('Outbound', 'Web', 'direct', '2024-06-01')],
    }));
    expect(mapping.windowStart).toBe('2025-01-02');
    expect(mapping.windowEnd).toBe(AS_OF);
    expect(mapping.unmappedSegments).toEqual([]);
    expect(mapping.weights).toEqual([
      { superSegment: 'Outbound', channel: 'Email', source: 'apollo', sqlCount: 30, segmentTotal: 40, fraction: 0.75, weightMethod: 'historical' },
      { superSegment: 'Outbound', channel: 'Web', source: 'direct', sqlCount: 10, segmentTotal: 40, fraction: 0.25, weightMethod: 'historical' },
    ]);
  });

  it('splits a segment without SQLs in the window equally over the combinations of its full history', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Inbound'],
      daily: [
        day('2024-11-01', 'Inbound', 'Web', 'direct', { sqls: 7 }), // before the window: not a share
        day('2025-05-01', 'Inbound', 'Paid', 'google', { mqls: 3 }), // MQLs only: no SQLs in the window
        day('2025-05-01', 'Outbound', 'Email', 'apollo', { sqls: 5 }), // another segment's combination
      ],
      spans: [
        span('Inbound', 'Web', 'direct', '2024-10-01', '2024-11-01'),
        span('Inbound', 'Paid', 'google', '2025-05-01'),
        span('Inbound', 'Social', 'linkedin', '2023-01-01', '2023-02-01'),
        span('Outbound', 'Email', 'apollo', '2025-05-01'),
      ],
    }));
    expect(mapping.weights).toEqual([
      { superSegment: 'Inbound', channel: 'Paid', source: 'google', sqlCount: 0, segmentTotal: 0, fraction: 1 / 3, weightMethod: 'equal_fallback' },
      { superSegment: 'Inbound', channel: 'Social', source: 'linkedin', sqlCount: 0, segmentTotal: 0, fraction: 1 / 3, weightMethod: 'equal_fallback' },
      { superSegment: 'Inbound', channel: 'Web', source: 'direct', sqlCount: 0, segmentTotal: 0, fraction: 1 / 3, weightMethod: 'equal_fallback' },
    ]);
  });

  it('splits a segment never seen equally over every combination active in the window', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Other', 'Outbound'],
      daily: [
        day('2025-06-01', 'Outbound', 'Email', 'apollo', { sqls: 4 }),
        day('2025-06-02', 'Outbound', 'Web', 'direct', { mqls: 1 }), // any event makes a combination active
        day('2025-06-03', 'Outbound', 'Paid', 'google', { sqos: 1 }),
        day('2024-01-01', 'Outbound', 'Print', 'ad', { sqls: 9 }), // active long ago only
      ],
      spans: [span('Outbound', 'Email', 'apollo', '2024-01-01'), span('Outbound', 'Print', 'ad', '2024-01-01', '2024-01-01')],
    }));
    expect(fractions(mapping.weights, 'Other')).toEqual({ 'Email/apollo': 1 / 3, 'Paid/google': 1 / 3, 'Web/direct': 1 / 3 });
    expect(mapping.weights.filter((w) => w.superSegment === 'Other').every((w) => w.weightMethod === 'equal_fallback')).toBe(true);
    expect(fractions(mapping.weights, 'Outbound')).toEqual({ 'Email/apollo': 1 });
  });

  it('reports segments with nothing to split over as unmapped', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound', 'Other'],
      daily: [day('2024-01-01', 'Inbound', 'Web', 'direct', { sqls: 3 })], // outside the window
      spans: [span('Inbound', 'Web', 'direct', '2024-01-01', '2024-01-01')],
    }));
    expect(mapping.weights).toEqual([]);
    expect(mapping.unmappedSegments).toEqual(['Other', 'Outbound']);
  });

  it('gives a combination that belongs to two segments a weight in each, and distribution adds them', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound', 'Partnerships'],
      daily: [
        day('2025-05-01', 'Outbound', 'Email', 'apollo', { sqls: 6 }),
        day('2025-05-01', 'Outbound', 'Web', 'direct', { sqls: 2 }),
        day('2025-05-02', 'Partnerships', 'Web', 'direct', { sqls: 3 }),
        day('2025-05-02', 'Partnerships', 'Partner', 'referral', { sqls: 1 }),
      ],
      spans: [],
    }));
    expect(fractions(mapping.weights, 'Outbound')).toEqual({ 'Email/apollo': 0.75, 'Web/direct': 0.25 });
    expect(fractions(mapping.weights, 'Partnerships')).toEqual({ 'Partner/referral': 0.25, 'Web/direct': 0.75 });
    const segments: PredictiveSeries[] = [
      { key: 'Outbound', mean: [8, 4], variance: [8, 4], method: 'ridge' },
      { key: 'Partnerships', mean: [4, 0], variance: [4, 0], method: 'ridge' },
    ];
    const web = distributeForecast(segments, mapping).find((s) => s.key === combinationKey({ channel: 'Web', source: 'direct' }));
    // 0.25·8 + 0.75·4 = 5; 0.25·4 + 0.75·0 = 1.
    expect(web?.mean).toEqual([5, 1]);
  });

  it('scales a brand-new combination by window / max(28, days since its first event)', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound'],
      daily: [
        day('2025-02-01', 'Outbound', 'Email', 'apollo', { sqls: 30 }),
        day('2025-06-25', 'Outbound', 'New', 'launch', { sqls: 2 }), // started 10 days ago: floored at 28
        day('2025-05-15', 'Outbound', 'Young', 'channel', { sqls: 6 }), // started 60 days ago
        day('2025-02-01', 'Outbound', 'Edge', 'start', { sqls: 4 }), // started on the first day of the window
      ],
      spans: [
        span('Outbound', 'Email', 'apollo', '2024-01-01'),
        span('Outbound', 'New', 'launch', addDays(AS_OF, -10)),
        span('Outbound', 'Young', 'channel', addDays(AS_OF, -60)),
        span('Outbound', 'Edge', 'start', '2025-01-02'),
      ],
    }));
    const newOne = weightOf(mapping.weights, 'Outbound', 'New', 'launch');
    const young = weightOf(mapping.weights, 'Outbound', 'Young', 'channel');
    const edge = weightOf(mapping.weights, 'Outbound', 'Edge', 'start');
    expect(newOne?.sqlCount).toBeCloseTo((2 * 180) / 28, 12);
    expect(newOne?.weightMethod).toBe('exposure_adjusted');
    expect(young?.sqlCount).toBeCloseTo((6 * 180) / 60, 12);
    expect(young?.weightMethod).toBe('exposure_adjusted');
    expect(edge).toMatchObject({ sqlCount: 4, weightMethod: 'historical' });
    const total = 30 + (2 * 180) / 28 + 18 + 4;
    expect(newOne?.segmentTotal).toBeCloseTo(total, 12);
    expect(newOne?.fraction).toBeCloseTo((2 * 180) / 28 / total, 12);
    expect(weightOf(mapping.weights, 'Outbound', 'Email', 'apollo')?.fraction).toBeCloseTo(30 / total, 12);
  });

  it('uses the earliest span when a segment × combination has several', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound'],
      daily: [day('2025-06-25', 'Outbound', 'New', 'launch', { sqls: 2 }), day('2025-06-25', 'Outbound', 'Email', 'apollo', { sqls: 2 })],
      spans: [span('Outbound', 'New', 'launch', '2024-01-01'), span('Outbound', 'New', 'launch', '2025-06-20')],
    }));
    expect(weightOf(mapping.weights, 'Outbound', 'New', 'launch')).toMatchObject({ sqlCount: 2, weightMethod: 'historical' });
  });

  it('never scales a new combination down when the window is shorter than the exposure floor', () => {
    const mapping = computeMapping(mappingInput({
      windowDays: 10,
      superSegments: ['Outbound'],
      daily: [day('2025-06-28', 'Outbound', 'New', 'launch', { sqls: 3 }), day('2025-06-28', 'Outbound', 'Email', 'apollo', { sqls: 3 })],
      spans: [span('Outbound', 'New', 'launch', addDays(AS_OF, -5)), span('Outbound', 'Email', 'apollo', '2024-01-01')],
    }));
    // Floor min(28, 10) = 10: 3 · 10 / max(10, 5) = 3, not 3 · 10 / 28.
    expect(weightOf(mapping.weights, 'Outbound', 'New', 'launch')).toMatchObject({ sqlCount: 3, fraction: 0.5, weightMethod: 'exposure_adjusted' });
  });

  it('falls back when a segment has rows in the window but zero SQLs (no division by zero)', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound'],
      daily: [day('2025-06-01', 'Outbound', 'Email', 'apollo', { mqls: 5, sqls: 0 }), day('2025-06-02', 'Outbound', 'Web', 'direct', { sqos: 1 })],
      spans: [span('Outbound', 'Email', 'apollo', '2025-06-01'), span('Outbound', 'Web', 'direct', '2025-06-02')],
    }));
    expect(mapping.weights.map((w) => [w.channel, w.fraction, w.sqlCount, w.segmentTotal, w.weightMethod])).toEqual([
      ['Email', 0.5, 0, 0, 'equal_fallback'],
      ['Web', 0.5, 0, 0, 'equal_fallback'],
    ]);
  });

  it('with a one-day window uses only the day before the as-of date', () => {
    const mapping = computeMapping(mappingInput({
      windowDays: 1,
      superSegments: ['Outbound'],
      daily: [
        day('2025-06-29', 'Outbound', 'Email', 'apollo', { sqls: 50 }),
        day('2025-06-30', 'Outbound', 'Email', 'apollo', { sqls: 1 }),
        day('2025-06-30', 'Outbound', 'Web', 'direct', { sqls: 3 }),
      ],
      spans: [span('Outbound', 'Email', 'apollo', '2024-01-01'), span('Outbound', 'Web', 'direct', '2025-06-30')],
    }));
    expect(mapping.windowStart).toBe('2025-06-30');
    expect(mapping.weights.map((w) => [w.channel, w.sqlCount, w.fraction, w.weightMethod])).toEqual([
      ['Email', 1, 0.25, 'historical'],
      ['Web', 3, 0.75, 'historical'],
    ]);
  });

  it('maps a segment listed twice once', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound', 'Outbound'],
      daily: [day('2025-06-01', 'Outbound', 'Email', 'apollo', { sqls: 1 })],
    }));
    expect(mapping.weights).toHaveLength(1);
  });

  it('rejects a bad as-of date and day counts, naming each', () => {
    const attempt = () => computeMapping(mappingInput({ asOf: '2025-02-30', windowDays: 0, minExposureDays: 1.5 }));
    expect(attempt).toThrow(InputError);
    try {
      attempt();
    } catch (error) {
      expect((error as InputError).problems.map((p) => p.where)).toEqual(['asOf', 'windowDays', 'minExposureDays']);
    }
  });
});

describe('activeCombinations', () => {
  it('lists combinations with any event in the window, sorted, once', () => {
    const daily = [
      day('2025-06-30', 'Outbound', 'Web', 'direct', { mqls: 1 }),
      day('2025-06-30', 'Inbound', 'Web', 'direct', { sqls: 1 }),
      day('2025-06-29', 'Outbound', 'Email', 'apollo', { sqos: 1 }),
      day('2025-06-29', 'Outbound', 'Email', 'zoom', {}), // no event
      day('2025-06-20', 'Outbound', 'Ads', 'bing', { mqls: 1 }), // before a 10-day window
      day(AS_OF, 'Outbound', 'Ads', 'meta', { mqls: 1 }), // the as-of date
    ];
    expect(activeCombinations(daily, AS_OF, 10)).toEqual([
      { channel: 'Email', source: 'apollo' },
      { channel: 'Web', source: 'direct' },
    ]);
  });
});

describe('toMappingRows', () => {
  it('writes every weight as a row of the mapping view', () => {
    const mapping = computeMapping(mappingInput({
      superSegments: ['Outbound'],
      daily: [day('2025-06-25', 'Outbound', 'New', 'launch', { sqls: 2 }), day('2025-03-01', 'Outbound', 'Email', 'apollo', { sqls: 3 })],
      spans: [span('Outbound', 'New', 'launch', '2025-06-21'), span('Outbound', 'Email', 'apollo', '2024-01-01')],
    }));
    const rows = toMappingRows(mapping, 'run_1');
    const newCount = (2 * 180) / 28;
    expect(rows).toEqual([
      { super_segment: 'Outbound', Channel_Grouping_Name: 'Email', Original_source: 'apollo', sql_count: 3, super_segment_total: 3 + newCount,
        normalized_fraction: 3 / (3 + newCount), weight_method: 'historical', window_start: '2025-01-02', window_end: AS_OF, run_id: 'run_1' },
      { super_segment: 'Outbound', Channel_Grouping_Name: 'New', Original_source: 'launch', sql_count: newCount, super_segment_total: 3 + newCount,
        normalized_fraction: newCount / (3 + newCount), weight_method: 'exposure_adjusted', window_start: '2025-01-02', window_end: AS_OF, run_id: 'run_1' },
    ]);
  });
});

// Random histories over a small alphabet, so combinations recur across segments and days.
const SEGMENTS = ['S1', 'S2', 'S3', 'S4'];
const dailyArbitrary = fc.array(
  fc.record({
    offset: fc.integer({ min: 0, max: 59 }),
    superSegment: fc.constantFrom('S1', 'S2', 'S3'),
    channel: fc.constantFrom('A', 'B', 'C|x'),
    source: fc.constantFrom('x', 'y'),
    mqls: fc.nat(4),
    sqls: fc.nat(3),
    sqos: fc.nat(2),
  }),
  { maxLength: 40 },
);
const BASE = '2025-01-01';
const PROPERTY_AS_OF = addDays(BASE, 45);

function historyOf(rows: readonly { offset: number; superSegment: string; channel: string; source: string; mqls: number; sqls: number; sqos: number }[]) {
  const daily: DailyCounts[] = rows.map(({ offset, ...rest }) => ({ date: addDays(BASE, offset), ...rest }));
  const spans = new Map<string, CombinationSpan>();
  for (const row of daily) {
    if (row.date >= PROPERTY_AS_OF || row.mqls + row.sqls + row.sqos === 0) continue;
    const id = JSON.stringify([row.superSegment, row.channel, row.source]);
    const known = spans.get(id);
    spans.set(id, {
      superSegment: row.superSegment, channel: row.channel, source: row.source,
      firstDate: known && known.firstDate < row.date ? known.firstDate : row.date,
      lastDate: known && known.lastDate > row.date ? known.lastDate : row.date,
    });
  }
  return { daily, spans: [...spans.values()] };
}

const mappingArbitrary = fc
  .record({ rows: dailyArbitrary, windowDays: fc.integer({ min: 1, max: 50 }), minExposureDays: fc.integer({ min: 1, max: 40 }) })
  .map(({ rows, windowDays, minExposureDays }) => {
    const { daily, spans } = historyOf(rows);
    return computeMapping({ asOf: PROPERTY_AS_OF, windowDays, minExposureDays, daily, spans, superSegments: SEGMENTS });
  });

describe('computeMapping (properties)', () => {
  it('gives each mapped segment non-negative fractions that sum to 1, and accounts for every segment', () => {
    fc.assert(
      fc.property(mappingArbitrary, (mapping) => {
        for (const w of mapping.weights) {
          expect(w.fraction).toBeGreaterThanOrEqual(0);
          expect(w.sqlCount).toBeGreaterThanOrEqual(0);
          expect(Number.isFinite(w.fraction)).toBe(true);
        }
        for (const segment of SEGMENTS) {
          const own = mapping.weights.filter((w) => w.superSegment === segment);
          if (mapping.unmappedSegments.includes(segment)) expect(own).toEqual([]);
          else expect(own.reduce((sum, w) => sum + w.fraction, 0)).toBeCloseTo(1, 12);
        }
        const ids = mapping.weights.map((w) => `${w.superSegment}|${combinationKey(w)}`);
        expect(new Set(ids).size).toBe(ids.length);
        const sorted = [...mapping.weights].sort((a, b) => (a.superSegment === b.superSegment ? compareCombinations(a, b) : a.superSegment < b.superSegment ? -1 : 1));
        expect(mapping.weights).toEqual(sorted);
      }),
      { numRuns: 200 },
    );
  });

  it('distributes random segment forecasts coherently: per day the children sum to the mapped parents', () => {
    fc.assert(
      fc.property(
        mappingArbitrary,
        fc.array(fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: SEGMENTS.length, maxLength: SEGMENTS.length }),
        (mapping, means) => {
          const unmapped = new Set(mapping.unmappedSegments);
          const segments = SEGMENTS.map((key, i) => ({ key, mean: means[i]!, variance: means[i]!.map((m) => 2 * m), method: 'ridge' }))
            .filter((s) => !unmapped.has(s.key));
          const children = distributeForecast(segments, mapping);
          for (let d = 0; d < 3; d++) {
            const parents = segments.reduce((sum, s) => sum + s.mean[d]!, 0);
            const sum = children.reduce((total, c) => total + c.mean[d]!, 0);
            expect(sum).toBeCloseTo(parents, 6);
            for (const c of children) expect(c.variance[d]).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
