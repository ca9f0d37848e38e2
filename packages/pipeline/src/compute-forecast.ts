import {
  activeCombinations,
  addDays,
  assembleProductionRows,
  checkInvariants,
  combinationKey,
  computeMapping,
  conversionCohortsFromDaily,
  distributeForecast,
  forecastSqos,
  hybridRates,
  InputError,
  lagDistribution,
  startOfPreviousQuarter,
  toMappingRows,
  type Combination,
  type Forecaster,
  type FunnelcastConfig,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type MappingRow,
  type PredictiveSeries,
  type ProductionRow,
  type Problem,
  type SegmentMapping,
  type Stage,
  type Violation,
} from '@funnelcast/core';
import { byCombination, bySegment, denseSeries, sortCombinations } from './history-series.js';
import type { ProgressListener } from './progress.js';

/** The forecasters of the two modelled stages (SQOs follow from SQLs). */
export interface StageForecasters {
  readonly mqls: Forecaster;
  readonly sqls: Forecaster;
}

/** Everything a forecast needs besides the history. */
export interface ForecastContext {
  readonly config: FunnelcastConfig;
  readonly asOf: IsoDate;
  readonly horizon: number;
  readonly runId: string;
  readonly generatedAt: string;
  readonly forecasters: StageForecasters;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** A computed (not yet published) forecast. */
export interface ComputedForecast {
  readonly rows: ProductionRow[];
  readonly mappingRows: MappingRow[];
  readonly mapping: SegmentMapping;
  readonly combinations: readonly Combination[];
  /** Predictive series at the Channel × Source grain, per stage, keyed by combination key. */
  readonly fine: Readonly<Record<Stage, readonly PredictiveSeries[]>>;
  /** The super-segment SQL forecasts before distribution. */
  readonly segments: readonly PredictiveSeries[];
  readonly violations: readonly Violation[];
  readonly warnings: readonly string[];
  /** Milliseconds spent per step. */
  readonly timings: { readonly fit_mqls: number; readonly fit_sqls: number; readonly distribute: number; readonly validate: number };
}

/**
 * The warehouse request for a forecast at `asOf`: history, share window, matured SQL and MQL cohorts (each window
 * ending its longest lag before `asOf`, so every lag counted was fully observed) and the recent MQLs by age.
 */
export function historyRequest(config: FunnelcastConfig, asOf: IsoDate): HistoryRequest {
  const { maturityDays, windowDays, mqlLagDays, mqlLookBackDays } = config.conversion;
  const matured = (maxLagDays: number) => {
    const cohortEnd = addDays(asOf, -maxLagDays);
    return { cohortStart: addDays(cohortEnd, -windowDays), cohortEnd, maxLagDays };
  };
  return {
    asOf,
    since: addDays(asOf, -Math.max(config.historyDays, config.mapping.windowDays)),
    conversion: { ...matured(maturityDays), mqlToSql: { ...matured(mqlLagDays), lookBackDays: mqlLookBackDays } },
  };
}

/**
 * Checks that the history can be forecast: there is some, and every super-segment in it is configured.
 * @throws InputError naming every problem.
 */
export function validateHistory(config: FunnelcastConfig, history: FunnelHistory): void {
  const problems: Problem[] = [];
  if (history.daily.length === 0) {
    problems.push({ where: 'leads', message: `no history before the as-of date ${history.asOf}: nothing to forecast from (import leads dated before it, or pick a later --as-of)` });
  }
  const known = new Set(config.superSegments);
  const unknown = [...new Set(history.daily.map((row) => row.superSegment))].filter((s) => !known.has(s)).sort();
  for (const segment of unknown) {
    problems.push({ where: `super_segment ${JSON.stringify(segment)}`, message: `is not a configured super-segment (superSegments: ${config.superSegments.join(', ')})` });
  }
  const seen = new Set(history.spans.map((span) => span.superSegment));
  config.superSegments.forEach((segment, index) => {
    if (history.daily.length > 0 && !seen.has(segment)) {
      problems.push({
        where: `superSegments[${index}] ${JSON.stringify(segment)}`,
        message: `has no leads before ${history.asOf}; segments in the data: ${[...seen].sort().join(', ') || '(none)'}`,
      });
    }
  });
  if (problems.length > 0) throw new InputError(problems, 'The history cannot be forecast:');
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('refresh aborted');
}

function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

/**
 * The forecast of one as-of date from its history: MQLs per combination, SQLs per super-segment distributed by the
 * Gross–Sohl mapping, SQOs from hybrid conversion rates and the SQL→SQO lag, assembled into production rows and
 * checked against every invariant. Used by refresh and by backtests alike, so what is backtested is what is published.
 */
export async function computeForecast(history: FunnelHistory, context: ForecastContext): Promise<ComputedForecast> {
  const { config, asOf, horizon, forecasters, onProgress, signal } = context;
  const warnings: string[] = [];
  const earliest = addDays(asOf, -config.historyDays);

  const mapping = computeMapping({
    asOf,
    windowDays: config.mapping.windowDays,
    minExposureDays: config.mapping.minExposureDays,
    daily: history.daily,
    spans: history.spans,
    superSegments: config.superSegments,
  });
  const active = activeCombinations(history.daily, asOf, config.mapping.windowDays);
  // SQLs still open at the as-of date become SQOs in the horizon, so their combinations get rows even when the
  // mapping window (shorter than the SQO lag it may be) saw nothing of them.
  const combinations = sortCombinations([...active, ...mapping.weights, ...(history.conversion?.openSqls ?? [])]);
  const keys = combinations.map(combinationKey);

  const mqlSeries = denseSeries(history.daily, 'mqls', byCombination, keys, asOf, earliest);
  let started = performance.now();
  const mqls = await forecasters.mqls.forecast({
    asOf,
    horizon,
    series: mqlSeries,
    onProgress: (done, total) => onProgress?.({ phase: 'fit_mqls', done, total }),
    ...(signal ? { signal } : {}),
  });
  const fitMqls = performance.now() - started;
  checkAborted(signal);

  const segmentSeries = denseSeries(history.daily, 'sqls', bySegment, config.superSegments, asOf, earliest);
  started = performance.now();
  const segments = await forecasters.sqls.forecast({
    asOf,
    horizon,
    series: segmentSeries,
    onProgress: (done, total) => onProgress?.({ phase: 'fit_sqls', done, total }),
    ...(signal ? { signal } : {}),
  });
  const fitSqls = performance.now() - started;
  checkAborted(signal);

  const [distributed, distributeMs] = timed(() => {
    onProgress?.({ phase: 'distribute', done: 0, total: 1 });
    const unmapped = new Set(mapping.unmappedSegments);
    const lost = segments.filter((s) => unmapped.has(s.key) && s.mean.some((m) => m > 0));
    if (lost.length > 0) {
      throw new InputError(lost.map((s) => ({ where: `super_segment ${s.key}`, message: 'has a non-zero SQL forecast but no Channel × Source to distribute it to' })));
    }
    // A combination no segment maps to has no SQL series (zero SQLs); forecastSqos still converts its open SQLs.
    const sqls = distributeForecast(segments.filter((s) => !unmapped.has(s.key)), mapping);
    const cohorts = history.conversion?.cohorts ??
      conversionCohortsFromDaily(history.daily, addDays(asOf, -config.conversion.maturityDays - config.conversion.windowDays), addDays(asOf, -config.conversion.maturityDays));
    const rates = hybridRates({ cohorts, combinations, credibility: config.conversion.credibility });
    const rateByKey = new Map([...rates].map(([key, rate]) => [key, rate.rate]));
    // Daily-count sources carry no lags: SQOs then follow their SQLs on the same day (the seed's rule).
    const lagPmf = history.conversion ? lagDistribution(history.conversion.lagCounts) : [1];
    const sqos = forecastSqos({ horizon, sqls, rates: rateByKey, lagPmf, openSqls: history.conversion?.openSqls ?? [] });
    const rows = assembleProductionRows({
      asOf,
      horizon,
      runId: context.runId,
      generatedAt: context.generatedAt,
      actualsFrom: startOfPreviousQuarter(asOf),
      combinations,
      daily: history.daily,
      forecasts: { mqls, sqls, sqos },
      rates: rateByKey,
      models: { mqls: forecasters.mqls.name, sqls: forecasters.sqls.name },
    });
    onProgress?.({ phase: 'distribute', done: 1, total: 1 });
    return { sqls, sqos, rows };
  });
  const methods = new Map<string, number>();
  for (const series of mqls) methods.set(series.method, (methods.get(series.method) ?? 0) + 1);
  if (methods.size > 1) {
    warnings.push(`MQL series by method: ${[...methods].map(([method, count]) => `${method} ${count}`).join(', ')}`);
  }

  const [violations, validateMs] = timed(() => {
    const segmentSqlTotals = new Map<IsoDate, number>();
    const unmapped = new Set(mapping.unmappedSegments);
    // One date per horizon day, not one per segment and day: addDays parses and formats a date on every call.
    const dates: IsoDate[] = [];
    for (const segment of segments) {
      if (unmapped.has(segment.key)) continue;
      segment.mean.forEach((mean, day) => {
        const date = (dates[day] ??= addDays(asOf, day));
        segmentSqlTotals.set(date, (segmentSqlTotals.get(date) ?? 0) + mean);
      });
    }
    return checkInvariants({ rows: distributed.rows, asOf, horizon, activeCombinations: active, segmentSqlTotals });
  });

  return {
    rows: distributed.rows,
    mappingRows: toMappingRows(mapping, context.runId),
    mapping,
    combinations,
    fine: { mqls, sqls: distributed.sqls, sqos: distributed.sqos },
    segments,
    violations,
    warnings,
    timings: { fit_mqls: fitMqls, fit_sqls: fitSqls, distribute: distributeMs, validate: validateMs },
  };
}
