import { FORECAST_VS_ACTUAL, PRODUCTION_FORECAST, SEGMENT_MAPPING, STAGES } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { buildView, fieldNames, fieldRef, Z_SCORES } from './view-model.js';

/** Standard normal CDF via the Abramowitz–Stegun 7.1.26 erf (absolute error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + Math.sign(z) * erf);
}

describe('buildView', () => {
  it('uses the normal quantiles of the central 50% and 95% intervals', () => {
    expect(normalCdf(Z_SCORES[0.95])).toBeCloseTo(0.975, 6);
    expect(normalCdf(Z_SCORES[0.5])).toBeCloseTo(0.75, 6);
  });

  it('checks every bound of every stage in the order rule the data test asserts', () => {
    const measure = (relation: typeof PRODUCTION_FORECAST | typeof FORECAST_VS_ACTUAL) =>
      buildView(relation).fields.find((field) => field.name === 'interval_order_violations')!.sql!;
    for (const stage of STAGES) {
      expect(measure(PRODUCTION_FORECAST)).toContain(
        `\${${stage}_lower_95} <= \${${stage}_lower_50} AND \${${stage}_lower_50} <= \${${stage}_forecast} AND ` +
          `\${${stage}_forecast} <= \${${stage}_upper_50} AND \${${stage}_upper_50} <= \${${stage}_upper_95}`,
      );
      expect(measure(FORECAST_VS_ACTUAL)).toContain(`(0 <= \${${stage}_lower_95} AND \${${stage}_lower_95} <= \${${stage}_forecast} AND \${${stage}_forecast} <= \${${stage}_upper_95})`);
    }
    expect(buildView(SEGMENT_MAPPING).fields.some((field) => field.name === 'interval_order_violations')).toBe(false);
  });

  it('weights the SQL→SQO rate by SQLs and sums mapping shares, never summing a rate blindly', () => {
    const forecast = buildView(PRODUCTION_FORECAST);
    expect(forecast.fields.find((f) => f.name === 'weighted_sql_to_sqo_rate')?.sql).toBe('${sql_to_sqo_rate_weighted_sum} / NULLIF(${total_sqls_combined}, 0)');
    expect(fieldNames(forecast)).not.toContain('total_sql_to_sqo_rate');
    const mapping = buildView(SEGMENT_MAPPING);
    expect(mapping.fields.find((f) => f.name === 'total_normalized_fraction')).toMatchObject({ type: 'sum', valueFormatName: 'percent_1' });
    expect(mapping.fields.find((f) => f.name === 'average_super_segment_total')).toMatchObject({ type: 'average' });
  });

  it('reads a renamed BigQuery view under the declared LookML name', () => {
    expect(buildView(PRODUCTION_FORECAST, 'vw_forecast_eu')).toMatchObject({ name: 'vw_production_forecast', table: 'vw_forecast_eu' });
  });

  it('refuses a reference to a field the view does not have', () => {
    const view = buildView(PRODUCTION_FORECAST);
    expect(fieldRef(view, 'date_day_month')).toBe('vw_production_forecast.date_day_month');
    expect(() => fieldRef(view, 'date_day')).toThrow(/has no field date_day/);
  });
});
