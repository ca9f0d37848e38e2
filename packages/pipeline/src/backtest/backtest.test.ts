import {
  combinationKey,
  createRng,
  dateRange,
  parseConfig,
  samplePoisson,
  toDayNumber,
  type BacktestResultRow,
  type BacktestRunRecord,
  type CombinationSpan,
  type DailyCounts,
  type FunnelHistory,
  type HistoryRequest,
  type MappingRow,
  type ModelSelectionRow,
  type ProductionRow,
  type RunRecord,
  type Warehouse,
} from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { refresh } from '../refresh.js';
import { loggedHistoryReads } from '../testing/logged-history-reads.js';
import { backtest } from './backtest.js';
import type { BacktestReport, BacktestSummaryRow } from './backtest-types.js';

/** Day 0 of the growth curve. */
const DAY0 = toDayNumber('2024-01-01');

/** Weekday weights (Sunday first): B2B leads come on weekdays. */
const WEEKDAY = [0.3, 1.2, 1.25, 1.25, 1.2, 1.1, 0.3];

/** A segment of the synthetic funnel: a smooth SQL rate split among combinations by fixed shares. */
interface SegmentProcess {
  readonly name: string;
  /** SQLs per average day. */
  readonly rate: number;
  readonly shares: readonly number[];
  /** Shares from `shiftOn` on (the shifting-share process). */
  readonly shifted?: readonly number[];
  /**
   * Relative amplitude of a smooth yearly cycle in the segment's level, on top of 25% growth a year (absent: a flat
   * level). Only a model of the whole segment has the data to learn it; sparse combinations do not.
   */
  readonly yearly?: number;
}

/**
 * Daily counts of a known process: per segment and day, SQLs of each combination are Poisson(rate × weekday ×
 * share), MQLs Poisson with three times that rate, and each SQL becomes an SQO the same day with probability 0.4.
 */
function simulate(segments: readonly SegmentProcess[], from: string, to: string, seed: number, shiftOn?: string): DailyCounts[] {
  const random = createRng(seed);
  const out: DailyCounts[] = [];
  for (const date of dateRange(from, to)) {
    const weekday = WEEKDAY[(toDayNumber(date) + 4) % 7]!;
    segments.forEach((segment, s) => {
      const shares = shiftOn !== undefined && date >= shiftOn && segment.shifted ? segment.shifted : segment.shares;
      shares.forEach((share, c) => {
        const day = toDayNumber(date);
        const level = segment.yearly === undefined ? 1 : (1 + segment.yearly * Math.sin((2 * Math.PI * day) / 365.25 + s)) * 1.25 ** ((day - DAY0) / 365.25);
        const rate = segment.rate * level * weekday * share;
        const sqls = samplePoisson(random, rate);
        const mqls = sqls + samplePoisson(random, 2 * rate);
        let sqos = 0;
        for (let i = 0; i < sqls; i++) if (random() < 0.4) sqos++;
        if (mqls > 0) out.push({ date, superSegment: segment.name, channel: `Channel ${s}`, source: `source ${c}`, mqls, sqls, sqos });
      });
    });
  }
  return out;
}

/**
 * The Warehouse port over daily counts held in memory: it returns only rows dated before the as-of date, records
 * backtests and publishes runs, which is all the pipeline asks of a warehouse.
 */
