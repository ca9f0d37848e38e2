import {
  addDays,
  ConfigError,
  forecastSettings,
  InputError,
  resolveTarget,
  stableHash,
  STAGES,
  type BacktestResultRow,
  type FunnelcastConfig,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type PredictiveSeries,
  type Stage,
  type Warehouse,
} from '@funnelcast/core';
import { computeForecast, historyRequest, validateHistory, type StageForecasters } from '../compute-forecast.js';
import { resolveForecasters } from '../forecasters.js';
import { byCombination, denseSeries } from '../history-series.js';
import { openHistoryReader } from '../history-reader.js';
import { openWarehouse } from '../open-warehouse.js';
import {
  BACKTEST_LEVELS,
  type BacktestOptions,
  type BacktestReport,
  type BacktestResult,
  type MappingBacktestRow,
} from './backtest-types.js';
import { dailyByLevel, forecastsByLevel, segmentSharesOfCombinations, stagesAt, type ByLevel } from './level-units.js';
import { DEFAULT_MAPPING_WINDOWS, mappingWape } from './mapping-backtest.js';
import { BACKTEST_PERIODS, DEFAULT_ORIGIN_COUNT, daysOf, lastFullPeriods, periodEnd, validateOrigins, type BacktestPeriod } from './origins.js';
import { openFitPool, threadsProblem } from '../parallel/fit-pool.js';
import { DEFAULT_BACKTEST_MODELS, resolveModels, type ResolvedModel } from './resolve-models.js';
import { scoreLevel, type UnitForecast } from './score-level.js';
import { summariseBacktest } from './summarise-backtest.js';

/**
 * The two history reads of an origin: what a refresh at the origin would read, looking back as far as the longest
 * mapping window (`history`), and the period's actuals, as of the period's end (`actuals`).
 */
export function originReads(config: FunnelcastConfig, origin: IsoDate, period: BacktestPeriod, windows: readonly number[]): { history: HistoryRequest; actuals: HistoryRequest } {
  const longest = Math.max(config.historyDays, config.mapping.windowDays, ...windows);
  const noCohorts = { cohortStart: origin, cohortEnd: origin, maxLagDays: 0 };
  return {
    history: { ...historyRequest(config, origin), since: addDays(origin, -longest) },
    actuals: { asOf: periodEnd(origin, period), since: origin, conversion: { ...noCohorts, mqlToSql: { ...noCohorts, lookBackDays: 0 } } },
  };
}

/** The mapping backtest's rows in `backtest_results` are named after their window, e.g. `mapping_180d`. */
export const mappingModelName = (windowDays: number): string => `mapping_${windowDays}d`;

/**
 * Checks the options a caller can get wrong.
 * @throws ConfigError naming each bad option.
 */
function validateOptions(options: BacktestOptions): void {
  const problems = [];
  if (options.period !== undefined && !BACKTEST_PERIODS.includes(options.period)) {
    problems.push({ where: 'period', message: `${JSON.stringify(options.period)} is not a period; allowed: ${BACKTEST_PERIODS.join(', ')}` });
  }
  if (typeof options.origins === 'number' && (!Number.isInteger(options.origins) || options.origins < 1 || options.origins > 120)) {
    problems.push({ where: 'origins', message: `${options.origins} is out of range: a whole number of origins from 1 to 120` });
  }
  for (const window of options.mappingWindows ?? []) {
    if (!Number.isInteger(window) || window < 1 || window > 3650) problems.push({ where: 'mappingWindows', message: `${window} is not a whole number of days from 1 to 3650` });
  }
  const threadsWrong = threadsProblem(options.threads ?? 1);
  if (threadsWrong) problems.push(threadsWrong);
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid backtest options:');
}

