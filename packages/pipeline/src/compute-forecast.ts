import {
  activeCombinations,
  addDays,
  assembleProductionRows,
  checkInvariants,
  combinationKey,
  computeMapping,
  forecastSqos,
  InputError,
  startOfPreviousQuarter,
  superSegmentsLine,
  toMappingRows,
  withForecastProportions,
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
  type SelectionGroup,
  type Stage,
  type Violation,
} from '@funnelcast/core';
import { distributeSegmentSqls, refuseUndistributable, segmentSqlTotals, sqoConversion } from './distribute.js';
import { sortCombinations } from './history-series.js';
import type { ProgressListener } from './progress.js';
import { forecastStages, type StageForecasters } from './selection/forecast-stages.js';

export type { StageForecasters } from './selection/forecast-stages.js';

/** Everything a forecast needs besides the history. */
export interface ForecastContext {
  readonly config: FunnelcastConfig;
  readonly asOf: IsoDate;
  readonly horizon: number;
  readonly runId: string;
  readonly generatedAt: string;
  readonly forecasters: StageForecasters;
  /**
   * The history as of an earlier date (what the warehouse would have returned then), for the selection backtest that
   * picks each stage's models. Without it every stage uses its default model.
   */
  readonly historyAt?: (asOf: IsoDate) => Promise<FunnelHistory>;
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
  /** What forecast each stage: the selected model (or blend), or `mixed` when super-segments chose differently. */
  readonly models: { readonly mqls: string; readonly sqls: string };
  /**
   * The selection backtest's evidence per stage and group (a super-segment for SQLs), and how each super-segment's
   * SQLs were split (historical or forecast proportions).
   */
  readonly selection: { readonly mqls: readonly SelectionGroup[]; readonly sqls: readonly SelectionGroup[]; readonly split: readonly SelectionGroup[] };
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
  const unseen = history.daily.length > 0 ? config.superSegments.filter((segment) => !seen.has(segment)) : [];
  for (const segment of unseen) {
    problems.push({
      where: `superSegments[${config.superSegments.indexOf(segment)}] ${JSON.stringify(segment)}`,
      message: `has no leads before ${history.asOf}; segments in the data: ${[...seen].sort().join(', ') || '(none)'}`,
    });
  }
  if (unknown.length > 0 || unseen.length > 0) {
    problems.unshift({
      where: 'superSegments (config)',
      message: `does not match the leads' super-segments: set superSegments in the config file to them with this line:\n      ${superSegmentsLine([...seen].sort())}`,
    });
  }
  if (problems.length > 0) throw new InputError(problems, 'The history cannot be forecast:');
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('refresh aborted');
}

/** The Gross–Sohl mapping of a history at its own as-of date, with the configured window. */
function mappingOf(config: FunnelcastConfig, history: FunnelHistory): SegmentMapping {
  return computeMapping({
    asOf: history.asOf,
    windowDays: config.mapping.windowDays,
    minExposureDays: config.mapping.minExposureDays,
    daily: history.daily,
    spans: history.spans,
    superSegments: config.superSegments,
  });
}

/** The name of what forecast a stage: its one winner, or `mixed(a, b)` when super-segments chose differently. */
function chosenName(groups: readonly SelectionGroup[]): string {
  const names = [...new Set(groups.map((g) => g.scores.find((s) => s.chosen)?.candidate ?? ''))].sort();
  return names.length === 1 ? names[0]! : `mixed(${names.join(', ')})`;
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

  const historical = mappingOf(config, history);
  const active = activeCombinations(history.daily, asOf, config.mapping.windowDays);
  // SQLs still open at the as-of date become SQOs in the horizon, so their combinations get rows even when the
  // mapping window (shorter than the SQO lag it may be) saw nothing of them.
  const combinations = sortCombinations([...active, ...historical.weights, ...(history.conversion?.openSqls ?? [])]);
  const keys = combinations.map(combinationKey);

  const stages = await forecastStages({
    history,
    horizon,
    earliest: (at) => addDays(at, -config.historyDays),
    minSeriesDays: config.mapping.minExposureDays,
    credibility: config.conversion.credibility,
    mappingAt: (past) => mappingOf(config, past),
    combinationKeys: keys,
    superSegments: config.superSegments,
    forecasters,
    ...(context.historyAt ? { historyAt: context.historyAt } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(signal ? { signal } : {}),
  });
  warnings.push(...stages.warnings);
  const mqls = stages.mqls.series;
  const segments = stages.sqls.series;
  checkAborted(signal);
  const models = { mqls: chosenName(stages.mqls.groups), sqls: chosenName(stages.sqls.groups) };
  // Segments whose backtest preferred the funnel-aware forecast proportions are split by them.
  const mapping = withForecastProportions(historical, stages.split.proportions, new Set(keys));

  const [distributed, distributeMs] = timed(() => {
    onProgress?.({ phase: 'distribute', done: 0, total: 1 });
    refuseUndistributable(segments, mapping);
    const sqls = distributeSegmentSqls(segments, mapping);
    const { rates, lagPmf } = sqoConversion(config, history, asOf, combinations);
    const sqos = forecastSqos({ horizon, sqls, rates, lagPmf, openSqls: history.conversion?.openSqls ?? [] });
    const rows = assembleProductionRows({
      asOf,
      horizon,
      runId: context.runId,
      generatedAt: context.generatedAt,
      actualsFrom: startOfPreviousQuarter(asOf),
      combinations,
      daily: history.daily,
      forecasts: { mqls, sqls, sqos },
      rates,
      models,
    });
    onProgress?.({ phase: 'distribute', done: 1, total: 1 });
    return { sqls, sqos, rows };
  });

  const [violations, validateMs] = timed(() =>
    checkInvariants({ rows: distributed.rows, asOf, horizon, activeCombinations: active, segmentSqlTotals: segmentSqlTotals(segments, mapping, asOf) }),
  );

  return {
    rows: distributed.rows,
    mappingRows: toMappingRows(mapping, context.runId),
    mapping,
    combinations,
    fine: { mqls, sqls: distributed.sqls, sqos: distributed.sqos },
    segments,
    violations,
    warnings,
    models,
    selection: { mqls: stages.mqls.groups, sqls: stages.sqls.groups, split: stages.split.groups },
    timings: { ...stages.timings, distribute: distributeMs, validate: validateMs },
  };
}
