import { addDays } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { v31FeaturesSql } from './bqml-sql.js';
import { closedAfterEach } from './testing/closed-after-each.js';
import { startFakeBigQuery } from './testing/fake-bigquery.js';

const startFake = closedAfterEach(startFakeBigQuery, (started) => started);

// DuckDB runs the feature definition as written but for BigQuery's day of week (1 = Sunday), which it numbers from 0.
const inDuckDb = (sql: string) => sql.replaceAll('EXTRACT(DAYOFWEEK FROM date_day)', '(dayofweek(date_day) + 1)');

describe('the V3.1 feature definition', () => {
  it('computes the calendar parts and the 7- and 28-day means of the days before each day, per segment', async () => {
    const fake = await startFake();
    const start = '2024-02-01';
    const values = Array.from({ length: 40 }, (_, i) => (i * 7) % 11);
    const rows = values.flatMap((v, i) => [`('A', DATE '${addDays(start, i)}', ${v}.0)`, `('B', DATE '${addDays(start, i)}', ${2 * v}.0)`]);
    const days = `(SELECT * FROM (VALUES ${rows.join(', ')}) AS t(super_segment, date_day, sqls))`;
    const features = await fake.exec(`SELECT * FROM (${inDuckDb(v31FeaturesSql(days))}) ORDER BY super_segment, date_day`);

    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const a = features.filter((f) => f.super_segment === 'A');
    values.forEach((v, i) => {
      const row = a[i]!;
      expect(Number(row.sqls_7day_avg_lag1)).toBeCloseTo(mean(values.slice(Math.max(0, i - 7), i)), 12);
      expect(Number(row.sqls_28day_avg_lag1)).toBeCloseTo(mean(values.slice(Math.max(0, i - 28), i)), 12);
      expect(Number(row.target_sqls)).toBe(v);
    });
    // Segments never share a window: B's lags are twice A's.
    const b = features.filter((f) => f.super_segment === 'B');
    b.forEach((row, i) => expect(Number(row.sqls_28day_avg_lag1)).toBeCloseTo(2 * Number(a[i]!.sqls_28day_avg_lag1), 12));
    // 2024-02-03 is a Saturday, 2024-02-04 a Sunday.
    expect(a[2]).toMatchObject({ day_of_week: 7n, is_weekend: 1, day_of_month: 3n, month: 2n, year: 2024n });
    expect(a[3]).toMatchObject({ day_of_week: 1n, is_weekend: 1 });
    expect(a[4]).toMatchObject({ day_of_week: 2n, is_weekend: 0 });
  });
});