/** The forecasts of one model at one origin, at every level. */
async function forecastModel(
  model: ResolvedModel,
  context: {
    readonly config: FunnelcastConfig;
    readonly history: FunnelHistory;
    readonly horizon: number;
    readonly production: StageForecasters | null;
    readonly historyAt: (asOf: IsoDate) => Promise<FunnelHistory>;
    readonly keys: readonly string[];
    readonly shares: ReturnType<typeof segmentSharesOfCombinations>;
    readonly backtestId: string;
    readonly generatedAt: string;
  },
): Promise<{ levels: ByLevel<UnitForecast>; warnings: string[] }> {
  const { config, history, horizon, keys, shares } = context;
  const origin = history.asOf;
  if ('production' in model) {
    // The very function refresh publishes with: what is backtested is what is published.
    const computed = await computeForecast(history, {
      config,
      asOf: origin,
      horizon,
      runId: `${context.backtestId}_${origin.replaceAll('-', '')}`,
      generatedAt: context.generatedAt,
      forecasters: context.production!,
      historyAt: context.historyAt,
    });
    const warnings = computed.violations.map((v) => `${origin} production: broke "${v.rule}" on ${v.count} row(s); scored anyway (a refresh would not publish it)`);
    return { levels: forecastsByLevel({ horizon, fine: computed.fine, segments: computed.segments, shares }), warnings };
  }
  const earliest = addDays(origin, -config.historyDays);
  const fine = {} as Record<Stage, PredictiveSeries[]>;
  for (const stage of STAGES) {
    // Each stage on its own per-combination series: SQLs and SQOs are not derived from MQLs, as in the old pipeline.
    fine[stage] = await model.forecaster.forecast({ asOf: origin, horizon, series: denseSeries(history.daily, stage, byCombination, keys, origin, earliest, config.mapping.minExposureDays) });
  }
  return { levels: forecastsByLevel({ horizon, fine, segments: null, shares }), warnings: [] };
}

/** Combinations with any event in the mapping window: the units peers forecast. */
function activeKeys(history: FunnelHistory, windowDays: number): string[] {
  const from = addDays(history.asOf, -windowDays);
  return [...new Set(history.daily.filter((row) => row.date >= from).map(byCombination))].sort();
}

/**
 * Backtests the forecast by rolling origin. For each origin it reads the history before it — the warehouse returns
 * nothing dated on or after the origin, so no model sees the future — forecasts the rest of the month or quarter
 * with every model, and scores that against what then happened at the total, super-segment and Channel × Source
 * levels for MQLs, SQLs and SQOs. It also backtests the mapping windows, stores every figure with
 * `saveBacktest`, and never touches the published forecast.
 *
 * @throws ConfigError for bad options or origins whose period is not complete in the data.
 * @throws InputError when there are no leads or the history before an origin cannot be forecast.
 */
