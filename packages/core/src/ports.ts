import type {
  BacktestResultRow,
  BacktestRunRecord,
  ForecastVsActualRow,
  MappingRow,
  ModelEvaluationRow,
  ModelSelectionRow,
  ProductionRow,
  RunRecord,
} from './columns.js';
import type { IsoDate } from './vocabulary.js';

/**
 * The ports the edges implement. Core declares them in domain words; the DuckDB and BigQuery adapters implement
 * {@link Warehouse}, the models package and the BigQuery adapter implement {@link Forecaster}. The pipeline only
 * ever sees these interfaces.
 */

/**
 * Counts for one day at the finest grain the warehouse keeps: super-segment × Channel × Source. Only days with at
 * least one event appear; a missing day means zero.
 */
export interface DailyCounts {
  readonly date: IsoDate;
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  readonly mqls: number;
  readonly sqls: number;
  readonly sqos: number;
}

/** When a super-segment × Channel × Source first and last had a lead, over all history before the as-of date. */
export interface CombinationSpan {
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  /** The first day with any event (MQL, SQL or SQO). */
  readonly firstDate: IsoDate;
  /** The last day with any event before the as-of date. */
  readonly lastDate: IsoDate;
}

/** SQLs of a matured cohort and how many of them became SQOs before the as-of date. */
export interface ConversionCohort {
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  readonly sqls: number;
  readonly sqos: number;
}

/** SQLs still open (not yet an SQO) at the as-of date, by age in days (`asOf − sql_date`, ≥ 1). */
export interface OpenSqls {
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  readonly ageDays: number;
  readonly count: number;
}

/**
 * The MQLs of one grain dated `ageDays` before the as-of date, and how many of them had an SQL dated before it. Young
 * ages have not finished converting (right-censored): their `sqls` are a lower bound of what the cohort will bring.
 */
export interface MqlAgeCohort {
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  /** `asOf − mql_date`, ≥ 1. */
  readonly ageDays: number;
  readonly mqls: number;
  /** Of those MQLs, the ones with an SQL before the as-of date. */
  readonly sqls: number;
}

/** What lead-level data says about MQL→SQL conversion at the as-of date. */
export interface MqlToSqlHistory {
  /** MQLs by grain and age, ages 1 … `lookBackDays`; only ages with MQLs appear. */
  readonly byAge: readonly MqlAgeCohort[];
  /**
   * `lagCounts[k]` = leads of the matured MQL cohorts (MQL dated in `[cohortStart, cohortEnd)`) with an SQL dated `k`
   * days after their MQL (k = 0 … maxLagDays), the SQL before the as-of date.
   */
  readonly lagCounts: readonly number[];
  /**
   * Leads of the same cohorts whose SQL came more than `maxLagDays` after their MQL (and before the as-of date): the
   * converters `lagCounts` leaves out, so shares of converters are not overstated.
   */
  readonly laterSqls: number;
}

/**
 * What lead-level data says about SQL→SQO and MQL→SQL conversion. Absent when the source is a daily-counts relation,
 * in which case the pipeline falls back to `sqos = sqls × rate` with rates from daily counts.
 */
export interface ConversionHistory {
  /** Matured cohorts: SQLs dated in `[cohortStart, cohortEnd)`, their SQOs counted before the as-of date. */
  readonly cohorts: readonly ConversionCohort[];
  /** `lagCounts[k]` = SQOs of the matured cohorts that came `k` days after their SQL (k = 0 … maxLagDays). */
  readonly lagCounts: readonly number[];
  /** SQLs open at the as-of date, dated within `maxLagDays` before it. */
  readonly openSqls: readonly OpenSqls[];
  /** The stage before: MQLs by age and the MQL→SQL lag. */
  readonly mqlToSql: MqlToSqlHistory;
}

/**
 * Matured cohorts of one stage: dated in `[cohortStart, cohortEnd)`, their next-stage lags counted up to `maxLagDays`.
 * `cohortEnd` at least `maxLagDays` before the as-of date keeps every counted lag fully observed.
 */
export interface CohortWindow {
  readonly cohortStart: IsoDate;
  readonly cohortEnd: IsoDate;
  readonly maxLagDays: number;
}

