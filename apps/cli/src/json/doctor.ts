import { z } from 'zod';

/** What `funnelcast doctor --json` prints: one entry per check. */
export const doctorJsonSchema = z
  .strictObject({
    target: z.string(),
    warehouse: z.string().describe('duckdb or bigquery.'),
    ok: z.boolean().describe('Every check passed (exit 0; otherwise exit 3).'),
    checks: z.array(
      z.strictObject({
        check: z.string().describe('What was checked: credentials, dataset, jobs, permissions, leads, models; file, schema, leads on DuckDB.'),
        ok: z.boolean(),
        message: z.string().describe('ok, with what was found, or what is wrong and what to do.'),
      }),
    ),
  })
  .describe('funnelcast doctor --json: whether the target is ready for refresh and train, check by check.');
