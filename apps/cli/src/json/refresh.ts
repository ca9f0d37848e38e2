import { z } from 'zod';
import { forecastRowSchema } from './forecast.js';

const candidateScoreSchema = z.strictObject({
  candidate: z.string().describe('A model name, or blend:a+b for the equal blend of two.'),
  origins: z.number().int().describe('Backtest origins scored.'),
  wape: z.number().nullable().describe('Weighted absolute percentage error over the origins; null with no actuals.'),
  pinball: z.number().nullable().describe('Mean pinball loss of the daily quantiles; null with no scored day.'),
  weight: z.number().describe('Share of the final forecast (0 for losers).'),
  chosen: z.boolean(),
});

const selectionGroupSchema = z.strictObject({
  group: z.string().nullable().describe('The super-segment, or null for the whole stage.'),
  scores: z.array(candidateScoreSchema),
});

const runRefSchema = z.strictObject({ run_id: z.string(), as_of: z.iso.date() });

/** What a refresh did, as `funnelcast refresh --json` prints it (and `demo --json` under `refresh`). */
export const refreshJsonSchema = z
  .strictObject({
    run_id: z.string(),
    target: z.string(),
    warehouse: z.string().describe('duckdb or bigquery.'),
    as_of: z.iso.date().describe("The forecast's first day: the as-of date asked for, or the day after stale data ends."),
    requested_as_of: z.iso.date().describe('The as-of date asked for (today by default).'),
    data_end: z.strictObject({
      last_day: z.iso.date().nullable().describe('The last day with any event before the as-of date.'),
      silent_days: z.number().int().describe('Days with no event between last_day and the as-of date.'),
      expected_events: z.number().describe('Events the recent weekday rates would have brought over the silent days.'),
      stale: z.boolean().describe('The silence is implausible: the export stopped, and the forecast starts the day after last_day.'),
    }),
    horizon: z.number().int().describe('Forecast days from as_of.'),
    published: z.boolean().describe('False for a dry run.'),
    already_published: z.boolean().describe('Another execution of the same request had published: run_id is that run.'),
    production: z.boolean().describe('Whether run_id is now the run the views show.'),
    production_run: runRefSchema.nullable().describe('The run the views show after the refresh.'),
    rows: z.number().int(),
    mapping_rows: z.number().int(),
    combinations: z.number().int().describe('Active Channel × Source combinations forecast (an event within the mapping window).'),
    super_segments: z.array(z.string()),
    models: z.strictObject({ mqls: z.string(), sqls: z.string() }),
    selection: z
      .strictObject({ mqls: z.array(selectionGroupSchema), sqls: z.array(selectionGroupSchema), split: z.array(selectionGroupSchema) })
      .describe("Every candidate's backtest score per stage and group, and how each super-segment's SQLs were split."),
    landings: z.array(forecastRowSchema).describe('Where each stage lands in the month and the quarter of the as-of date: forecast --total rows.'),
    timings: z.record(z.string(), z.number()).describe('Milliseconds per phase.'),
    warnings: z.array(z.string()),
  })
  .describe('funnelcast refresh --json: what the refresh published (or validated, with --dry-run).');