/** What the pipeline asks the warehouse for. All windows end before `asOf`: nothing on or after it is read. */
export interface HistoryRequest {
  readonly asOf: IsoDate;
  /** First day of daily counts to return (models look back this far). */
  readonly since: IsoDate;
  /** The matured SQL cohorts for SQL→SQO rates and lag; with `mqlToSql`, the matured MQL cohorts and the MQLs by age. */
  readonly conversion: CohortWindow & {
    readonly mqlToSql: CohortWindow & {
      /** MQLs dated 1 … `lookBackDays` days before the as-of date are returned by age. */
      readonly lookBackDays: number;
    };
  };
}

/** The aggregated history before an as-of date: small enough to travel into Node whatever the lead count. */
export interface FunnelHistory {
  readonly asOf: IsoDate;
  /** Non-zero daily counts in `[since, asOf)`. */
  readonly daily: readonly DailyCounts[];
  /** Spans over all history before `asOf` (not only since `since`). */
  readonly spans: readonly CombinationSpan[];
  /** Lead-level conversion facts, or `null` for a daily-counts source. */
  readonly conversion: ConversionHistory | null;
}

/**
 * History reads at several as-of dates over the same leads (a refresh's selection origins, a backtest's), answering
 * exactly what {@link Warehouse.readHistory} would, from work the reads share. It reads the leads as they were at its
 * first read: close it when the reads are done, and open a new one to see leads changed since.
 */
export interface HistoryReader {
  readHistory(request: HistoryRequest): Promise<FunnelHistory>;
  /** Releases what the reads shared. */
  close(): Promise<void>;
}

/** The shape of the data a warehouse holds, for messages and defaults. */
export interface DataSummary {
  readonly leads: number;
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
  readonly superSegments: readonly string[];
  readonly combinations: number;
}

