import { STAGE_LABELS, type IntervalLevel, type Stage } from './vocabulary.js';

/**
 * The one declaration of every relation funnelcast writes or publishes. DuckDB DDL, BigQuery DDL and LookML are
 * all derived from these objects; nothing else spells out a column list.
 */

/** Warehouse-neutral column types, named as BigQuery names them. */
export type ColumnType = 'STRING' | 'DATE' | 'TIMESTAMP' | 'INT64' | 'FLOAT64' | 'BOOL';

/** Every column type, for the type tables of the DDL and LookML generators (a test checks each is covered). */
export const COLUMN_TYPES: readonly ColumnType[] = ['STRING', 'DATE', 'TIMESTAMP', 'INT64', 'FLOAT64', 'BOOL'];

/**
 * How a numeric column may be aggregated by a BI tool:
 * - `sum`: counts and point forecasts add up over rows;
 * - `bound`: an interval bound; bounds do not add (the LookML layer states its method);
 * - `running_total`: an MTD/QTD running sum; summing it over days is meaningless, take it at the period's last day;
 * - `rate`: a ratio, averaged with weights rather than summed;
 * - `total_moment`: a part of the variance of totals (`{stage}_own_var`, `{stage}_shared_sd`; see
 *   total-distribution.ts); summed only inside the interval measures of totals.
 */
export type Aggregation = 'sum' | 'bound' | 'running_total' | 'rate' | 'total_moment';

/** What a column is for in a BI tool; `group` is the label Looker shows fields under. */
export interface ColumnDeclaration<N extends string = string, T extends ColumnType = ColumnType, Null extends boolean = boolean> {
  readonly name: N;
  readonly type: T;
  readonly nullable: Null;
  /** A short human label. */
  readonly label: string;
  /** What the column means, shown to BI users. */
  readonly description: string;
  /** `dimension` for grain, calendar and run columns; `measure` for numeric facts. */
  readonly role: 'dimension' | 'measure';
  readonly group: Stage | 'grain' | 'calendar' | 'run' | 'mapping' | 'backtest' | 'selection' | 'training';
  /** For measures: how they aggregate. */
  readonly aggregation?: Aggregation;
  /** For stage columns: which stage. */
  readonly stage?: Stage;
  /** For interval bounds: the level and the side. */
  readonly bound?: { readonly level: IntervalLevel; readonly side: 'lower' | 'upper' };
  /**
   * Set on a column added after its table first shipped: `ensureSchema` adds it to a table created without it. Such a
   * column is nullable (old rows have no value, and BigQuery cannot add a REQUIRED column) and declared after every
   * original column, where `ADD COLUMN` puts it.
   */
  readonly addedLater?: true;
  /** For `total_moment` columns: which part of a total's variance the column holds. */
  readonly moment?: 'own_variance' | 'shared_sd';
}

/** A table or view: its columns and the columns that identify one row. */
export interface RelationDeclaration<C extends readonly ColumnDeclaration[] = readonly ColumnDeclaration[]> {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly description: string;
  readonly columns: C;
  readonly primaryKey: readonly C[number]['name'][];
}

type TsValue<T extends ColumnType> = T extends 'INT64' | 'FLOAT64' ? number : T extends 'BOOL' ? boolean : string;

/**
 * The TypeScript row type of a relation: numbers for INT64/FLOAT64, booleans for BOOL, ISO strings for STRING, DATE (`YYYY-MM-DD`)
 * and TIMESTAMP (ISO 8601 with `Z`), `null` allowed exactly where the declaration says nullable.
 */
export type RowOf<R extends RelationDeclaration> = {
  -readonly [K in R['columns'][number] as K['name']]: K['nullable'] extends true ? TsValue<K['type']> | null : TsValue<K['type']>;
};

function column<N extends string, T extends ColumnType, Null extends boolean>(
  name: N,
  type: T,
  nullable: Null,
  label: string,
  description: string,
  rest: Pick<ColumnDeclaration, 'role' | 'group'> & Partial<Pick<ColumnDeclaration, 'aggregation' | 'stage' | 'bound' | 'addedLater' | 'moment'>>,
): ColumnDeclaration<N, T, Null> {
  return { name, type, nullable, label, description, ...rest };
}

