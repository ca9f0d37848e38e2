import { z } from 'zod';
import { STAGES } from '@funnelcast/core/terms';

const level = z.enum(['total', 'super_segment', 'channel_source']);
const stage = z.enum(STAGES as ['mqls', 'sqls', 'sqos']);
const metric = z
  .string()
  .describe('signed_pct_error, abs_pct_error, capture_rate, wape, mase, coverage_50, coverage_95, period_coverage_50, period_coverage_95, pinball, forecast_total or actual_total.');

/** `funnelcast backtest --json`. */
export const backtestJsonSchema = z
  .strictObject({
    backtest_id: z.string(),
    target: z.string(),
    warehouse: z.string(),
    created_at: z.iso.datetime(),
    period: z.enum(['month', 'quarter']),
    origins: z.array(z.iso.date()).describe('The first forecast day of each origin.'),
    models: z.array(z.string()),
    results: z
      .array(z.strictObject({ origin: z.iso.date(), model: z.string(), level, stage, metric, value: z.number().nullable() }))
      .describe('Every metric at every origin (what backtest_results stores).'),
    summary: z
      .array(
        z.strictObject({
          model: z.string(),
          level,
          stage,
          metric,
          value: z.number().nullable().describe('Mean over the origins where the metric is defined.'),
          ratio_to_v1: z.number().nullable().describe("value / v1's value; null without v1 or when v1's is 0."),
          origins: z.number().int(),
        }),
      )
      .describe('Metrics averaged over the origins.'),
    mapping: z
      .array(
        z.strictObject({
          window_days: z.number().int(),
          wape: z.number().nullable(),
          per_origin: z.array(z.strictObject({ origin: z.iso.date(), wape: z.number().nullable() })),
        }),
      )
      .describe('The mapping backtest, one row per window.'),
    timings: z.array(z.strictObject({ origin: z.iso.date(), ms: z.number() })),
    warnings: z.array(z.string()),
  })
  .describe('funnelcast backtest --json: rolling-origin accuracy of every model at every level and stage.');