/** Filters for reading the published forecast back. */
export interface PublishedFilter {
  readonly channel?: string;
  readonly source?: string;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/** Everything a run publishes besides its record, all keyed by the record's `run_id`. */
export interface RunRows {
  /** The rows of `vw_production_forecast`. */
  readonly rows: readonly ProductionRow[];
  /** The rows of `vw_super_segment_to_channel_source_mapping`. */
  readonly mapping: readonly MappingRow[];
  /** The rows of `vw_model_selection`: the backtest evidence behind the run's models (empty when none was run). */
  readonly selection: readonly ModelSelectionRow[];
}

/** A stored backtest and every metric it recorded. */
export interface StoredBacktest {
  readonly run: BacktestRunRecord;
  readonly results: readonly BacktestResultRow[];
}

/** The days a refresh recounts into `daily_actuals`: its history window, `[since, asOf)`. */
export interface ActualsWindow {
  readonly since: IsoDate;
  readonly asOf: IsoDate;
}

/** The run the published views show. */
export interface ProductionRun {
  readonly runId: string;
  readonly asOf: IsoDate;
}

/**
 * A place funnelcast reads leads from and publishes forecasts to. Implemented by the embedded DuckDB warehouse and
 * by BigQuery; conformance tests run the same suite against both.
 *
 * It does not forecast by itself, choose models, or validate forecast values: the pipeline does. It does guarantee
 * that {@link Warehouse.publishRun} is atomic, that at most one run of a request is ever published, and that views
 * only ever show the production run: among published runs, the newest as-of date, then the latest `published_at`. An
 * older as-of date's publish is stored (backfills, tracking) but never becomes production.
 */
export interface Warehouse {
  /** `duckdb` or `bigquery`, for summaries and logs. */
  readonly kind: string;
  /**
   * Creates missing tables and views from core's declarations, and adds the columns declared `addedLater` to tables
   * created before them; safe to call on every start.
   */
  ensureSchema(): Promise<void>;
  /** What the leads look like, or `null` when there are none. */
  describeData(): Promise<DataSummary | null>;
  /** Daily aggregates computed in the warehouse (SQL): lead-level rows never leave it. */
  readHistory(request: HistoryRequest): Promise<FunnelHistory>;
  /**
   * A {@link HistoryReader} for many reads, when sharing work between them makes each cheaper than
   * {@link Warehouse.readHistory}; absent when there is nothing to share (each read is its own query anyway).
   */
  historyReader?(): HistoryReader;
  /** Records a run as `running` with its owner and first heartbeat (safe to repeat: the record is replaced). */
  startRun(record: RunRecord): Promise<void>;
  /** Renews a running run's lease: sets its `heartbeat_at`. */
  heartbeatRun(runId: string, at: string): Promise<void>;
  /**
   * Stores every `running` run whose lease ran out before `now` (last heartbeat, or start, older than `leaseMs`) as
   * `abandoned`, saying when the lease expired and whose it was. Returns their ids.
   */
  abandonExpiredRuns(now: Date, leaseMs: number): Promise<string[]>;
  /**
   * Writes the run's rows, mapping and model selection, then marks it `published`, in one step: a crash at any point
   * leaves the previously published run visible. Rows of an earlier publish of the same id are replaced, never
   * duplicated. When the record has a `request_id` another run of which is already published, nothing is written:
   * this run is stored `abandoned` instead. Returns the id of the run published for the request: this one, or the
   * one that published first.
   */
  publishRun(record: RunRecord, rows: RunRows): Promise<string>;
  /** The published run of a request, or null when no execution of it published. */
  findPublishedRun(requestId: string): Promise<RunRecord | null>;
  /** The run the views show, or null when none is published. */
  productionRun(): Promise<ProductionRun | null>;
  /** Marks a run `failed` with its reason; the published run is untouched. */
  failRun(runId: string, error: string, finishedAt: string): Promise<void>;
  /**
   * Retention: deletes the runs dated before `cutoff` (as-of date) with everything they wrote — rows, mapping, model
   * selection, their records — in one step. Never the production run, however old (refreshes may stop for longer than
   * the retention), and never a run still `running`. Returns the ids of the deleted runs.
   */
  deleteRunsBefore(cutoff: IsoDate): Promise<string[]>;
  /**
   * Recounts `daily_actuals` over `[since, asOf)` from the leads, in one step: every day of the window is replaced
   * (a day whose events were removed loses its row), days outside it are kept. `vw_forecast_vs_actual` reads its
   * actuals from this table.
   */
  refreshDailyActuals(window: ActualsWindow): Promise<void>;
  /** Runs, newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  /** Rows of the production run (what `vw_production_forecast` shows), ordered by date and combination. */
  readPublished(filter?: PublishedFilter): Promise<ProductionRow[]>;
  /** Mapping rows of the production run, optionally for one super-segment. */
  readMapping(filter?: { readonly superSegment?: string }): Promise<MappingRow[]>;
  /**
   * Model-selection rows of the production run (what `vw_model_selection` shows), ordered by stage,
   * super-segment (the stage-wide rows, NULL, first) and candidate.
   */
  readModelSelection(): Promise<ModelSelectionRow[]>;
  /**
   * What a published run wrote, production or not (a backfill, an earlier day), in the order of the views' reads; null
   * when no published run has the id.
   */
  readRun(runId: string): Promise<RunRows | null>;
  /**
   * Rows of `vw_forecast_vs_actual`: every published run's forecast days that have passed, beside the actuals, ordered
   * by as-of date, run, date and combination.
   */
  readForecastVsActual(): Promise<ForecastVsActualRow[]>;
  /** The newest stored backtest (by `created_at`) with its results, or null when none was stored. */
  readLatestBacktest(): Promise<StoredBacktest | null>;
  /** Stores a backtest and its results (never touches the published forecast). */
  saveBacktest(run: BacktestRunRecord, results: readonly BacktestResultRow[]): Promise<void>;
  /**
   * A forecaster that runs inside the warehouse (BigQuery's `ML.FORECAST` / `ML.PREDICT`), if it has one by this
   * model name; the embedded warehouse has none.
   */
  forecaster?(model: string, use?: ForecasterUse): Forecaster | undefined;
  /**
   * Trains the warehouse's own models (BigQuery ML) and evaluates them; the embedded warehouse has none to train. A
   * dry run trains nothing: it prices each training statement.
   */
  trainModels?(request: TrainRequest): Promise<TrainResult>;
  /** Releases connections. */
  close(): Promise<void>;
}

/**
 * What an in-warehouse forecaster is for: a `refresh` reads the models `funnelcast train` trained (it never trains);
 * a `backtest` trains a scratch model per origin, named after it, that BigQuery deletes after a while.
 */
export type ForecasterUse = 'refresh' | 'backtest';

/** The settings of the models `funnelcast train` creates (config `training`). */
export interface TrainingSettings {
  /** ARIMA_PLUS `holiday_region`. */
  readonly holidayRegion: string;
  /** ARIMA_PLUS `horizon`: the most days ML.FORECAST reads from the end of the training data. */
  readonly arimaHorizon: number;
  /** ARIMA_PLUS `decompose_time_series`. */
  readonly decomposeTimeSeries: boolean;
}

/** What `funnelcast train` asks of a warehouse. */
export interface TrainRequest {
  /** The configured target's name: model names and evaluations carry it. */
  readonly target: string;
  readonly trainId: string;
  /** When the training started (ISO 8601, UTC). */
  readonly trainedAt: string;
  /** The models learn from every day before this one. */
  readonly asOf: IsoDate;
  /** The first day of training history. */
  readonly since: IsoDate;
  /** `mqls` trains ARIMA_PLUS, `sqls` the V3.1 regressor. */
  readonly stages: readonly ('mqls' | 'sqls')[];
  readonly settings: TrainingSettings;
  /** Price the training statements (dry-run jobs) and write nothing. */
  readonly dryRun: boolean;
}

/** One model a training created (or, in a dry run, would create). */
export interface TrainedModel {
  readonly stage: 'mqls' | 'sqls';
  readonly modelType: string;
  /** The model's name in its dataset, versioned. */
  readonly modelName: string;
  /** Null in a dry run: the next version is decided when the training runs. */
  readonly version: number | null;
  /** What a dry run says its training statement would process; null when it ran. */
  readonly bytes: number | null;
}

/** What a training did: the models, and their evaluations as stored in `model_evaluations` (none in a dry run). */
export interface TrainResult {
  readonly models: readonly TrainedModel[];
  readonly evaluations: readonly ModelEvaluationRow[];
}

/** One daily series to forecast: consecutive days from `start` to the day before the as-of date. */
export interface DailySeries {
  /** A combination key or a super-segment name: whatever the caller groups by. */
  readonly key: string;
  readonly start: IsoDate;
  readonly values: readonly number[];
}

/** What a forecaster is asked. */
export interface ForecastRequest {
  readonly asOf: IsoDate;
  /** Days to forecast, starting on `asOf`. */
  readonly horizon: number;
  readonly series: readonly DailySeries[];
  /** Called after each series, for progress displays. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborts a long fit (worker shutdown). */
  readonly signal?: { readonly aborted: boolean };
}

/**
 * A forecast as a predictive distribution per day, on the count scale: its mean and variance. Core turns these into
 * count quantiles (negative binomial by moment matching, Poisson when the variance does not exceed the mean).
 */
export interface PredictiveSeries {
  readonly key: string;
  /** Expected count per horizon day, ≥ 0. */
  readonly mean: readonly number[];
  /** Predictive variance per horizon day, ≥ 0 (parameter and noise uncertainty). */
  readonly variance: readonly number[];
  /** Which method produced it (a model may fall back per series), e.g. `mstl-ets`, `intermittent`. */
  readonly method: string;
}

/**
 * A model that forecasts daily counts. Implementations: MSTL+ETS and the V3.1-feature Poisson ridge (embedded),
 * ARIMA_PLUS and the V3.1 boosted tree (BigQuery), and the backtest peers.
 *
 * It does not see the grain: the caller decides whether a series is a combination or a super-segment.
 */
export interface Forecaster {
  /** The name shown in `mql_model` / `sql_model` and backtest tables. */
  readonly name: string;
  /**
   * Set on a forecaster that reads a model trained beforehand whose forecasts start where its training data ended
   * (ARIMA_PLUS via `ML.FORECAST`): it cannot forecast from an earlier origin without training again, so a refresh's
   * selection backtest does not ask it there.
   */
  readonly onlyFromTrainingEnd?: boolean;
  /**
   * Set on a forecaster whose forecast of a series depends on that series alone (nothing pooled across the
   * request), so a request may be split into parts forecast side by side with the same result.
   */
  readonly independentSeries?: boolean;
  forecast(request: ForecastRequest): Promise<PredictiveSeries[]>;
}
