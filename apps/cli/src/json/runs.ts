import { z } from 'zod';
import { FORECAST_RUNS } from '@funnelcast/core/terms';
import { relationRowSchema } from './relation-row.js';

/** `funnelcast runs --json`: the forecast_runs rows, newest first, their JSON text columns as JSON values. */
export const runsJsonSchema = z
  .array(
    relationRowSchema(FORECAST_RUNS, ['warnings_json', 'timings_json'], {
      warnings: z.array(z.string()).describe('Things worth knowing that did not stop the run.'),
      timings: z.record(z.string(), z.number()).nullable().describe('Milliseconds per phase; null while running or when the run failed before timing.'),
      production: z.boolean().describe('Whether this is the run the views show.'),
    }),
  )
  .describe('funnelcast runs --json: forecast runs, newest first.');
