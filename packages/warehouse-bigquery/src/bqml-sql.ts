import { isIsoDate, type IsoDate, type TrainingSettings } from '@funnelcast/core';

/**
 * The BigQuery ML statements funnelcast sends, built in one place. Model OPTIONS and ML function arguments must be
 * constants, so the few values they carry are spliced in as literals — each one a validated integer, a date checked
 * as ISO, a region code checked by the config, or a column name of ours — never user text.
 */

/** The V3.1 regressor's features, as the seed trained it (the label is `target_sqls`). */
export const V31_FEATURES = [
  'day_of_week',
  'day_of_month',
  'month',
  'year',
  'is_weekend',
  'sqls_7day_avg_lag1',
  'sqls_28day_avg_lag1',
  'super_segment',
] as const;

/** The ARIMA_PLUS id columns of the trained MQL model: one series per Channel × Source. */
export const MQL_SERIES_COLUMNS = ['channel_grouping_name', 'original_source'] as const;

/** The longest trailing window of the lag features: training rows before it has filled are left out. */
export const LONGEST_LAG_DAYS = 28;

/** A DATE literal of a checked ISO date. */
export function dateLiteral(date: IsoDate): string {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  return `DATE '${date}'`;
}

/** A TIMESTAMP literal of an instant, in GoogleSQL's canonical form with an explicit UTC offset. */
export function timestampLiteral(at: Date): string {
  const iso = at.toISOString();
  return `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 19)}+00'`;
}

// Mean of the `days` days before the row's day in its segment; 0 before the segment has any history (a NULL lag
// would make the tree predict its training mean). `days` holds zero days, so a row is a day.
const trailingMean = (days: number) =>
  `COALESCE(AVG(sqls) OVER (PARTITION BY super_segment ORDER BY date_day ROWS BETWEEN ${days} PRECEDING AND 1 PRECEDING), 0)`;

/**
 * THE definition of the V3.1 features — training and prediction both select from it, so the lags are computed the
 * same way on both sides. `days` is a relation with one row per `super_segment` × `date_day` (zero days included)
 * and that day's `sqls`; the calendar parts follow BigQuery's `EXTRACT` (day of week 1 = Sunday … 7 = Saturday).
 */
export function v31FeaturesSql(days: string): string {
  return `SELECT super_segment, date_day,
  EXTRACT(DAYOFWEEK FROM date_day) AS day_of_week,
  EXTRACT(DAY FROM date_day) AS day_of_month,
  EXTRACT(MONTH FROM date_day) AS month,
  EXTRACT(YEAR FROM date_day) AS year,
  IF(EXTRACT(DAYOFWEEK FROM date_day) IN (1, 7), 1, 0) AS is_weekend,
  ${trailingMean(7)} AS sqls_7day_avg_lag1,
  ${trailingMean(LONGEST_LAG_DAYS)} AS sqls_28day_avg_lag1,
  sqls AS target_sqls
FROM ${days}`;
}

/**
 * The V3.1 training query over a days relation: every feature and the label, from the day the longest lag window is
 * full. `date_day` only orders the sequential split (BigQuery does not use a split column as a feature).
 */
export function v31TrainingSql(days: string, firstDay: IsoDate): string {
  return `SELECT date_day, ${V31_FEATURES.join(', ')}, target_sqls
FROM (
${v31FeaturesSql(days)}
)
WHERE date_day >= ${dateLiteral(firstDay)}`;
}

/**
 * `CREATE OR REPLACE MODEL` of the V3.1 `BOOSTED_TREE_REGRESSOR`: label `target_sqls`, evaluated by `ML.EVALUATE` on
 * the last tenth of the days (a sequential split: a random one would score the past with the future).
 */
export function boostedTreeModelSql(model: string, query: string): string {
  return `CREATE OR REPLACE MODEL ${model}
OPTIONS(
  model_type = 'BOOSTED_TREE_REGRESSOR',
  input_label_cols = ['target_sqls'],
  data_split_method = 'SEQ',
  data_split_col = 'date_day',
  data_split_eval_fraction = 0.1
) AS
${query}`;
}

/** How an ARIMA_PLUS model reads its training query. */
export interface ArimaPlusShape {
  /** The columns naming a series (`time_series_id_col`). */
  readonly idColumns: readonly string[];
  /** The value column (`time_series_data_col`); the timestamp column is `date_day`. */
  readonly dataColumn: string;
  /** The `horizon` option: the most days ML.FORECAST can read. */
  readonly horizon: number;
}