function stageColumns<S extends Stage>(stage: S) {
  const noun = STAGE_LABELS[stage];
  const measure = { role: 'measure', group: stage, stage } as const;
  const bound = <Side extends 'lower' | 'upper', L extends 50 | 95>(side: Side, pct: L) =>
    column(`${stage}_${side}_${pct}` as `${S}_${Side}_${L}`, 'FLOAT64', true, `${noun} ${side} ${pct}%`,
      `${side === 'lower' ? 'Lower' : 'Upper'} bound of the central ${pct}% interval of daily ${noun} ` +
        `(the ${side === 'lower' ? (pct === 50 ? '25%' : '2.5%') : pct === 50 ? '75%' : '97.5%'} quantile of the ` +
        `predictive distribution of the count); NULL on ACTUAL rows.`,
      { ...measure, aggregation: 'bound', bound: { level: pct === 50 ? 0.5 : 0.95, side } });
  return [
    column(`${stage}_actual` as `${S}_actual`, 'INT64', true, `${noun} actual`,
      `${noun} that happened on the day; NULL on FORECAST rows.`, { ...measure, aggregation: 'sum' }),
    column(`${stage}_forecast` as `${S}_forecast`, 'FLOAT64', true, `${noun} forecast`,
      `Expected ${noun} on the day (point forecast, the mean); NULL on ACTUAL rows.`, { ...measure, aggregation: 'sum' }),
    bound('lower', 95),
    bound('lower', 50),
    bound('upper', 50),
    bound('upper', 95),
    column(`${stage}_combined` as `${S}_combined`, 'FLOAT64', false, `${noun} combined`,
      `${noun} actual on ACTUAL rows and forecast on FORECAST rows: one continuous series.`,
      { ...measure, aggregation: 'sum' }),
    column(`${stage}_mtd` as `${S}_mtd`, 'FLOAT64', false, `${noun} month to date`,
      `Running sum of ${stage}_combined within the month, per Channel × Source, up to and including the day.`,
      { ...measure, aggregation: 'running_total' }),
    column(`${stage}_qtd` as `${S}_qtd`, 'FLOAT64', false, `${noun} quarter to date`,
      `Running sum of ${stage}_combined within the quarter, per Channel × Source, up to and including the day.`,
      { ...measure, aggregation: 'running_total' }),
  ] as const;
}

// The moments totals of forecast cells need (total-distribution.ts): added after the view first shipped, so they
// come last and `ensureSchema` adds them to a table created without them.
function totalMomentColumns<S extends Stage>(stage: S) {
  const noun = STAGE_LABELS[stage];
  const moment = { role: 'measure', group: stage, stage, aggregation: 'total_moment', addedLater: true } as const;
  return [
    column(`${stage}_own_var` as `${S}_own_var`, 'FLOAT64', true, `${noun} own variance`,
      `The part of the day's predictive variance of ${noun} no other cell shares: its count noise and most of its ` +
        `over-dispersion. A total's variance is SUM(own variance) + SUM(shared sd)²; NULL on ACTUAL rows.`,
      { ...moment, moment: 'own_variance' }),
    column(`${stage}_shared_sd` as `${S}_shared_sd`, 'FLOAT64', true, `${noun} shared sd`,
      `The standard deviation of the day's share of the level error common to all cells and days (a fixed ` +
        `fraction of its variance beyond the mean). A total's variance is SUM(own variance) + SUM(shared sd)²; NULL on ACTUAL rows.`,
      { ...moment, moment: 'shared_sd' }),
  ] as const;
}

const grain = { role: 'dimension', group: 'grain' } as const;
const calendar = { role: 'dimension', group: 'calendar' } as const;
const run = { role: 'dimension', group: 'run' } as const;

const channelColumn = column('Channel_Grouping_Name', 'STRING', false, 'Channel',
  'Marketing channel grouping of the lead (the first half of the Channel × Source grain).', grain);
const sourceColumn = column('Original_source', 'STRING', false, 'Original source',
  'Original source of the lead (the second half of the Channel × Source grain).', grain);
const runIdColumn = column('run_id', 'STRING', false, 'Run ID', 'The forecast run that produced the row.', run);
const asOfColumn = column('as_of', 'DATE', false, 'As-of date',
  'History is every event dated before this day; the forecast starts on it.', run);

