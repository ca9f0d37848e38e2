import { addDays, InputError, type DailySeries } from '@funnelcast/core';
import { afterEach, describe, expect, it } from 'vitest';
import { intervalVariance, Z } from './arima-plus-forecaster.js';
import type { FakeBigQuery, FakeJob, FakeResult } from './testing/fake-bigquery.js';
import { openFakeWarehouse } from './testing/open-fake-warehouse.js';
import { parseBigQuery } from './testing/parse-bigquery.js';
import { v31Features } from './v31-bqml-forecaster.js';

let fake: FakeBigQuery | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const AS_OF = '2024-03-01';
const series = (key: string, values: number[]): DailySeries => ({ key, start: addDays(AS_OF, -values.length), values });

// ARIMA_PLUS stand-in: each trained series forecasts 10 (−3 for key "falling") with sd 2 at 95% and sd 1 at 50%.
async function arimaAnswer(job: FakeJob, exec: (sql: string) => Promise<Record<string, unknown>[]>): Promise<FakeResult> {
  if (/CREATE OR REPLACE MODEL/.test(job.sql)) return { fields: [], rows: [] };
  const horizon = Number(/STRUCT\((\d+) AS horizon, 0\.95/.exec(job.sql)?.[1]);
  const trained = await exec(`SELECT series_key, strftime(max(date_day) + 1, '%Y-%m-%d') AS first FROM "ml"."model_mql_arima_plus_training" GROUP BY 1`);
  const rows = trained.flatMap(({ series_key, first }) =>
    Array.from({ length: horizon }, (_, d) => {
      const v = series_key === 'falling' ? -3 : 10;
      return [series_key, addDays(String(first), d), v, v - 2 * Z[0.95], v + 2 * Z[0.95], v - Z[0.5], v + Z[0.5]];
    }),
  );
  const float = (name: string) => ({ name, type: 'FLOAT' });
  return {
    fields: [{ name: 'series_key', type: 'STRING' }, { name: 'forecast_date', type: 'DATE' }, ...['forecast_value', 'lower_95', 'upper_95', 'lower_50', 'upper_50'].map(float)],
    rows,
  };
}

describe('arima-plus forecaster', () => {
  it('trains ARIMA_PLUS on the series, reads both intervals and derives the variance', async () => {
    const opened = await openFakeWarehouse({ fake: { ml: arimaAnswer }, target: { modelDataset: 'ml' } });
    fake = opened.fake;
    const forecaster = opened.warehouse.forecaster('arima-plus');
    const input = [series('Web\u001forganic', [1, 0, 2, 3]), series('falling', [5, 4, 3, 2])];
    const result = await forecaster?.forecast({ asOf: AS_OF, horizon: 5, series: input });

    expect(result).toEqual([
      { key: 'Web\u001forganic', mean: [10, 10, 10, 10, 10], variance: expect.any(Array), method: 'arima-plus' },
      { key: 'falling', mean: [0, 0, 0, 0, 0], variance: expect.any(Array), method: 'arima-plus' },
    ]);
    for (const s of result ?? []) for (const v of s.variance) expect(v).toBeCloseTo(4, 9);

    const sql = opened.fake.jobs.map((j) => j.sql);
    // The statements around the model (training table, its rows) are plain SQL and must parse as BigQuery's.
    for (const statement of sql.filter((s) => !/MODEL/.test(s))) expect(() => parseBigQuery(statement), statement).not.toThrow();
    const model = sql.find((s) => s.startsWith('CREATE OR REPLACE MODEL')) ?? '';
    expect(model).toContain('`test-project.ml.model_mql_arima_plus`');
    expect(model).toContain("model_type = 'ARIMA_PLUS'");
    expect(model).toContain("time_series_id_col = 'series_key'");
    expect(model).toContain("time_series_timestamp_col = 'date_day'");
    expect(model).toContain('horizon = 5');
    const forecast = sql.find((s) => s.includes('ML.FORECAST')) ?? '';
    expect(forecast).toContain('ML.FORECAST(MODEL `test-project.ml.model_mql_arima_plus`, STRUCT(5 AS horizon, 0.95 AS confidence_level))');
    expect(forecast).toContain('ML.FORECAST(MODEL `test-project.ml.model_mql_arima_plus`, STRUCT(5 AS horizon, 0.5 AS confidence_level))');
    // The training table holds exactly the request's points, dated up to the day before the as-of date.
    const points = await opened.fake.exec(`SELECT series_key, strftime(date_day, '%Y-%m-%d') AS d, value FROM "ml"."model_mql_arima_plus_training" ORDER BY 1, 2`);
    expect(points).toEqual(
      [...input].sort((a, b) => (a.key < b.key ? -1 : 1)).flatMap((s) => s.values.map((value, i) => ({ series_key: s.key, d: addDays(s.start, i), value }))),
    );
  });

  it('refuses a series that does not end the day before the as-of date', async () => {
    const opened = await openFakeWarehouse({ fake: { ml: arimaAnswer } });
    fake = opened.fake;
    const bad = { key: 'x', start: '2024-01-01', values: [1, 2] };
    await expect(opened.warehouse.forecaster('arima-plus')?.forecast({ asOf: AS_OF, horizon: 3, series: [bad] })).rejects.toBeInstanceOf(InputError);
    expect(opened.fake.jobs).toEqual([]);
  });

  it('turns interval widths into a variance: ((upper − lower) / (2·1.96))², the wider band winning', () => {
    expect(intervalVariance(6, 14, 9.5, 10.5)).toBeCloseTo(((14 - 6) / (2 * 1.96)) ** 2, 3);
    expect(intervalVariance(9, 11, 5, 15)).toBeCloseTo((10 / (2 * Z[0.5])) ** 2, 9);
    expect(intervalVariance(3, 3, 3, 3)).toBe(0);
  });
});

// V3.1 stand-in: prediction = 1 + 0.5·lag7 − 0.25·lag28, and −5 for segment "Other" (floored to 0 by the forecaster).
const rule = (row: Record<string, unknown>) =>
  row.super_segment === 'Other' ? -5 : 1 + 0.5 * Number(row.sqls_7day_avg_lag1) - 0.25 * Number(row.sqls_28day_avg_lag1);

async function predictAnswer(job: FakeJob): Promise<FakeResult> {
  const features = job.params.features as Record<string, unknown>[];
  return {
    fields: [{ name: 'super_segment', type: 'STRING' }, { name: 'predicted_target_sqls', type: 'FLOAT' }],
    rows: features.map((f) => [f.super_segment, rule(f)]),
  };
}

describe('v3.1-bqml forecaster', () => {
  it('predicts day by day, feeding its own predictions back into the lags', async () => {
    const opened = await openFakeWarehouse({ fake: { ml: predictAnswer } });
    fake = opened.fake;
    const history = Array.from({ length: 40 }, (_, i) => (i % 7) + 2);
    const input = [series('Outbound', history), series('Other', history.map(() => 1))];
    const horizon = 10;
    const result = await opened.warehouse.forecaster('v3.1-bqml')?.forecast({ asOf: AS_OF, horizon, series: input });

    // The same recursion, written out independently.
    const path = [...history];
    const expected: number[] = [];
    for (let d = 0; d < horizon; d++) {
      const mean = (n: number) => path.slice(-n).reduce((a, b) => a + b, 0) / n;
      const value = Math.max(0, 1 + 0.5 * mean(7) - 0.25 * mean(28));
      path.push(value);
      expected.push(value);
    }
    expect(result?.[0]?.key).toBe('Outbound');
    result?.[0]?.mean.forEach((m, d) => expect(m).toBeCloseTo(expected[d] ?? NaN, 9));
    expect(result?.[0]?.variance).toEqual(result?.[0]?.mean);
    expect(result?.[1]).toEqual({ key: 'Other', mean: Array(horizon).fill(0), variance: Array(horizon).fill(0), method: 'v3.1-bqml' });

    const predicts = opened.fake.jobs.filter((j) => j.sql.includes('ML.PREDICT'));
    expect(predicts).toHaveLength(horizon);
    expect(predicts[0]?.sql).toContain('ML.PREDICT(MODEL `test-project.fc.model_tof_sql_regressor_v3_1_final`, (SELECT * FROM UNNEST(@features)))');
    const [first] = predicts[0]?.params.features as Record<string, unknown>[];
    expect(first).toMatchObject({ super_segment: 'Outbound', date_day: AS_OF, day_of_week: 6, is_weekend: 0, month: 3, day_of_month: 1, quarter: 1, year: 2024 });
    expect(Number(first?.sqls_7day_avg_lag1)).toBeCloseTo(history.slice(-7).reduce((a, b) => a + b, 0) / 7, 9);
  });

  it('builds calendar features the way BigQuery extracts them (1 = Sunday)', () => {
    expect(v31Features('Outbound', '2024-03-03', [])).toMatchObject({ day_of_week: 1, is_weekend: 1, sqls_7day_avg_lag1: 0, sqls_28day_avg_lag1: 0 });
    expect(v31Features('Outbound', '2024-03-09', [7, 7])).toMatchObject({ day_of_week: 7, is_weekend: 1, sqls_7day_avg_lag1: 7 });
  });
});
