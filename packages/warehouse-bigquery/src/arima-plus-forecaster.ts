import { addDays, ARIMA_PLUS, daysBetween, InputError, type Forecaster, type PredictiveSeries } from '@funnelcast/core';
import { chunks } from './chunks.js';
import { checkRequest, throwIfAborted, type ModelRef } from './forecast-request.js';
import type { JobRunner } from './job-runner.js';
import { rowsParamType } from './row-values.js';
import { tablePath } from './sql-names.js';

/** Standard normal quantiles of the two central levels ML.FORECAST is asked for. */
export const Z = { 0.5: 0.6744897501960817, 0.95: 1.959963984540054 } as const;

/** Training points per INSERT statement: about 1 MB of parameters. @defaultValue 10000 */
export const POINTS_PER_STATEMENT = 10_000;

const POINT_COLUMNS = [
  { name: 'series_key', type: 'STRING' },
  { name: 'date_day', type: 'DATE' },
  { name: 'value', type: 'FLOAT64' },
] as const;

/** Statements that train the per-series ARIMA_PLUS model on the request's series and forecast `horizon` days. */
export function arimaPlusSql(model: ModelRef, horizon: number) {
  const training = tablePath(model.projectId, model.dataset, `${model.name}_training`);
  const path = tablePath(model.projectId, model.dataset, model.name);
  // ML options and ML.FORECAST arguments must be constants; horizon is a validated integer, never user text.
  const forecast = (level: 0.5 | 0.95) => `ML.FORECAST(MODEL ${path}, STRUCT(${horizon} AS horizon, ${level} AS confidence_level))`;
  return {
    createTraining: `CREATE OR REPLACE TABLE ${training} (series_key STRING NOT NULL, date_day DATE NOT NULL, value FLOAT64 NOT NULL)`,
    insertPoints: `INSERT INTO ${training} (series_key, date_day, value)\nSELECT p.series_key, p.date_day, p.value FROM UNNEST(@points) AS p`,
    createModel: `CREATE OR REPLACE MODEL ${path}
OPTIONS(
  model_type = 'ARIMA_PLUS',
  time_series_timestamp_col = 'date_day',
  time_series_data_col = 'value',
  time_series_id_col = 'series_key',
  data_frequency = 'DAILY',
  auto_arima = TRUE,
  horizon = ${horizon}
) AS
SELECT series_key, date_day, value FROM ${training}`,
    forecast: `SELECT f95.series_key, DATE(f95.forecast_timestamp) AS forecast_date, f95.forecast_value,
  f95.prediction_interval_lower_bound AS lower_95, f95.prediction_interval_upper_bound AS upper_95,
  f50.prediction_interval_lower_bound AS lower_50, f50.prediction_interval_upper_bound AS upper_50
FROM ${forecast(0.95)} AS f95
JOIN ${forecast(0.5)} AS f50
  ON f50.series_key = f95.series_key AND f50.forecast_timestamp = f95.forecast_timestamp
ORDER BY 1, 2`,
  };
}

/**
 * The predictive variance implied by a forecast's two central intervals, read as normal intervals: the 95% band
 * gives `((upper − lower) / (2 · 1.96))²`. The 50% band is asked for too; when it implies a larger spread (a
 * heavy-tailed model), the larger variance is kept so neither published band comes out narrower than the model's.
 */
export function intervalVariance(lower95: number, upper95: number, lower50: number, upper50: number): number {
  const sd95 = (upper95 - lower95) / (2 * Z[0.95]);
  const sd50 = (upper50 - lower50) / (2 * Z[0.5]);
  return Math.max(sd95, sd50, 0) ** 2;
}

/**
 * `arima-plus`: BigQuery ML's ARIMA_PLUS, one series per key (`time_series_id_col`), retrained on the request's
 * series so the forecast starts at the as-of date (a backtest origin included), then read with two `ML.FORECAST`
 * calls at confidence levels 0.5 and 0.95 in one query. Means are floored at zero (ARIMA knows no counts).
 */
export function createArimaPlusForecaster(jobs: JobRunner, model: ModelRef): Forecaster {
  return {
    name: ARIMA_PLUS,
    async forecast(request) {
      checkRequest(request);
      const { asOf, horizon, series } = request;
      if (series.length === 0) return [];
      const sql = arimaPlusSql(model, horizon);
      await jobs.query(sql.createTraining);
      const points = series.flatMap((s) => s.values.map((value, i) => ({ series_key: s.key, date_day: addDays(s.start, i), value })));
      for (const chunk of chunks(points, POINTS_PER_STATEMENT)) {
        throwIfAborted(request, 'training');
        await jobs.query(sql.insertPoints, { params: { points: chunk }, types: { points: rowsParamType(POINT_COLUMNS) } });
      }
      throwIfAborted(request, 'training');
      await jobs.query(sql.createModel);
      throwIfAborted(request, 'forecasting');
      const rows = await jobs.query(sql.forecast);

      const byKey = new Map(series.map((s) => [s.key, { mean: new Array<number>(horizon).fill(NaN), variance: new Array<number>(horizon).fill(NaN) }]));
      for (const row of rows) {
        const out = byKey.get(String(row.series_key));
        const day = daysBetween(asOf, String((row.forecast_date as { value?: unknown })?.value ?? row.forecast_date));
        if (!out || day < 0 || day >= horizon) continue;
        const n = (key: string) => Number(row[key]);
        out.mean[day] = Math.max(0, n('forecast_value'));
        out.variance[day] = intervalVariance(n('lower_95'), n('upper_95'), n('lower_50'), n('upper_50'));
      }
      const missing = [...byKey].filter(([, out]) => out.mean.some((v) => !Number.isFinite(v)) || out.variance.some((v) => !Number.isFinite(v)));
      if (missing.length) {
        throw new InputError(
          missing.map(([key]) => ({ where: `series ${JSON.stringify(key)}`, message: `ML.FORECAST returned no value for some of the ${horizon} days from ${asOf}` })),
          'ARIMA_PLUS did not forecast every series:',
        );
      }
      request.onProgress?.(series.length, series.length);
      return [...byKey].map(([key, out]): PredictiveSeries => ({ key, mean: out.mean, variance: out.variance, method: ARIMA_PLUS }));
    },
  };
}