/** `vw_production_forecast`: one row per day × Channel × Source, ACTUAL history and the FORECAST horizon. */
export const PRODUCTION_FORECAST = {
  name: 'vw_production_forecast',
  kind: 'view',
  description:
    'Daily MQL, SQL and SQO actuals and forecasts with 50% and 95% intervals by Channel × Source, ' +
    'from the production run: the published run of the newest as-of date (its latest publish).',
  columns: [
    channelColumn,
    sourceColumn,
    column('date_day', 'DATE', false, 'Date', 'The calendar day of the row.', calendar),
    column('data_type', 'STRING', false, 'Data type',
      'ACTUAL for days before the as-of date, FORECAST from the as-of date on.', calendar),
    ...stageColumns('mqls'),
    ...stageColumns('sqls'),
    ...stageColumns('sqos'),
    column('quarter', 'INT64', false, 'Quarter', 'Calendar quarter (1–4) of date_day.', calendar),
    column('month', 'INT64', false, 'Month', 'Calendar month (1–12) of date_day.', calendar),
    column('year', 'INT64', false, 'Year', 'Calendar year of date_day.', calendar),
    column('sql_to_sqo_rate', 'FLOAT64', false, 'SQL→SQO rate',
      'Hybrid SQL→SQO conversion rate of the Channel × Source: its own matured-cohort rate shrunk toward its ' +
        "super-segment's by credibility.",
      { role: 'measure', group: 'sqos', stage: 'sqos', aggregation: 'rate' }),
    column('mql_model', 'STRING', false, 'MQL model', 'The model that produced the MQL forecast.', run),
    column('sql_model', 'STRING', false, 'SQL model', 'The model that produced the SQL forecast.', run),
    runIdColumn,
    asOfColumn,
    column('generated_at', 'TIMESTAMP', false, 'Generated at', 'When the run computed the forecast (UTC).', run),
    ...totalMomentColumns('mqls'),
    ...totalMomentColumns('sqls'),
    ...totalMomentColumns('sqos'),
  ],
  primaryKey: ['date_day', 'Channel_Grouping_Name', 'Original_source'],
} as const satisfies RelationDeclaration;

/** One row of {@link PRODUCTION_FORECAST}. */
export type ProductionRow = RowOf<typeof PRODUCTION_FORECAST>;

/** `vw_super_segment_to_channel_source_mapping`: the weights that distribute each super-segment's SQLs. */
export const SEGMENT_MAPPING = {
  name: 'vw_super_segment_to_channel_source_mapping',
  kind: 'view',
  description:
    'How each super-segment forecast is shared among Channel × Source combinations (Gross–Sohl proportion of ' +
    'historical averages over a trailing window), from the production run.',
  columns: [
    column('super_segment', 'STRING', false, 'Super-segment', 'The coarse segment the SQL model forecasts.',
      { role: 'dimension', group: 'mapping' }),
    channelColumn,
    sourceColumn,
    column('sql_count', 'FLOAT64', false, 'SQL count',
      'SQLs of the combination in the segment over the window (scaled to the full window when exposure-adjusted).',
      { role: 'measure', group: 'mapping', aggregation: 'sum' }),
    column('super_segment_total', 'FLOAT64', false, 'Segment total',
      "The segment's SQL count over the window after exposure adjustment (the normaliser).",
      { role: 'measure', group: 'mapping', aggregation: 'rate' }),
    column('normalized_fraction', 'FLOAT64', false, 'Share',
      "The combination's share of the segment; a segment's shares sum to 1.",
      { role: 'measure', group: 'mapping', aggregation: 'rate' }),
    column('weight_method', 'STRING', false, 'Weight method',
      'historical, exposure_adjusted (started inside the window), equal_fallback (segment had no SQLs) or ' +
        'forecast_proportions (the funnel-aware forecast\'s own split, where the backtest preferred it).',
      { role: 'dimension', group: 'mapping' }),
    column('window_start', 'DATE', false, 'Window start', 'First day of the share window (inclusive).',
      { role: 'dimension', group: 'mapping' }),
    column('window_end', 'DATE', false, 'Window end', 'End of the share window (exclusive: the as-of date).',
      { role: 'dimension', group: 'mapping' }),
    runIdColumn,
  ],
  primaryKey: ['super_segment', 'Channel_Grouping_Name', 'Original_source'],
} as const satisfies RelationDeclaration;

