import { addDays, calendarParts, InputError, V31_BQML, type Forecaster, type PredictiveSeries } from '@funnelcast/core';
import { checkRequest, throwIfAborted, type ModelRef } from './forecast-request.js';
import type { JobRunner } from './job-runner.js';
import { rowsParamType } from './row-values.js';
import { tablePath } from './sql-names.js';

/**
 * The features of the V3.1 regressor (`BOOSTED_TREE_REGRESSOR`, label `target_sqls`), as the model was trained on
 * them. ML.PREDICT passes extra input columns through, so a model trained without `year` still accepts these rows.
 * `day_of_week` follows BigQuery's `EXTRACT(DAYOFWEEK …)`: 1 = Sunday … 7 = Saturday.
 */
export const V31_FEATURES = [
  { name: 'super_segment', type: 'STRING' },
  { name: 'date_day', type: 'DATE' },
  { name: 'day_of_week', type: 'INT64' },
  { name: 'month', type: 'INT64' },
  { name: 'day_of_month', type: 'INT64' },
  { name: 'quarter', type: 'INT64' },
  { name: 'year', type: 'INT64' },
  { name: 'is_weekend', type: 'INT64' },
  { name: 'sqls_7day_avg_lag1', type: 'FLOAT64' },
  { name: 'sqls_28day_avg_lag1', type: 'FLOAT64' },
] as const;

/** One feature row. */
export type V31FeatureRow = Record<(typeof V31_FEATURES)[number]['name'], string | number>;

/** The one-day prediction query: ML.PREDICT over the feature rows passed as `@features`. */
export function v31PredictSql(model: ModelRef): string {
  return `SELECT p.super_segment, p.predicted_target_sqls
FROM ML.PREDICT(MODEL ${tablePath(model.projectId, model.dataset, model.name)}, (SELECT * FROM UNNEST(@features))) AS p`;
}

// Mean of the last `days` values (fewer when the series is shorter): the "_avg_lag1" features end the day before.
function trailingMean(values: readonly number[], days: number): number {
  const window = values.slice(-days);
  return window.length ? window.reduce((a, b) => a + b, 0) / window.length : 0;
}

/** The feature row of `segment` on `date`, whose earlier days (history, then predictions) are `past`. */
export function v31Features(segment: string, date: string, past: readonly number[]): V31FeatureRow {
  const c = calendarParts(date);
  return {
    super_segment: segment,
    date_day: date,
    day_of_week: c.dayOfWeek + 1,
    month: c.month,
    day_of_month: c.dayOfMonth,
    quarter: c.quarter,
    year: c.year,
    is_weekend: c.dayOfWeek === 0 || c.dayOfWeek === 6 ? 1 : 0,
    sqls_7day_avg_lag1: trailingMean(past, 7),
    sqls_28day_avg_lag1: trailingMean(past, 28),
  };
}

/**
 * `v3.1-bqml`: the V3.1 boosted tree via `ML.PREDICT`, one series per super-segment (the series key). Lags of
 * future days come from the model's own earlier predictions — a regressor fed NULL lags silently predicts the
 * training mean — so the horizon is walked day by day: each day's feature rows (every segment at once) are
 * computed here from the history and the predictions so far, and one small ML.PREDICT query scores them.
 *
 * Why a loop in Node and not a BigQuery script loop: the recursion's state (trailing windows per segment) is
 * plain arithmetic that is tested here against known inputs, the same code shapes the embedded V3 features, and a
 * script loop would run the same number of ML.PREDICT child jobs anyway while hiding which day failed. The cost
 * is one query per horizon day (90 by default), each scoring a handful of rows from parameters.
 *
 * The tree has no interval of its own: the variance is Poisson's (the mean), which leaves out the error of the
 * recursion itself, so its intervals are narrower than its backtests' errors; nothing widens them yet.
 * `onProgress` counts horizon days (every series advances together).
 */
export function createV31BqmlForecaster(jobs: JobRunner, model: ModelRef): Forecaster {
  const sql = v31PredictSql(model);
  return {
    name: V31_BQML,
    async forecast(request) {
      checkRequest(request);
      const { asOf, horizon, series } = request;
      if (series.length === 0) return [];
      const paths = series.map((s) => [...s.values]);
      const predictions = series.map(() => [] as number[]);
      for (let day = 0; day < horizon; day++) {
        throwIfAborted(request, `day ${day}`);
        const date = addDays(asOf, day);
        const features = series.map((s, i) => v31Features(s.key, date, paths[i] ?? []));
        const rows = await jobs.query(sql, { params: { features }, types: { features: rowsParamType(V31_FEATURES) } });
        const byKey = new Map(rows.map((r) => [String(r.super_segment), Number(r.predicted_target_sqls)]));
        series.forEach((s, i) => {
          const predicted = byKey.get(s.key);
          if (predicted === undefined || !Number.isFinite(predicted)) {
            throw new InputError([{ where: `series ${JSON.stringify(s.key)}`, message: `ML.PREDICT returned no prediction for ${date}` }], 'The V3.1 model did not score every segment:');
          }
          const value = Math.max(0, predicted);
          paths[i]?.push(value);
          predictions[i]?.push(value);
        });
        request.onProgress?.(day + 1, horizon);
      }
      return series.map((s, i): PredictiveSeries => {
        const mean = predictions[i] ?? [];
        return { key: s.key, mean, variance: [...mean], method: V31_BQML };
      });
    },
  };
}
