import { randomBytes } from 'node:crypto';
import {
  addDays,
  ConfigError,
  daysBetween,
  detectDataEnd,
  effectiveAsOf,
  MAX_HORIZON,
  forecastSettings,
  InvariantViolationError,
  isIsoDate,
  landings,
  periodStart,
  resolveTarget,
  runWarnings,
  stableHash,
  asOfOrToday,
  SPLIT_STAGE,
  toSelectionRows,
  warningsJson,
  type FunnelcastConfig,
  type IsoDate,
  type RunRecord,
  type Warehouse,
} from '@funnelcast/core';
import { computeForecast, historyRequest, validateHistory } from './compute-forecast.js';
import { resolveForecasters } from './forecasters.js';
import { openHistoryReader } from './history-reader.js';
import { openWarehouse } from './open-warehouse.js';
import { openFitPool, threadsProblem } from './parallel/fit-pool.js';
import { REFRESH_PHASES, type RefreshPhase } from './progress.js';
import { defaultOwner, leaseMsOf, startHeartbeat, type Heartbeat } from './refresh-leases.js';
import type { RefreshOptions, RefreshSummary } from './refresh-types.js';

/**
 * A new run id for every execution: `fc_<as-of>_<start, UTC to the second>_<6 random hex>`, so ids sort by as-of date
 * and then by start, and a refresh of other data never takes an earlier run's id. A rerun of the same as-of date
 * replaces it in the views by the production rule (newest as-of date, latest publish), not by reusing its id.
 */
export function runIdFor(asOf: IsoDate, startedAt: Date): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `fc_${asOf.replaceAll('-', '')}_${stamp}_${randomBytes(3).toString('hex')}`;
}

/** The record of a new run, `running` since `startedAt`, before anything is computed. */
export function newRunRecord(
  config: FunnelcastConfig,
  run: { runId: string; asOf: IsoDate; horizon: number; startedAt: string; models: { mqls: string; sqls: string }; owner: string; requestId: string | null },
): RunRecord {
  return {
    run_id: run.runId,
    as_of: run.asOf,
    status: 'running',
    config_hash: stableHash(forecastSettings(config, run.horizon)),
    horizon: run.horizon,
    mql_model: run.models.mqls,
    sql_model: run.models.sqls,
    started_at: run.startedAt,
    finished_at: null,
    published_at: null,
    timings_json: null,
    row_count: null,
    mapping_row_count: null,
    error: null,
    warnings_json: null,
    owner: run.owner,
    heartbeat_at: run.startedAt,
    request_id: run.requestId,
  };
}

/** What a refresh answers when another execution of its request already published: that run, nothing recomputed. */
function alreadyPublishedSummary(
  run: RunRecord,
  context: Pick<RefreshSummary, 'target' | 'warehouse' | 'requestedAsOf' | 'dataEnd' | 'superSegments' | 'timings' | 'productionRun'>,
): RefreshSummary {
  return {
    ...context,
    runId: run.run_id,
    asOf: run.as_of,
    horizon: run.horizon,
    published: true,
    alreadyPublished: true,
    production: context.productionRun?.runId === run.run_id,
    rows: run.row_count ?? 0,
    mappingRows: run.mapping_row_count ?? 0,
    combinations: 0,
    models: { mqls: run.mql_model, sqls: run.sql_model },
    selection: { mqls: [], sqls: [], split: [] },
    landings: [],
    warnings: runWarnings(run),
  };
}

/**
 * Checks the per-call options a user can get wrong.
 * @throws ConfigError naming each bad option.
 */
function validateOptions(asOf: string, horizon: number, threads: number): void {
  const problems = [];
  const threadsWrong = threadsProblem(threads);
  if (threadsWrong) problems.push(threadsWrong);
  if (!isIsoDate(asOf)) problems.push({ where: 'as-of', message: `${JSON.stringify(asOf)} is not a calendar date written YYYY-MM-DD` });
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    problems.push({ where: 'horizon', message: `${horizon} is out of range: a whole number of days from 1 to ${MAX_HORIZON}` });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid refresh options:');
}