/** `CREATE OR REPLACE MODEL` of one ARIMA_PLUS model over every series of the query (`time_series_id_col`). */
export function arimaPlusModelSql(model: string, shape: ArimaPlusShape, settings: Omit<TrainingSettings, 'arimaHorizon'>, query: string): string {
  const ids = shape.idColumns.map((c) => `'${c}'`);
  return `CREATE OR REPLACE MODEL ${model}
OPTIONS(
  model_type = 'ARIMA_PLUS',
  time_series_timestamp_col = 'date_day',
  time_series_data_col = '${shape.dataColumn}',
  time_series_id_col = ${ids.length === 1 ? ids[0] : `[${ids.join(', ')}]`},
  data_frequency = 'DAILY',
  auto_arima = TRUE,
  horizon = ${Math.trunc(shape.horizon)},
  holiday_region = '${settings.holidayRegion}',
  decompose_time_series = ${settings.decomposeTimeSeries ? 'TRUE' : 'FALSE'}
) AS
${query}`;
}

/** Sets when BigQuery deletes a scratch model (CREATE MODEL has no expiration option; ALTER MODEL does). */
export function expireModelSql(model: string, at: Date): string {
  return `ALTER MODEL ${model} SET OPTIONS(expiration_timestamp = ${timestampLiteral(at)})`;
}

/**
 * Both central intervals of an ARIMA_PLUS forecast in one query: `ML.FORECAST` at confidence levels 0.95 and 0.5,
 * joined per series and day.
 */
export function arimaForecastSql(model: string, idColumns: readonly string[], horizon: number): string {
  const forecast = (level: 0.5 | 0.95) => `ML.FORECAST(MODEL ${model}, STRUCT(${Math.trunc(horizon)} AS horizon, ${level} AS confidence_level))`;
  const ids = idColumns.map((c) => `f95.${c}`).join(', ');
  const on = idColumns.map((c) => `f50.${c} = f95.${c}`).join(' AND ');
  return `SELECT ${ids}, DATE(f95.forecast_timestamp) AS forecast_date, f95.forecast_value,
  f95.prediction_interval_lower_bound AS lower_95, f95.prediction_interval_upper_bound AS upper_95,
  f50.prediction_interval_lower_bound AS lower_50, f50.prediction_interval_upper_bound AS upper_50
FROM ${forecast(0.95)} AS f95
JOIN ${forecast(0.5)} AS f50
  ON ${on} AND f50.forecast_timestamp = f95.forecast_timestamp
ORDER BY ${idColumns.map((_, i) => i + 1).join(', ')}, ${idColumns.length + 1}`;
}

/** `ML.EVALUATE` of a regressor, on the evaluation split it was trained with. */
export const evaluateSql = (model: string) => `SELECT * FROM ML.EVALUATE(MODEL ${model})`;

/** `ML.ARIMA_EVALUATE`: per series, the chosen ARIMA order, drift, log likelihood, AIC and variance. */
export const arimaEvaluateSql = (model: string) => `SELECT * FROM ML.ARIMA_EVALUATE(MODEL ${model})`;

/**
 * The recursive V3.1 forecast as ONE script (one job): the history per segment (`@history`) goes into a temporary
 * table, then day by day the features of the next day are computed over it by {@link v31FeaturesSql} — the lags
 * reading the model's own earlier predictions — scored by `ML.PREDICT`, floored at zero and appended. The last
 * statement returns the predictions.
 */
export function v31ForecastScript(model: string): string {
  const next = `(SELECT super_segment, date_day, sqls FROM forecast_path
    UNION ALL
    SELECT DISTINCT super_segment, DATE_ADD(@as_of, INTERVAL step DAY), CAST(NULL AS FLOAT64) FROM forecast_path)`;
  return `DECLARE step INT64 DEFAULT 0;
CREATE TEMP TABLE forecast_path AS
SELECT h.super_segment, h.date_day, h.sqls, FALSE AS predicted FROM UNNEST(@history) AS h;
WHILE step < @horizon DO
  INSERT INTO forecast_path (super_segment, date_day, sqls, predicted)
  SELECT p.super_segment, p.date_day, GREATEST(0, p.predicted_target_sqls), TRUE
  FROM ML.PREDICT(MODEL ${model}, (
    SELECT * FROM (
${v31FeaturesSql(next)}
    ) WHERE date_day = DATE_ADD(@as_of, INTERVAL step DAY)
  )) AS p;
  SET step = step + 1;
END WHILE;
SELECT super_segment, date_day, sqls AS predicted_target_sqls FROM forecast_path WHERE predicted ORDER BY 1, 2;`;
}