function memoryWarehouse(all: readonly DailyCounts[]) {
  const runs = new Map<string, RunRecord>();
  const published: { rows: ProductionRow[]; mapping: MappingRow[]; selection: ModelSelectionRow[] } = { rows: [], mapping: [], selection: [] };
  const backtests: { run: BacktestRunRecord; results: readonly BacktestResultRow[] }[] = [];
  const readHistory = async (request: HistoryRequest): Promise<FunnelHistory> => {
    const before = all.filter((row) => row.date < request.asOf);
    const spans = new Map<string, CombinationSpan>();
    for (const row of before) {
      const key = `${row.superSegment}|${combinationKey(row)}`;
      const span = spans.get(key);
      spans.set(key, {
        superSegment: row.superSegment,
        channel: row.channel,
        source: row.source,
        firstDate: span && span.firstDate < row.date ? span.firstDate : row.date,
        lastDate: span && span.lastDate > row.date ? span.lastDate : row.date,
      });
    }
    return { asOf: request.asOf, daily: before.filter((row) => row.date >= request.since), spans: [...spans.values()], conversion: null };
  };
  const warehouse: Warehouse = {
    kind: 'memory',
    ensureSchema: async () => undefined,
    describeData: async () => {
      const dates = all.map((row) => row.date).sort();
      return {
        leads: all.reduce((sum, row) => sum + row.mqls, 0),
        firstDate: dates[0]!,
        lastDate: dates.at(-1)!,
        superSegments: [...new Set(all.map((row) => row.superSegment))].sort(),
        combinations: new Set(all.map((row) => combinationKey(row))).size,
      };
    },
    readHistory,
    startRun: async (record) => void runs.set(record.run_id, record),
    publishRun: async (record, { rows, mapping, selection }) => {
      runs.set(record.run_id, record);
      published.rows = [...rows];
      published.mapping = [...mapping];
      published.selection = [...selection];
      return record.run_id;
    },
    heartbeatRun: async () => undefined,
    abandonExpiredRuns: async () => [],
    deleteRunsBefore: async () => [],
    refreshDailyActuals: async () => undefined,
    findPublishedRun: async () => null,
    productionRun: async () => null,
    failRun: async (runId, error) => {
      const run = runs.get(runId);
      if (run) runs.set(runId, { ...run, status: 'failed', error });
    },
    listRuns: async () => [...runs.values()],
    readPublished: async () => published.rows,
    readMapping: async () => published.mapping,
    readModelSelection: async () => published.selection,
    readRun: async () => null,
    readForecastVsActual: async () => [],
    readLatestBacktest: async () => null,
    saveBacktest: async (run, results) => void backtests.push({ run, results }),
    close: async () => undefined,
  };
  return { warehouse, backtests };
}

const SEGMENTS = ['Outbound', 'Inbound_Marketing'];
const config = parseConfig({ superSegments: SEGMENTS });
/** Flat segment levels with fixed shares among eight combinations each (the sparsest gets a lead every few days). */
const STABLE: readonly SegmentProcess[] = [
  { name: 'Outbound', rate: 8, shares: [0.3, 0.2, 0.15, 0.1, 0.1, 0.07, 0.05, 0.03] },
  { name: 'Inbound_Marketing', rate: 12, shares: [0.25, 0.2, 0.15, 0.12, 0.1, 0.08, 0.06, 0.04] },
];
/** Fixed shares, and segment totals that grow and swing smoothly over the year. */
const SEASONAL: readonly SegmentProcess[] = STABLE.map((s) => ({ ...s, yearly: 0.35 }));
/** The same flat segments whose shares reverse on the shift day: the big combinations become the small ones. */
const SHIFTING: readonly SegmentProcess[] = STABLE.map((s) => ({ ...s, shifted: [...s.shares].reverse() }));
const NOW = () => new Date('2025-01-05T12:00:00Z');

function summary(report: BacktestReport, model: string, level: string, stage: string, metric: string): number {
  const row = report.summary.find((r: BacktestSummaryRow) => r.model === model && r.level === level && r.stage === stage && r.metric === metric);
  if (row?.value === undefined || row.value === null) throw new Error(`no ${metric} of ${model} at ${level} ${stage}`);
  return row.value;
}

// Each backtest fits every model at every origin: seconds, not milliseconds.
const SLOW = 90_000;