/**
 * Refreshes the forecast of one target: reads aggregated history from its warehouse, fits the models, distributes,
 * validates every invariant and publishes atomically. Bad input or a broken invariant throws and publishes nothing;
 * the previous forecast stays published. The run holds a lease while it works (expired ones are reaped first), and
 * with a `requestId` at most one execution of the request publishes.
 */
export async function refresh(config: FunnelcastConfig, options: RefreshOptions = {}): Promise<RefreshSummary> {
  const now = options.now ?? (() => new Date());
  const requestedAsOf = asOfOrToday(options.asOf, now());
  const requestedHorizon = options.horizon ?? config.horizon;
  validateOptions(requestedAsOf, requestedHorizon, options.threads ?? 1);
  const { name: target, target: targetConfig } = resolveTarget(config, options.target);
  if (options.dryRun && !options.warehouse && targetConfig.type === 'bigquery') {
    // Computing a forecast on BigQuery runs (and bills) real jobs, DDL and model reads included: not a dry run.
    throw new ConfigError(
      [{ where: `targets.${target}`, message: 'is BigQuery: its dry run is a cost plan of dry-run jobs (`funnelcast refresh --dry-run`, planRefreshCost), not a computed forecast' }],
      'No computed dry run on BigQuery:',
    );
  }
  const timings = Object.fromEntries(REFRESH_PHASES.map((phase) => [phase, 0])) as Record<RefreshPhase, number>;
  const opened = options.warehouse ? undefined : await openWarehouse(config, target, 'create', options.signal);
  const warehouse: Warehouse = options.warehouse ?? opened!.warehouse;
  const leaseMs = leaseMsOf(config);
  // Started before the history is read, so the threads load the models meanwhile.
  const pool = !options.forecasters && (options.threads ?? 1) > 1 ? openFitPool(options.threads ?? 1) : undefined;
  let recorded: string | undefined;
  let heartbeat: Heartbeat | undefined;
  // Every history this refresh reads, at the as-of date and at the selection origins, from the leads as they were at
  // the first read.
  const histories = openHistoryReader(warehouse);
  try {
    let started = performance.now();
    options.onProgress?.({ phase: 'aggregate', done: 0, total: 1 });
    await warehouse.ensureSchema();
    if (!options.dryRun) await warehouse.abandonExpiredRuns(now(), leaseMs);
    let history = await histories.readHistory(historyRequest(config, requestedAsOf));
    const dataEnd = detectDataEnd(history.daily, requestedAsOf);
    // Days after stale data are unknown, not zero demand: forecast from the day after the data's last one, over the
    // same end date, instead of reading the silent days as zeros in levels and lags.
    const asOf = effectiveAsOf(dataEnd, requestedAsOf);
    const horizon = Math.min(MAX_HORIZON, requestedHorizon + daysBetween(asOf, requestedAsOf));
    const warnings: string[] = [];
    if (asOf !== requestedAsOf) {
      warnings.push(
        `stale data: the leads end on ${dataEnd.lastDay}, ${dataEnd.silentDays} day(s) before the as-of date ${requestedAsOf} ` +
          `(about ${Math.round(dataEnd.expectedEvents)} events were expected over them); forecasting from ${asOf}, so those days are forecast, not counted as zero — load the missing leads and refresh again`,
      );
      history = await histories.readHistory(historyRequest(config, asOf));
    }
    validateHistory(config, history);
    options.onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
    timings.aggregate = performance.now() - started;

    const done = options.requestId === undefined ? null : await warehouse.findPublishedRun(options.requestId);
    if (done) {
      const context = { target, warehouse: warehouse.kind, requestedAsOf, dataEnd, superSegments: config.superSegments, timings };
      return alreadyPublishedSummary(done, { ...context, productionRun: await warehouse.productionRun() });
    }

    const forecasters = options.forecasters ?? (await resolveForecasters(config, warehouse, 'refresh', pool));
    const startedAt = now().toISOString();
    const runId = runIdFor(asOf, new Date(startedAt));
    const record = newRunRecord(config, {
      runId,
      asOf,
      horizon,
      startedAt,
      models: { mqls: forecasters.mqls[0]!.name, sqls: forecasters.sqls[0]!.name },
      owner: options.owner ?? defaultOwner(),
      requestId: options.requestId ?? null,
    });
    if (!options.dryRun) {
      await warehouse.startRun(record);
      recorded = runId;
      heartbeat = startHeartbeat(warehouse, runId, leaseMs, now);
    }

    const computed = await computeForecast(history, {
      config,
      asOf,
      horizon,
      runId,
      generatedAt: startedAt,
      forecasters,
      historyAt: (at) => histories.readHistory(historyRequest(config, at)),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    Object.assign(timings, computed.timings);
    if (computed.violations.length > 0) throw new InvariantViolationError(computed.violations);
    if (options.signal?.aborted) throw new Error('refresh aborted before publishing');

    let publishedRunId = runId;
    if (!options.dryRun) {
      started = performance.now();
      options.onProgress?.({ phase: 'publish', done: 0, total: computed.rows.length });
      // Before the publish, so a failure here publishes nothing and never marks a published run failed: the actuals
      // of the window this refresh read, and retention (production and this still-running run are always spared).
      // Retention counts back from the as-of date, not the clock: a backfill or a replay of past dates keeps what
      // lies within the retention of the day it forecasts from.
      await warehouse.refreshDailyActuals({ since: historyRequest(config, asOf).since, asOf });
      await warehouse.deleteRunsBefore(addDays(asOf, -targetConfig.retentionDays));
      publishedRunId = await warehouse.publishRun(
        {
          ...record,
          status: 'published',
          mql_model: computed.models.mqls,
          sql_model: computed.models.sqls,
          finished_at: now().toISOString(),
          published_at: now().toISOString(),
          timings_json: JSON.stringify(timings),
          row_count: computed.rows.length,
          mapping_row_count: computed.mappingRows.length,
          warnings_json: warningsJson([...warnings, ...computed.warnings]),
        },
        {
          rows: computed.rows,
          mapping: computed.mappingRows,
          selection: [
            ...toSelectionRows(runId, 'mqls', computed.selection.mqls),
            ...toSelectionRows(runId, 'sqls', computed.selection.sqls),
            ...toSelectionRows(runId, SPLIT_STAGE, computed.selection.split),
          ],
        },
      );
      timings.publish = performance.now() - started;
      options.onProgress?.({ phase: 'publish', done: computed.rows.length, total: computed.rows.length });
    }

    const productionRun = await warehouse.productionRun();
    return {
      runId: publishedRunId,
      target,
      warehouse: warehouse.kind,
      asOf,
      requestedAsOf,
      dataEnd,
      horizon,
      published: !options.dryRun,
      alreadyPublished: publishedRunId !== runId,
      production: !options.dryRun && productionRun?.runId === publishedRunId,
      productionRun,
      rows: computed.rows.length,
      mappingRows: computed.mappingRows.length,
      combinations: computed.combinations.length,
      superSegments: config.superSegments,
      models: computed.models,
      selection: computed.selection,
      landings: (['month', 'quarter'] as const).flatMap((by) => landings(computed.rows, by).filter((l) => l.periodStart === periodStart(asOf, by))),
      timings,
      warnings: [...warnings, ...computed.warnings],
    };
  } catch (error) {
    if (recorded !== undefined) await warehouse.failRun(recorded, (error as Error).message, now().toISOString()).catch(() => undefined);
    throw error;
  } finally {
    await histories.close();
    await heartbeat?.stop();
    await pool?.close();
    await opened?.warehouse.close();
  }
}
