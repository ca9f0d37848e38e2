import type { BigQueryOptions } from '@google-cloud/bigquery';
import {
  ARIMA_PLUS,
  todayUtc,
  V31_BQML,
  type DataSummary,
  type ForecasterUse,
  type Forecaster,
  type FunnelHistory,
  type HistoryRequest,
  type IN_WAREHOUSE_MODELS,
  type IsoDate,
  type TrainingSettings,
  type TrainRequest,
  type TrainResult,
  type Warehouse,
} from '@funnelcast/core';
import { createArimaPlusForecaster } from './arima-plus-forecaster.js';
import { bigQueryClient } from './bigquery-client.js';
import { refreshDailyActuals, refreshDailyActualsSql } from './daily-actuals.js';
import { schemaStatements, type DatasetRef } from './ddl.js';
import { allHistoryQueries, describeData, readHistory, type LeadCheckContext } from './history-sql.js';
import { arimaForecastSql, MQL_SERIES_COLUMNS, v31ForecastScript } from './bqml-sql.js';
import { createJobRunner, dryRunJobRunner, type DryRunLedger, type QueryInput, type RetryPolicy } from './job-runner.js';
import { latestTrainedVersion } from './model-registry.js';
import { leadsSource, type BigQueryTarget } from './leads-source.js';
import { createPublisher } from './publish.js';
import { deleteRunsBefore } from './retention.js';
import {
  findPublishedRun,
  listRuns,
  productionRun,
  readForecastVsActual,
  readLatestBacktest,
  readMapping,
  readModelSelection,
  readPublished,
  readRun,
} from './read.js';
import { createScratchToken, type ModelContext } from './scratch-models.js';
import { trainModels } from './train-models.js';
import { createV31BqmlForecaster, v31ForecastInput } from './v31-bqml-forecaster.js';
import { tablePath } from './sql-names.js';

/** Options of {@link createBigQueryWarehouse}. */
export interface BigQueryWarehouseOptions {
  /**
   * Credentials to use instead of the target's key file or Application Default Credentials — e.g. an `OAuth2Client`
   * holding a fixed access token, so a test against a local endpoint never probes Google or the metadata server.
   * @defaultValue the target's `keyFilename`, else Application Default Credentials
   */
  readonly authClient?: BigQueryOptions['authClient'];
  /** The clock that stamps `published_at` and dates "today" for the lead checks (UTC). @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** Retries of transient job failures. @defaultValue 4 attempts, 500 ms doubling with full jitter */
  readonly retry?: RetryPolicy;
  /** The configured super-segments: history reads refuse leads of any other. @defaultValue unchecked */
  readonly superSegments?: readonly string[];
  /** The target's name in the config: trained models and their evaluations carry it. @defaultValue `bigquery` */
  readonly targetName?: string;
  /** How models are trained (config `training`). @defaultValue the config schema's defaults */
  readonly training?: TrainingSettings & { readonly scratchModelHours: number };
  /** Cancels the job in flight and fails the call in progress when it aborts (a refresh interrupted or shut down). */
  readonly signal?: AbortSignal;
  /**
   * Dry-run mode: every statement any method sends goes out as a BigQuery dry-run job and is recorded here with its
   * bytes; nothing runs or is written, and reads return nothing. What `--dry-run` uses on BigQuery.
   * @defaultValue statements run
   */
  readonly dryRun?: DryRunLedger;
}

const DEFAULT_TRAINING = { holidayRegion: 'US', arimaHorizon: 180, decomposeTimeSeries: true, scratchModelHours: 24 } as const;

/** The BigQuery warehouse: core's {@link Warehouse}, in-warehouse forecasters, and dry-run cost estimates. */
export interface BigQueryWarehouse extends Warehouse {
  readonly kind: 'bigquery';
  /**
   * `arima-plus` (ML.FORECAST) or `v3.1-bqml` (ML.PREDICT); undefined for any other name. A refresh's read the trained
   * models; a backtest's train scratch models per origin.
   */
  forecaster(model: string, use?: ForecasterUse): Forecaster | undefined;
  /** Bytes a statement would process, from a dry-run job: nothing runs and nothing is billed. */
  estimateBytes(sql: string, input?: QueryInput): Promise<number>;
  /** Bytes the history queries of `request` would process (dry runs): what a refresh scans of the leads. */
  estimateHistoryBytes(request: HistoryRequest): Promise<number>;
  /** Every DDL statement {@link Warehouse.ensureSchema} runs, for review and dry runs. */
  schemaStatements(): string[];
  /** `funnelcast train`: the next version of the ARIMA_PLUS and V3.1 models, evaluated, recorded in `model_evaluations`. */
  trainModels(request: TrainRequest): Promise<TrainResult>;
  /**
   * Sends what a refresh reads `model`'s forecast with — the trained-version lookup, then `ML.FORECAST` (`arima-plus`)
   * or the V3.1 forecast script (`v3.1-bqml`, with no history rows) over `horizon` days from `asOf` — for the cost plan
   * of a dry run. With nothing read in a dry run, the statement names the configured base model.
   */
  sendModelRead(model: (typeof IN_WAREHOUSE_MODELS)[number], asOf: IsoDate, horizon: number): Promise<void>;
}