/** One row of {@link SEGMENT_MAPPING}. */
export type MappingRow = RowOf<typeof SEGMENT_MAPPING>;

function versusColumns<S extends Stage>(stage: S) {
  const noun = STAGE_LABELS[stage];
  const measure = { role: 'measure', group: stage, stage } as const;
  return [
    column(`${stage}_forecast` as `${S}_forecast`, 'FLOAT64', false, `${noun} forecast`,
      `What the run forecast for the day.`, { ...measure, aggregation: 'sum' }),
    column(`${stage}_lower_95` as `${S}_lower_95`, 'FLOAT64', false, `${noun} lower 95%`,
      `The run's 2.5% quantile for the day.`, { ...measure, aggregation: 'bound', bound: { level: 0.95, side: 'lower' } }),
    column(`${stage}_upper_95` as `${S}_upper_95`, 'FLOAT64', false, `${noun} upper 95%`,
      `The run's 97.5% quantile for the day.`, { ...measure, aggregation: 'bound', bound: { level: 0.95, side: 'upper' } }),
    column(`${stage}_actual` as `${S}_actual`, 'INT64', false, `${noun} actual`,
      `What then happened on the day.`, { ...measure, aggregation: 'sum' }),
  ] as const;
}

/** `vw_forecast_vs_actual`: every published run's forecast days that have passed, beside what happened. */
export const FORECAST_VS_ACTUAL = {
  name: 'vw_forecast_vs_actual',
  kind: 'view',
  description: "Each published run's FORECAST rows whose day has passed, beside the actuals that then happened.",
  columns: [
    runIdColumn,
    asOfColumn,
    channelColumn,
    sourceColumn,
    column('date_day', 'DATE', false, 'Date', 'The forecast day.', calendar),
    column('horizon_day', 'INT64', false, 'Horizon day', 'Days after the as-of date (0 = the as-of date itself).',
      calendar),
    ...versusColumns('mqls'),
    ...versusColumns('sqls'),
    ...versusColumns('sqos'),
    ...totalMomentColumns('mqls'),
    ...totalMomentColumns('sqls'),
    ...totalMomentColumns('sqos'),
  ],
  primaryKey: ['run_id', 'date_day', 'Channel_Grouping_Name', 'Original_source'],
} as const satisfies RelationDeclaration;

/** One row of {@link FORECAST_VS_ACTUAL}. */
export type ForecastVsActualRow = RowOf<typeof FORECAST_VS_ACTUAL>;

const selection = { role: 'dimension', group: 'selection' } as const;

/**
 * `vw_model_selection`: the evidence behind the models a run forecast with. At each refresh the candidates of a
 * stage (per super-segment where the stage is forecast per segment) are scored by a short rolling-origin backtest on
 * the run's own history; the run forecasts with the winner or a weighted blend.
 */
export const MODEL_SELECTION = {
  name: 'vw_model_selection',
  kind: 'view',
  description:
    'The candidate models of each stage (and super-segment) scored by a rolling-origin backtest at refresh, their ' +
    'errors, weights and which one the forecast used, from the production run.',
  columns: [
    runIdColumn,
    column('stage', 'STRING', false, 'Stage',
      'mqls or sqls: the stage the candidate forecasts; sqls_split: how a super-segment\'s SQLs are split across Channel × Source (historical or forecast_proportions).',
      selection),
    column('super_segment', 'STRING', true, 'Super-segment',
      'The super-segment the candidate was scored on; NULL when the stage is chosen for all its series at once.',
      selection),
    column('candidate', 'STRING', false, 'Candidate',
      'A model name (e.g. mstl-ets, v3-ridge), the equal blend of two (blend:<model>+<model>), the inverse-error ' +
        'ensemble of all, or for sqls_split a split method (historical, forecast_proportions).', selection),
    column('origins', 'INT64', false, 'Origins', 'How many rolling origins the candidate was scored over.', selection),
    column('wape', 'FLOAT64', true, 'WAPE',
      "Weighted absolute percentage error over the origins, recent ones weighing more (Σ|forecast − actual| / Σ actual); NULL when it is " +
        'undefined (no actuals) or was not scored.',
      { role: 'measure', group: 'selection', aggregation: 'rate' }),
    column('pinball', 'FLOAT64', true, 'Pinball loss',
      'Mean pinball (quantile) loss of the interval quantiles over the origins; NULL when not scored.',
      { role: 'measure', group: 'selection', aggregation: 'rate' }),
    column('weight', 'FLOAT64', false, 'Weight',
      "The candidate's weight in the forecast (0–1); the weights of one stage × super-segment sum to 1.",
      { role: 'measure', group: 'selection', aggregation: 'rate' }),
    column('chosen', 'BOOL', false, 'Chosen', 'Whether the run forecast with this candidate (a model or a blend).',
      selection),
  ],
  primaryKey: ['stage', 'super_segment', 'candidate'],
} as const satisfies RelationDeclaration;

