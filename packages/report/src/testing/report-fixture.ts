import { addDays, assembleProductionRows, combinationKey, MSTL_ETS, V3_RIDGE, type Combination, type MappingRow, type RunRecord } from '@funnelcast/core';
import type { ReportData } from '../report-data.js';

/** Names that must stay text: quotes, a script tag, an ampersand and non-Latin letters. */
export const HOSTILE_CHANNEL = `<script>window.__pwned=1</script>"Q&A" Ünïcødé 日本語`;

const asOf = '2025-05-15';
const horizon = 30;
const combinations: Combination[] = [
  { channel: 'Web', source: 'organic' },
  { channel: 'Email', source: 'apollo' },
  { channel: HOSTILE_CHANNEL, source: `it's <b>bold</b>` },
];

/** A small run of three combinations in two super-segments, one of them with hostile names. */
export function reportFixture(): ReportData {
  const daily = Array.from({ length: 120 }, (_, day) => addDays(asOf, day - 120)).flatMap((date, day) =>
    combinations.map((c, i) => ({ date, superSegment: i === 0 ? 'Inbound_Marketing' : 'Outbound', ...c, mqls: 3 + ((day + i) % 4), sqls: 1 + (day % 2), sqos: day % 3 === 0 ? 1 : 0 })),
  );
  const series = (scale: number) =>
    combinations.map((c, i) => ({
      key: combinationKey(c),
      mean: Array.from({ length: horizon }, () => scale * (i + 1)),
      variance: Array.from({ length: horizon }, () => scale * (i + 1) * 2),
      method: 'm',
    }));
  const rows = assembleProductionRows({
    asOf,
    horizon,
    runId: 'run-1',
    generatedAt: '2025-05-15T06:00:00.000Z',
    actualsFrom: '2025-01-01',
    combinations,
    daily,
    forecasts: { mqls: series(4), sqls: series(1.5), sqos: [] },
    rates: new Map(combinations.map((c) => [combinationKey(c), 0.3])),
    models: { mqls: MSTL_ETS, sqls: V3_RIDGE },
  });
  const mapping: MappingRow[] = combinations.map((c, i) => ({
    super_segment: i === 0 ? 'Inbound_Marketing' : 'Outbound',
    Channel_Grouping_Name: c.channel,
    Original_source: c.source,
    sql_count: 10 * (i + 1),
    super_segment_total: i === 0 ? 10 : 50,
    normalized_fraction: i === 0 ? 1 : (10 * (i + 1)) / 50,
    weight_method: i === 2 ? 'exposure_adjusted' : 'historical',
    window_start: addDays(asOf, -180),
    window_end: asOf,
    run_id: 'run-1',
  }));
  const run: RunRecord = {
    run_id: 'run-1',
    as_of: asOf,
    status: 'published',
    config_hash: 'h',
    horizon,
    mql_model: MSTL_ETS,
    sql_model: V3_RIDGE,
    started_at: '2025-05-15T06:00:00.000Z',
    finished_at: '2025-05-15T06:00:05.000Z',
    published_at: '2025-05-15T06:00:05.000Z',
    timings_json: JSON.stringify({ aggregate: 120, forecast: 3400, publish: 80 }),
    row_count: rows.length,
    mapping_row_count: mapping.length,
    error: null,
    warnings_json: JSON.stringify([`channel ${HOSTILE_CHANNEL} fell back to equal shares`]),
    owner: 'host:1',
    heartbeat_at: null,
    request_id: null,
  };
  return { run, production: true, rows, mapping, selection: [], forecastVsActual: [], backtest: null };
}