describe('backtest on processes with a known answer', { timeout: SLOW }, () => {
  it('stable shares: distribution beats per-combination models at Channel × Source and on the period total', async () => {
    // Smooth segment totals with a yearly cycle and growth: the segment model has the counts to learn them, a model
    // of one sparse combination does not — and with fixed shares, distributing loses nothing.
    const { warehouse } = memoryWarehouse(simulate(SEASONAL, '2022-01-01', '2025-01-01', 11));
    const report = await backtest(config, { warehouse, origins: 4, now: NOW });
    expect(report.origins).toEqual(['2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01']);
    const wape = (model: string) => summary(report, model, 'channel_source', 'sqls', 'wape');
    const figures = JSON.stringify(report.summary.filter((r) => r.stage === 'sqls' && ['wape', 'abs_pct_error'].includes(r.metric)));
    expect(wape('production'), figures).toBeLessThan(wape('v1'));
    expect(wape('production')).toBeLessThan(wape('naive'));
    const totalError = (model: string) => summary(report, model, 'total', 'sqls', 'abs_pct_error');
    expect(totalError('production')).toBeLessThan(totalError('v1'));
    expect(totalError('production')).toBeLessThan(totalError('naive'));
    expect(report.summary.find((r) => r.model === 'production' && r.level === 'channel_source' && r.stage === 'sqls' && r.metric === 'wape')?.ratioToV1).toBeLessThan(1);
    // With stable shares a longer window estimates them better: the mapping backtest prefers 365 days to 90.
    const mapping = new Map(report.mapping.map((m) => [m.windowDays, m.wape!]));
    expect(mapping.get(365)!).toBeLessThan(mapping.get(90)!);
  });

  it('shifting shares: distribution with stale shares does not beat per-combination models', async () => {
    const { warehouse } = memoryWarehouse(simulate(SHIFTING, '2023-07-01', '2025-01-01', 12, '2024-07-15'));
    const report = await backtest(config, { warehouse, origins: ['2024-10-01', '2024-11-01', '2024-12-01'], now: NOW });
    const wape = (model: string) => summary(report, model, 'channel_source', 'sqls', 'wape');
    const figures = JSON.stringify(report.summary.filter((r) => r.stage === 'sqls' && r.metric === 'wape'));
    expect(wape('production'), figures).toBeGreaterThan(wape('naive'));
    expect(wape('production')).toBeGreaterThan(wape('v1'));
    // The mapping backtest sees the shift too: the short window, mostly after it, is the better one.
    const mapping = new Map(report.mapping.map((m) => [m.windowDays, m.wape!]));
    expect(mapping.get(90)!).toBeLessThan(mapping.get(365)!);
  });
});