/** One row of {@link MODEL_SELECTION}. */
export type ModelSelectionRow = RowOf<typeof MODEL_SELECTION>;

/**
 * Run lifecycle: `running` while computing, `published` once stored whole (production when its as-of date is the
 * newest), `failed` with a reason, `abandoned` when its lease expired (the process stopped heartbeating) or another
 * execution of the same request published first.
 */
export type RunStatus = 'running' | 'published' | 'failed' | 'abandoned';

/** `forecast_runs`: one row per run, the bookkeeping behind atomic publish. */
export const FORECAST_RUNS = {
  name: 'forecast_runs',
  kind: 'table',
  description:
    'One row per forecast run: status, timings, models and row counts. Views read the production run: the published ' +
    'run of the newest as-of date, its latest publish.',
  columns: [
    runIdColumn,
    asOfColumn,
    column('status', 'STRING', false, 'Status',
      'running, published, failed, or abandoned (its lease expired, or another execution of its request published first).', run),
    column('config_hash', 'STRING', false, 'Config hash', 'Hash of the settings that shape the forecast.', run),
    column('horizon', 'INT64', false, 'Horizon', 'Forecast days from the as-of date.', run),
    column('mql_model', 'STRING', false, 'MQL model', 'Model of the MQL forecast.', run),
    column('sql_model', 'STRING', false, 'SQL model', 'Model of the SQL forecast.', run),
    column('started_at', 'TIMESTAMP', false, 'Started at', 'When the run started (UTC).', run),
    column('finished_at', 'TIMESTAMP', true, 'Finished at', 'When the run ended (UTC).', run),
    column('published_at', 'TIMESTAMP', true, 'Published at',
      'When the run was published (UTC); strictly after every earlier publish. Production is the newest as-of date\'s latest publish.', run),
    column('timings_json', 'STRING', true, 'Timings', 'Milliseconds per phase, as JSON.', run),
    column('row_count', 'INT64', true, 'Rows', 'Rows written to the forecast.', run),
    column('mapping_row_count', 'INT64', true, 'Mapping rows', 'Rows written to the mapping.', run),
    column('error', 'STRING', true, 'Error', 'Why a failed run failed, or why a run was abandoned.', run),
    column('warnings_json', 'STRING', true, 'Warnings',
      'What the run warns about (guardrail fallbacks, data that ends before the as-of date), as a JSON array of ' +
        'strings; NULL when there are none.',
      { ...run, addedLater: true }),
    column('owner', 'STRING', true, 'Owner', 'The process running the run (host:pid), which renews its lease.',
      { ...run, addedLater: true }),
    column('heartbeat_at', 'TIMESTAMP', true, 'Heartbeat at',
      'When the owner last renewed the run\'s lease (UTC); a running run not renewed for a lease is abandoned.',
      { ...run, addedLater: true }),
    column('request_id', 'STRING', true, 'Request ID',
      'The request the run executes (e.g. a queue job id); at most one run of a request is ever published.',
      { ...run, addedLater: true }),
  ],
  primaryKey: ['run_id'],
} as const satisfies RelationDeclaration;

/** One row of {@link FORECAST_RUNS}. */
export type RunRecord = RowOf<typeof FORECAST_RUNS>;

