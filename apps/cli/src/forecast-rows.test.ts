import { describe, expect, it } from 'vitest';
import { assembleProductionRows, combinationKey, landings, NotFoundError, type AssemblyInput, type MappingRow } from '@funnelcast/core';
import { forecastRows, selectRows } from './forecast-rows.js';
import { snakeCaseKeys } from './json-keys.js';
import { forecastJsonSchema } from './json/forecast.js';

const web = { channel: 'Web', source: 'organic' };
const paid = { channel: 'Paid Search', source: 'google' };
const bing = { channel: 'Paid Search', source: 'bing' };
const combinations = [web, paid, bing];
const series = (combination: typeof web, mean: number) => ({ key: combinationKey(combination), mean: [mean, mean, mean], variance: [mean * 2, mean * 2, mean * 2], method: 'm' });

// Actuals 2025-04-28 … 04-30, forecast 05-01 … 05-03.
const input: AssemblyInput = {
  asOf: '2025-05-01',
  horizon: 3,
  runId: 'run-1',
  generatedAt: '2025-05-01T06:00:00.000Z',
  actualsFrom: '2025-04-28',
  combinations,
  daily: [{ date: '2025-04-29', superSegment: 'Inbound', ...paid, mqls: 4, sqls: 3, sqos: 1 }],
  forecasts: { mqls: combinations.map((c, i) => series(c, i + 1)), sqls: combinations.map((c, i) => series(c, (i + 1) / 2)), sqos: [] },
  rates: new Map(combinations.map((c) => [combinationKey(c), 0.2])),
  models: { mqls: 'mstl-ets', sqls: 'v3-ridge' },
};
const rows = assembleProductionRows(input);

const mappingRow = (superSegment: string, combination: typeof web): MappingRow => ({
  super_segment: superSegment,
  Channel_Grouping_Name: combination.channel,
  Original_source: combination.source,
  sql_count: 1,
  super_segment_total: 2,
  normalized_fraction: 0.5,
  weight_method: 'historical',
  window_start: '2024-11-01',
  window_end: '2025-05-01',
  run_id: 'run-1',
});
const mapping = [mappingRow('Inbound', web), mappingRow('Inbound', paid), mappingRow('Outbound', bing)];

describe('forecastRows', () => {
  it('gives one row per day, Channel × Source and stage, sorted by day, channel, source, then funnel order', () => {
    const days = forecastRows(rows, 'day', {});
    expect(days).toHaveLength(6 * 3 * 3);
    expect(days.slice(0, 4).map((r) => [r.period, r.channel, r.source, r.stage])).toEqual([
      ['2025-04-28', 'Paid Search', 'bing', 'mqls'],
      ['2025-04-28', 'Paid Search', 'bing', 'sqls'],
      ['2025-04-28', 'Paid Search', 'bing', 'sqos'],
      ['2025-04-28', 'Paid Search', 'google', 'mqls'],
    ]);
    const may = days.filter((r) => r.period === '2025-05-02' && r.channel === 'Web' && r.stage === 'mqls');
    expect(may).toMatchObject([{ periodStart: '2025-05-02', source: 'organic', actual: 0, forecast: 1, partial: false }]);
    expect(days.find((r) => r.period === '2025-04-29' && r.source === 'google' && r.stage === 'sqls')).toMatchObject({ actual: 3, forecast: 0, landing: 3 });
  });

  it('sums the selected combinations with total, exactly as the landings of every summary', () => {
    const total = forecastRows(rows, 'month', { total: true });
    expect(total.map((r) => [r.period, r.channel, r.source])).toEqual(Array(6).fill(null).map((_, i) => [i < 3 ? '2025-04' : '2025-05', null, null]));
    expect(total.map((r) => r.landing)).toEqual(landings(rows, 'month').map((l) => l.landing));
    expect(total.at(-1)).toMatchObject({ period: '2025-05', partial: true });
  });

  it('keeps one stage, labels ISO weeks, and its rows are what forecast --json documents', () => {
    const weeks = forecastRows(rows, 'week', { stage: 'sqls' });
    expect(new Set(weeks.map((r) => r.stage))).toEqual(new Set(['sqls']));
    expect(new Set(weeks.map((r) => r.period))).toEqual(new Set(['2025-W18']));
    expect(forecastJsonSchema.safeParse(snakeCaseKeys(weeks)).error?.issues ?? []).toEqual([]);
  });
});

describe('selectRows', () => {
  const combos = (selected: typeof rows) => [...new Set(selected.map((r) => `${r.Channel_Grouping_Name} / ${r.Original_source}`))].sort();

  it('narrows by super-segment, then channel, then source', () => {
    expect(combos(selectRows(rows, mapping, { segment: 'Inbound' }))).toEqual(['Paid Search / google', 'Web / organic']);
    expect(combos(selectRows(rows, mapping, { segment: 'Inbound', channel: 'Paid Search' }))).toEqual(['Paid Search / google']);
    expect(combos(selectRows(rows, mapping, { channel: 'Paid Search', source: 'bing' }))).toEqual(['Paid Search / bing']);
    expect(selectRows(rows, mapping, {})).toHaveLength(rows.length);
  });

  it('refuses an unknown value, listing the known ones among what the earlier filters left', () => {
    expect(() => selectRows(rows, mapping, { segment: 'Partners' })).toThrow(new NotFoundError('super-segment', 'Partners', ['Inbound', 'Outbound']));
    expect(() => selectRows(rows, mapping, { segment: 'Outbound', channel: 'Web' })).toThrow('Unknown channel (of super-segment Outbound) "Web"; known: Paid Search.');
    expect(() => selectRows(rows, mapping, { channel: 'Paid Search', source: 'organic' })).toThrow('Unknown source (of channel Paid Search) "organic"; known: bing, google.');
  });
});