/**
 * Connects to the target's dataset. Nothing is queried until a method is called; dataset and table names are checked
 * here. Every job carries the target's labels, location and `maximumBytesBilled`, and transient job failures are
 * retried before they surface as `TransientError`.
 * @throws ConfigError when a dataset, table or model name in the target is not a valid BigQuery name.
 */
export function createBigQueryWarehouse(target: BigQueryTarget, options: BigQueryWarehouseOptions = {}): BigQueryWarehouse {
  const client = bigQueryClient(target, options.authClient);
  const runner = createJobRunner(
    client,
    {
      location: target.location,
      labels: target.labels,
      jobTimeoutMs: target.jobTimeoutMs,
      signal: options.signal,
      origin: { keyFilename: target.keyFilename, apiEndpoint: target.apiEndpoint },
      ...(target.maximumBytesBilled === undefined ? {} : { maximumBytesBilled: target.maximumBytesBilled }),
    },
    options.retry,
  );
  const jobs = options.dryRun ? dryRunJobRunner(runner, options.dryRun) : runner;
  const ref: DatasetRef = { projectId: target.projectId, dataset: target.dataset };
  const leads = leadsSource(target);
  const statements = schemaStatements(ref);
  const recountActuals = refreshDailyActualsSql(ref, leads);
  const now = options.now ?? (() => new Date());
  const publisher = createPublisher(jobs, ref, now);
  const checks = (): LeadCheckContext => ({ today: todayUtc(now()), superSegments: options.superSegments });
  const training = options.training ?? DEFAULT_TRAINING;
  const models: ModelContext = {
    jobs,
    ref,
    modelPath: (name) => tablePath(target.projectId, target.modelDataset ?? target.dataset, name),
    target: options.targetName ?? 'bigquery',
    settings: training,
    scratchHours: training.scratchModelHours,
    now,
    token: createScratchToken(),
  };
  const bases = { mqls: target.mqlModelName, sqls: target.sqlModelName };
  const forecasters = (use: ForecasterUse): Record<string, Forecaster> => ({
    [ARIMA_PLUS]: createArimaPlusForecaster(models, bases.mqls, use),
    [V31_BQML]: createV31BqmlForecaster(models, bases.sqls, use),
  });
  const byUse = { refresh: forecasters('refresh'), backtest: forecasters('backtest') };

  return {
    kind: 'bigquery',
    async ensureSchema() {
      // Tables before views, in order: a view's definition is checked against the tables it reads.
      for (const statement of statements) await jobs.query(statement);
    },
    describeData: (): Promise<DataSummary | null> => describeData(jobs, leads),
    readHistory: (request: HistoryRequest): Promise<FunnelHistory> => readHistory(jobs, leads, request, checks()),
    startRun: publisher.startRun,
    heartbeatRun: publisher.heartbeatRun,
    abandonExpiredRuns: publisher.abandonExpiredRuns,
    publishRun: publisher.publishRun,
    findPublishedRun: (requestId) => findPublishedRun(jobs, ref, requestId),
    productionRun: () => productionRun(jobs, ref),
    failRun: publisher.failRun,
    deleteRunsBefore: (cutoff) => deleteRunsBefore(jobs, ref, cutoff),
    refreshDailyActuals: (window) => refreshDailyActuals(jobs, recountActuals, window),
    saveBacktest: publisher.saveBacktest,
    listRuns: (limit) => listRuns(jobs, ref, limit),
    readPublished: (filter) => readPublished(jobs, ref, filter),
    readMapping: (filter) => readMapping(jobs, ref, filter),
    readModelSelection: () => readModelSelection(jobs, ref),
    readRun: (runId) => readRun(jobs, ref, runId),
    readForecastVsActual: () => readForecastVsActual(jobs, ref),
    readLatestBacktest: () => readLatestBacktest(jobs, ref),
    forecaster: (model, use = 'refresh') => (Object.hasOwn(byUse[use], model) ? byUse[use][model] : undefined),
    trainModels: (request) => trainModels({ jobs, ref, modelPath: models.modelPath, leads, baseNames: bases }, request),
    estimateBytes: (sql, input) => runner.dryRun(sql, input),
    async estimateHistoryBytes(request) {
      const bytes = await Promise.all(allHistoryQueries(leads, request, checks()).map((q) => runner.dryRun(q.sql, q.input)));
      return bytes.reduce((a, b) => a + b, 0);
    },
    schemaStatements: () => [...statements],
    async sendModelRead(model, asOf, horizon) {
      const stage = model === ARIMA_PLUS ? 'mqls' : 'sqls';
      const trained = await latestTrainedVersion(jobs, ref, models.target, stage);
      const path = models.modelPath(trained?.modelName ?? bases[stage]);
      if (stage === 'mqls') await jobs.query(arimaForecastSql(path, MQL_SERIES_COLUMNS, horizon));
      else await jobs.query(v31ForecastScript(path), v31ForecastInput([], asOf, horizon));
    },
    // The client holds no sockets of its own beyond Node's agent; there is nothing to release.
    close: async () => undefined,
  };
}
