import { addDays } from '@funnelcast/core';
import type { FakeJob, FakeResult } from './fake-bigquery.js';

/**
 * Answers of the fake's `ml` handler for the BigQuery ML statements funnelcast sends, each by a known rule and with
 * the documented output columns, so tests can check what came back:
 * - CREATE / ALTER MODEL: nothing (the statement is recorded by the fake);
 * - ML.EVALUATE: one row of the regression metrics, `mean_absolute_error` 1.5 … ;
 * - ML.ARIMA_EVALUATE: one row per Channel × Source of the leads (order (1,1,1), AIC 100 + row number);
 * - ML.FORECAST: for every series of the model (a scratch model's training table, or the leads' combinations), a value
 *   of 10 (−3 for a series named `falling`) with sd 2 at 95% and 1 at 50%, from the day after its training;
 * - the V3.1 forecast script: the recursion `1 + 0.5·lag7 − 0.25·lag28` per segment (−5 for `Other`).
 */

/** Standard normal quantiles the ARIMA answer builds its bounds with. */
const Z95 = 1.959963984540054;
const Z50 = 0.6744897501960817;

/** Where the fake keeps the leads whose combinations a trained ARIMA_PLUS model knows. */
export interface BqmlAnswerOptions {
  /** DuckDB name of the leads table. @defaultValue `"fc"."leads"` */
  readonly leads?: string;
  /** The first forecast day of a trained (not scratch) model: the `data_end` train recorded. */
  readonly trainedDataEnd?: () => string;
}

/** The V3.1 stand-in's rule on one day's lags. */
export const v31Rule = (segment: string, lag7: number, lag28: number): number => (segment === 'Other' ? -5 : 1 + 0.5 * lag7 - 0.25 * lag28);

const float = (name: string) => ({ name, type: 'FLOAT' });

function v31Script(job: FakeJob): FakeResult {
  const history = job.params.history as { super_segment: string; date_day: string; sqls: number }[];
  const asOf = String(job.params.as_of);
  const horizon = Number(job.params.horizon);
  const bySegment = new Map<string, number[]>();
  for (const h of history) bySegment.set(h.super_segment, [...(bySegment.get(h.super_segment) ?? []), Number(h.sqls)]);
  const rows: unknown[][] = [];
  for (const [segment, path] of bySegment) {
    for (let d = 0; d < horizon; d++) {
      const mean = (n: number) => (path.length ? path.slice(-n).reduce((a, b) => a + b, 0) / Math.min(n, path.length) : 0);
      const value = Math.max(0, v31Rule(segment, mean(7), mean(28)));
      path.push(value);
      rows.push([segment, addDays(asOf, d), value]);
    }
  }
  return { fields: [{ name: 'super_segment', type: 'STRING' }, { name: 'date_day', type: 'DATE' }, float('predicted_target_sqls')], rows };
}

/** The fake's `ml` handler. */
export function bqmlAnswers(options: BqmlAnswerOptions = {}) {
  const leads = options.leads ?? '"fc"."leads"';
  return async (job: FakeJob, exec: (sql: string) => Promise<Record<string, unknown>[]>): Promise<FakeResult> => {
    const { sql } = job;
    if (/ML\.PREDICT/.test(sql)) return v31Script(job);
    if (/^\s*(CREATE OR REPLACE|ALTER) MODEL/.test(sql)) return { fields: [], rows: [] };
    if (/ML\.EVALUATE\(/.test(sql)) {
      const metrics = ['mean_absolute_error', 'mean_squared_error', 'mean_squared_log_error', 'median_absolute_error', 'r2_score', 'explained_variance'];
      return { fields: metrics.map(float), rows: [[1.5, 4, 0.2, 1, 0.6, 0.65]] };
    }
    const combinations = () => exec(`SELECT DISTINCT channel_grouping_name, original_source FROM ${leads} ORDER BY 1, 2`);
    if (/ML\.ARIMA_EVALUATE\(/.test(sql)) {
      const rows = (await combinations()).map((c, i) => [c.channel_grouping_name, c.original_source, 1, 1, 1, false, -50, 100 + i, 2.5, '[WEEKLY]', false, false, false, '']);
      const fields = [
        { name: 'channel_grouping_name', type: 'STRING' }, { name: 'original_source', type: 'STRING' },
        { name: 'non_seasonal_p', type: 'INTEGER' }, { name: 'non_seasonal_d', type: 'INTEGER' }, { name: 'non_seasonal_q', type: 'INTEGER' },
        { name: 'has_drift', type: 'BOOLEAN' }, float('log_likelihood'), float('AIC'), float('variance'), { name: 'seasonal_periods', type: 'STRING' },
        { name: 'has_holiday_effect', type: 'BOOLEAN' }, { name: 'has_spikes_and_dips', type: 'BOOLEAN' }, { name: 'has_step_changes', type: 'BOOLEAN' },
        { name: 'error_message', type: 'STRING' },
      ];
      return { fields, rows };
    }
    const forecast = /ML\.FORECAST\(MODEL `[^`.]+\.([^`.]+)\.([^`]+)`, STRUCT\((\d+) AS horizon, 0\.95/.exec(sql);
    if (!forecast) throw new Error(`no answer for ${sql.slice(0, 80)}`);
    const [, dataset, model, horizonText] = forecast;
    const horizon = Number(horizonText);
    const scratch = /\bseries_key\b/.test(sql);
    const series = scratch
      ? (await exec(`SELECT series_key, strftime(max(date_day) + 1, '%Y-%m-%d') AS first FROM "${dataset}"."${model}_training" GROUP BY 1 ORDER BY 1`)).map((r) => ({ ids: [r.series_key], first: String(r.first), key: String(r.series_key) }))
      : (await combinations()).map((c) => ({ ids: [c.channel_grouping_name, c.original_source], first: options.trainedDataEnd?.() ?? '', key: '' }));
    const rows = series.flatMap((s) =>
      Array.from({ length: horizon }, (_, d) => {
        const v = s.key === 'falling' ? -3 : 10;
        return [...s.ids, addDays(s.first, d), v, v - 2 * Z95, v + 2 * Z95, v - Z50, v + Z50];
      }),
    );
    const idFields = scratch ? [{ name: 'series_key', type: 'STRING' }] : [{ name: 'channel_grouping_name', type: 'STRING' }, { name: 'original_source', type: 'STRING' }];
    return { fields: [...idFields, { name: 'forecast_date', type: 'DATE' }, ...['forecast_value', 'lower_95', 'upper_95', 'lower_50', 'upper_50'].map(float)], rows };
  };
}
