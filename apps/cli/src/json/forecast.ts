import { z } from 'zod';
import { STAGES } from '@funnelcast/core/terms';

const count = (what: string) => z.number().describe(what);

/** One row of `funnelcast forecast --json` (and of the refresh summary's `landings`). */
export const forecastRowSchema = z.strictObject({
  period: z.string().describe('The period: 2026-10-05 (day), 2026-W41 (ISO week), 2026-10 (month) or 2026-Q4 (quarter).'),
  period_start: z.iso.date().describe('First day of the period (weeks start on Monday).'),
  partial: z.boolean().describe('The forecast horizon ends before the period does: its last days are not counted.'),
  channel: z.string().nullable().describe('Channel_Grouping_Name; null on a row summed over every selected combination (--total, the refresh summary).'),
  source: z.string().nullable().describe('Original_source; null on a row summed over every selected combination.'),
  stage: z.enum(STAGES as ['mqls', 'sqls', 'sqos']).describe('The funnel stage.'),
  actual: count('Actual count in the period before the as-of date.'),
  forecast: count('Expected count over the period from the as-of date on (the mean).'),
  landing: count('actual + forecast: where the period lands.'),
  lower_50: count('Lower bound of the central 50% interval of the landing.'),
  upper_50: count('Upper bound of the central 50% interval of the landing.'),
  lower_95: count('Lower bound of the central 95% interval of the landing.'),
  upper_95: count('Upper bound of the central 95% interval of the landing.'),
});

/** `funnelcast forecast --json`: the rows, by period, then channel and source, then stage. */
export const forecastJsonSchema = z
  .array(forecastRowSchema)
  .describe('funnelcast forecast --json: per period, Channel × Source (or their total with --total) and stage, actual to date plus forecast with 50% and 95% intervals.');