/** `backtest_runs`: one row per backtest invocation. */
export const BACKTEST_RUNS = {
  name: 'backtest_runs',
  kind: 'table',
  description: 'One row per backtest: its origins, period and models.',
  columns: [
    column('backtest_id', 'STRING', false, 'Backtest ID', 'Identifies the backtest.', { role: 'dimension', group: 'backtest' }),
    column('created_at', 'TIMESTAMP', false, 'Created at', 'When the backtest ran (UTC).', { role: 'dimension', group: 'backtest' }),
    column('period', 'STRING', false, 'Period', 'month or quarter.', { role: 'dimension', group: 'backtest' }),
    column('origins_json', 'STRING', false, 'Origins', 'The origins, as a JSON array of ISO dates.', { role: 'dimension', group: 'backtest' }),
    column('models_json', 'STRING', false, 'Models', 'The models compared, as a JSON array.', { role: 'dimension', group: 'backtest' }),
    column('config_hash', 'STRING', false, 'Config hash', 'Hash of the settings used.', { role: 'dimension', group: 'backtest' }),
  ],
  primaryKey: ['backtest_id'],
} as const satisfies RelationDeclaration;

/** One row of {@link BACKTEST_RUNS}. */
export type BacktestRunRecord = RowOf<typeof BACKTEST_RUNS>;

/** `backtest_results`: one metric value per backtest × origin × model × level × stage × metric. */
export const BACKTEST_RESULTS = {
  name: 'backtest_results',
  kind: 'table',
  description: 'Accuracy of each model per origin, level and stage.',
  columns: [
    column('backtest_id', 'STRING', false, 'Backtest ID', 'Identifies the backtest.', { role: 'dimension', group: 'backtest' }),
    column('origin', 'DATE', false, 'Origin', 'First forecast day; history is everything before it.', { role: 'dimension', group: 'backtest' }),
    column('model', 'STRING', false, 'Model', 'production, v1, naive or another forecaster.', { role: 'dimension', group: 'backtest' }),
    column('level', 'STRING', false, 'Level', 'total, super_segment or channel_source.', { role: 'dimension', group: 'backtest' }),
    column('stage', 'STRING', false, 'Stage', 'mqls, sqls or sqos.', { role: 'dimension', group: 'backtest' }),
    column('metric', 'STRING', false, 'Metric', 'signed_pct_error, capture_rate, wape, mase, coverage_50, coverage_95, pinball.', { role: 'dimension', group: 'backtest' }),
    column('value', 'FLOAT64', true, 'Value', 'The metric value; NULL where undefined (e.g. zero actuals).', { role: 'measure', group: 'backtest', aggregation: 'rate' }),
  ],
  primaryKey: ['backtest_id', 'origin', 'model', 'level', 'stage', 'metric'],
} as const satisfies RelationDeclaration;

/** One row of {@link BACKTEST_RESULTS}. */
export type BacktestResultRow = RowOf<typeof BACKTEST_RESULTS>;

const training = { role: 'dimension', group: 'training' } as const;

/**
 * `model_evaluations`: what `funnelcast train` measured of each model it trained, one metric per row, and the
 * registry of trained versions — a refresh reads the newest version of its target's model here. `ML.EVALUATE` of the
 * V3.1 regressor gives one row per metric (its columns: `mean_absolute_error`, `mean_squared_error`,
 * `mean_squared_log_error`, `median_absolute_error`, `r2_score`, `explained_variance`, on the held-out last tenth of
 * the training days); `ML.ARIMA_EVALUATE` one row per Channel × Source and metric (`non_seasonal_p`, `non_seasonal_d`,
 * `non_seasonal_q`, `has_drift` as 0/1, `log_likelihood`, `aic`, `variance`).
 */