describe('backtest bookkeeping', { timeout: SLOW }, () => {
  const daily = simulate(STABLE, '2023-07-01', '2025-01-01', 13);

  it('no look-ahead: rewriting every row on or after an origin leaves that origin’s forecasts unchanged', async () => {
    const origin = '2024-11-01';
    const options = { origins: [origin], now: NOW } as const;
    const before = await backtest(config, { ...options, warehouse: memoryWarehouse(daily).warehouse });
    // Every count on or after the origin is scaled, and the actual totals move with it…
    const mutated = daily.map((row) => (row.date >= origin ? { ...row, mqls: row.mqls * 5 + 1, sqls: row.sqls * 5 + 1, sqos: row.sqos * 5 + 1 } : row));
    const after = await backtest(config, { ...options, warehouse: memoryWarehouse(mutated).warehouse });
    const pick = (report: BacktestReport, metric: string) =>
      report.results.filter((r) => r.metric === metric).map((r) => [r.model, r.level, r.stage, r.value]);
    expect(pick(after, 'actual_total')).not.toEqual(pick(before, 'actual_total'));
    // …but no forecast of any model, at any level or stage, sees it.
    expect(pick(after, 'forecast_total').length).toBeGreaterThan(0);
    expect(pick(after, 'forecast_total')).toEqual(pick(before, 'forecast_total'));
  });

  it('stores every result with saveBacktest and leaves the published forecast untouched', async () => {
    const { warehouse, backtests } = memoryWarehouse(daily);
    await refresh(config, { warehouse, asOf: '2025-01-01', horizon: 31, now: NOW });
    const published = { runs: await warehouse.listRuns(), rows: await warehouse.readPublished(), mapping: await warehouse.readMapping() };
    expect(published.rows.length).toBeGreaterThan(0);
    const report = await backtest(config, { warehouse, origins: ['2024-12-01'], models: ['production', 'naive'], now: NOW });
    expect(await warehouse.listRuns()).toEqual(published.runs);
    expect(await warehouse.readPublished()).toEqual(published.rows);
    expect(await warehouse.readMapping()).toEqual(published.mapping);

    expect(backtests).toHaveLength(1);
    const [stored] = backtests;
    expect(stored!.run).toMatchObject({ backtest_id: report.backtestId, period: 'month', origins_json: '["2024-12-01"]', models_json: '["production","naive"]' });
    expect(stored!.results).toHaveLength(report.results.length);
    const keys = stored!.results.map((r) => [r.origin, r.model, r.level, r.stage, r.metric].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
    // Two models × (3 + 1 + 3 level-stages) × 12 metrics, and one WAPE per mapping window.
    expect(stored!.results).toHaveLength(2 * 7 * 12 + 3);
    expect(stored!.results.filter((r) => r.model === 'mapping_180d')).toEqual([
      expect.objectContaining({ level: 'channel_source', stage: 'sqls', metric: 'wape', value: expect.any(Number) }),
    ]);
    // The capture rate is 1 + the signed error, as in the seed's −27.1% ⇒ 72.9%.
    const at = (metric: string) => stored!.results.find((r) => r.model === 'production' && r.level === 'total' && r.stage === 'sqls' && r.metric === metric)!.value!;
    expect(at('capture_rate')).toBeCloseTo(1 + at('signed_pct_error') / 100, 12);
  });

  it('asks in-warehouse models for scratch training at backtest origins, and for the trained models in a refresh', async () => {
    const { warehouse: memory } = memoryWarehouse(daily);
    const { createForecaster } = await import('@funnelcast/models');
    const asked: string[] = [];
    // Stand-ins for BigQuery's arima-plus and v3.1-bqml: what matters is which use each was resolved for.
    const warehouse: Warehouse = {
      ...memory,
      forecaster: (model, use = 'refresh') => {
        asked.push(`${model}:${use}`);
        const naive = createForecaster('seasonal-naive');
        return { name: model, forecast: (request) => naive.forecast(request) };
      },
    };
    const inWarehouse = parseConfig({ superSegments: SEGMENTS, models: { mqls: 'arima-plus', sqls: 'v3.1-bqml' } });
    await backtest(inWarehouse, { warehouse, origins: ['2024-12-01'], models: ['production', 'v1'], now: NOW });
    expect(new Set(asked)).toEqual(new Set(['arima-plus:backtest', 'v3.1-bqml:backtest']));
    asked.length = 0;
    await refresh(inWarehouse, { warehouse, asOf: '2025-01-01', horizon: 31, now: NOW });
    expect(new Set(asked)).toEqual(new Set(['arima-plus:refresh', 'v3.1-bqml:refresh']));
  });

  it('reads every history, the selection origins\' too, through one history reader of its own, closed at the end', async () => {
    const { warehouse: memory } = memoryWarehouse(daily);
    const log: string[] = [];
    const warehouse = loggedHistoryReads(memory, log);
    await backtest(config, { warehouse, origins: ['2024-12-01'], models: ['production'], now: NOW });
    // The origin's history, its actuals at the month's end, then the selection origins before it.
    expect(log.slice(0, 3)).toEqual(['open', 'read 2024-12-01', 'read 2025-01-01']);
    expect(log.slice(3, -1).length).toBeGreaterThan(0);
    expect(log.slice(3, -1).every((entry) => entry.startsWith('read ') && entry < 'read 2024-12-01')).toBe(true);
    expect(log.at(-1)).toBe('close');
  });

  it('refuses origins whose period is not complete in the data, and unknown models, naming each', async () => {
    const { warehouse } = memoryWarehouse(daily);
    await expect(backtest(config, { warehouse, origins: ['2024-12-01', '2025-01-01'] })).rejects.toThrow(/after the latest data \(2024-12-31\)/);
    await expect(backtest(config, { warehouse, origins: 2, models: ['production', 'prophet'] })).rejects.toThrow(/unknown model "prophet"; allowed: production, v1, naive/);
  });
});