export async function backtest(config: FunnelcastConfig, options: BacktestOptions = {}): Promise<BacktestReport> {
  validateOptions(options);
  const now = options.now ?? (() => new Date());
  const period = options.period ?? 'month';
  const windows = options.mappingWindows ?? DEFAULT_MAPPING_WINDOWS;
  const { name: target } = resolveTarget(config, options.target);
  const opened = options.warehouse ? undefined : await openWarehouse(config, target, 'existing');
  const warehouse: Warehouse = options.warehouse ?? opened!.warehouse;
  // Each origin reads its history, its actuals and, for every model, its selection origins' histories: all of them
  // from the leads as they were at the first read.
  const histories = openHistoryReader(warehouse);
  const pool = (options.threads ?? 1) > 1 ? openFitPool(options.threads ?? 1) : undefined;
  try {
    await warehouse.ensureSchema();
    const data = await warehouse.describeData();
    if (!data) throw new InputError([{ where: 'leads', message: 'there are none: import leads (funnelcast import) or generate the demo before backtesting' }]);
    const dataEnd = addDays(data.lastDate, 1);
    const origins = Array.isArray(options.origins)
      ? [...(options.origins as readonly IsoDate[])].sort()
      : lastFullPeriods(dataEnd, period, (options.origins as number | undefined) ?? DEFAULT_ORIGIN_COUNT);
    validateOrigins(origins, period, data.firstDate, dataEnd);
    const models = await resolveModels(options.models ?? DEFAULT_BACKTEST_MODELS, warehouse, pool);
    // In-warehouse models train a scratch model per origin: one trained later would have seen the scored days.
    const production = models.some((m) => 'production' in m) ? await resolveForecasters(config, warehouse, 'backtest', pool) : null;

    const createdAt = now().toISOString();
    const modelNames = models.map((m) => m.name);
    const configHash = stableHash(JSON.stringify({ settings: forecastSettings(config, config.horizon), period, models: modelNames, windows }));
    const backtestId = `bt_${createdAt.replace(/[-:]/g, '').slice(0, 15)}_${stableHash(`${configHash}|${origins.join(',')}`).slice(0, 8)}`;
    const results: BacktestResult[] = [];
    const timings: { origin: IsoDate; ms: number }[] = [];
    const warnings: string[] = [];
    const steps = origins.length * (models.length + 1);
    let done = 0;
    const progress = (message: string) => options.onProgress?.({ phase: 'backtest', done, total: steps, message });

    for (const origin of origins) {
      const started = performance.now();
      const horizon = daysOf(origin, period);
      progress(`${origin}: reading history`);
      const request = historyRequest(config, origin);
      const reads = originReads(config, origin, period, windows);
      // The mapping backtest looks back as far as its longest window.
      const longHistory = await histories.readHistory(reads.history);
      // Models get exactly what a refresh at this origin would read: what is backtested is what is published.
      const history: FunnelHistory = { ...longHistory, daily: longHistory.daily.filter((row) => row.date >= request.since) };
      validateHistory(config, history);
      // Actuals: history as of the period's end, restricted to the period itself.
      const end = reads.actuals.asOf;
      const after = await histories.readHistory(reads.actuals);
      const periodDaily = after.daily.filter((row) => row.date >= origin && row.date < end);
      const actuals = dailyByLevel(periodDaily, origin, horizon);
      const trained = dailyByLevel(history.daily, addDays(origin, -config.historyDays), config.historyDays);
      const shares = segmentSharesOfCombinations(history.daily, origin, config.mapping.windowDays);
      const keys = activeKeys(history, config.mapping.windowDays);

      for (const model of models) {
        progress(`${origin}: ${model.name}`);
        const forecast = await forecastModel(model, {
          config,
          history,
          horizon,
          production,
          historyAt: (at) => histories.readHistory(historyRequest(config, at)),
          keys,
          shares,
          backtestId,
          generatedAt: createdAt,
        });
        warnings.push(...forecast.warnings);
        for (const level of BACKTEST_LEVELS) {
          for (const stage of stagesAt(level)) {
            const past = trained[level][stage] ?? new Map<string, number[]>();
            const scores = scoreLevel({
              horizon,
              forecasts: forecast.levels[level][stage] ?? new Map(),
              actuals: actuals[level][stage] ?? new Map(),
              history: past,
            });
            for (const [metric, value] of Object.entries(scores)) {
              results.push({ origin, model: model.name, level, stage, metric: metric as keyof typeof scores, value });
            }
          }
        }
        done++;
      }
      progress(`${origin}: mapping windows`);
      for (const windowDays of windows) {
        results.push({ origin, model: mappingModelName(windowDays), level: 'channel_source', stage: 'sqls', metric: 'wape', value: mappingWape({ config, history: longHistory, windowDays, period: periodDaily }) });
      }
      done++;
      progress(`${origin}: done`);
      timings.push({ origin, ms: performance.now() - started });
    }

    const mapping: MappingBacktestRow[] = windows.map((windowDays) => {
      const perOrigin = results.filter((r) => r.model === mappingModelName(windowDays)).map((r) => ({ origin: r.origin, wape: r.value }));
      const defined = perOrigin.flatMap((r) => (r.wape === null ? [] : [r.wape]));
      return { windowDays, wape: defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null, perOrigin };
    });
    const rows: BacktestResultRow[] = results.map((r) => ({ backtest_id: backtestId, ...r }));
    await warehouse.saveBacktest(
      { backtest_id: backtestId, created_at: createdAt, period, origins_json: JSON.stringify(origins), models_json: JSON.stringify(modelNames), config_hash: configHash },
      rows,
    );
    return {
      backtestId,
      target,
      warehouse: warehouse.kind,
      createdAt,
      period,
      origins,
      models: modelNames,
      results,
      summary: summariseBacktest(results.filter((r) => !r.model.startsWith('mapping_'))),
      mapping,
      timings,
      warnings,
    };
  } finally {
    await pool?.close();
    await histories.close();
    await opened?.warehouse.close();
  }
}
