import { z } from 'zod';

const queued = {
  job_id: z.string().describe('The refresh request: the same target, as-of date and horizon give the same id.'),
  data: z.strictObject({
    target: z.string(),
    as_of: z.iso.date().optional(),
    horizon: z.number().int().optional(),
    dry_run: z.boolean().optional(),
  }),
  status: z.enum(['added', 'duplicate', 'done', 'retried']).describe('added a job; the same refresh was queued or running (duplicate), completed (done), or had failed and was sent back (retried).'),
  finished_at: z.iso.datetime().optional().describe('When the refresh that made this one done completed.'),
};

/** `funnelcast enqueue --json`, and with --wait the refresh's result. */
export const enqueueJsonSchema = z
  .union([
    z.strictObject(queued),
    z.strictObject({
      ...queued,
      state: z.literal('completed'),
      result: z.strictObject({
        run_id: z.string(),
        target: z.string(),
        as_of: z.iso.date(),
        horizon: z.number().int(),
        published: z.boolean(),
        production: z.boolean(),
        already_published: z.boolean(),
        rows: z.number().int(),
        warnings: z.array(z.string()),
      }),
    }),
  ])
  .describe('funnelcast enqueue --json: the job queued (or found), and with --wait the refresh it ran.');