export const MODEL_EVALUATIONS = {
  name: 'model_evaluations',
  kind: 'table',
  description: 'What funnelcast train measured of each model it trained (ML.EVALUATE, ML.ARIMA_EVALUATE), one metric per row; the registry of trained model versions.',
  columns: [
    column('train_id', 'STRING', false, 'Train ID', 'The funnelcast train invocation that trained the model.', training),
    column('target', 'STRING', false, 'Target', 'The configured target the model belongs to.', training),
    column('stage', 'STRING', false, 'Stage', 'mqls (ARIMA_PLUS) or sqls (the V3.1 regressor).', training),
    column('model_type', 'STRING', false, 'Model type', 'ARIMA_PLUS or BOOSTED_TREE_REGRESSOR.', training),
    column('model_name', 'STRING', false, 'Model name', 'The BigQuery ML model, versioned: <configured name>_<target>_v<version>.', training),
    column('version', 'INT64', false, 'Version', 'The version of the model for its target and stage; a refresh reads the highest.', training),
    column('trained_at', 'TIMESTAMP', false, 'Trained at', 'When the model was trained (UTC).', training),
    column('data_end', 'DATE', false, 'Data end',
      'The training history is every day before this one; ARIMA_PLUS forecasts start on it.', training),
    column('series', 'STRING', true, 'Series',
      'The Channel × Source series of an ARIMA_PLUS metric, as "channel / source"; NULL for a model-wide metric.', training),
    column('metric', 'STRING', false, 'Metric', 'The ML.EVALUATE or ML.ARIMA_EVALUATE column the value comes from.', training),
    column('value', 'FLOAT64', true, 'Value', 'The metric value; NULL where BigQuery returned none.', { role: 'measure', group: 'training', aggregation: 'rate' }),
  ],
  primaryKey: ['train_id', 'model_name', 'series', 'metric'],
} as const satisfies RelationDeclaration;

/** One row of {@link MODEL_EVALUATIONS}. */
export type ModelEvaluationRow = RowOf<typeof MODEL_EVALUATIONS>;

function actualCountColumn<S extends Stage>(stage: S) {
  const noun = STAGE_LABELS[stage];
  return column(stage, 'INT64', false, noun, `${noun} dated on the day.`, { role: 'measure', group: stage, stage, aggregation: 'sum' });
}

/**
 * `daily_actuals`: what happened, per day and grain, as of the latest refresh that covered the day. Each refresh
 * replaces the days of its history window with counts from the leads, so `vw_forecast_vs_actual` joins this small
 * table instead of rescanning every lead on each query. Only days with an event have a row.
 */
export const DAILY_ACTUALS = {
  name: 'daily_actuals',
  kind: 'table',
  description:
    'MQLs, SQLs and SQOs per day × Channel × Source × super-segment, recounted from the leads by every refresh over its ' +
    'history window; vw_forecast_vs_actual reads its actuals here. Days without an event have no row.',
  columns: [
    column('date_day', 'DATE', false, 'Date', 'The day the events are dated.', calendar),
    channelColumn,
    sourceColumn,
    column('super_segment', 'STRING', false, 'Super-segment', 'The super-segment of the leads.', grain),
    actualCountColumn('mqls'),
    actualCountColumn('sqls'),
    actualCountColumn('sqos'),
  ],
  primaryKey: ['date_day', 'Channel_Grouping_Name', 'Original_source', 'super_segment'],
} as const satisfies RelationDeclaration;

/** One row of {@link DAILY_ACTUALS}. */
export type DailyActualsRow = RowOf<typeof DAILY_ACTUALS>;

/** Every relation, for generators and the coverage test. */
export const RELATIONS: readonly RelationDeclaration[] = [
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  FORECAST_VS_ACTUAL,
  MODEL_SELECTION,
  FORECAST_RUNS,
  DAILY_ACTUALS,
  BACKTEST_RUNS,
  BACKTEST_RESULTS,
  MODEL_EVALUATIONS,
];

/** The relations Looker reads: the published views. */
export const PUBLISHED_VIEWS: readonly RelationDeclaration[] = [PRODUCTION_FORECAST, SEGMENT_MAPPING, FORECAST_VS_ACTUAL, MODEL_SELECTION];

/**
 * The table behind each published view. A view reads its table's rows of the production run (the newest as-of date's
 * latest publish), so writing a run's rows never disturbs what Looker sees until the run is marked published.
 */
export const BACKING_TABLES = {
  [PRODUCTION_FORECAST.name]: 'forecast_rows',
  [SEGMENT_MAPPING.name]: 'mapping_rows',
  [MODEL_SELECTION.name]: 'model_selection',
} as const;
