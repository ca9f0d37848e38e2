import { z } from 'zod';

/** `funnelcast queue status --json`. */
export const queueStatusJsonSchema = z
  .strictObject({
    queue: z.string(),
    prefix: z.string(),
    redis: z.string().describe('The Redis URL, password hidden.'),
    workers: z.number().int().describe('Workers connected to the queue.'),
    counts: z.record(z.string(), z.number().int()).describe('Jobs per BullMQ state: wait, active, delayed, prioritized, completed, failed.'),
    schedules: z.array(z.strictObject({ id: z.string(), pattern: z.string(), tz: z.string(), next: z.iso.datetime().nullable() })),
    failures: z
      .array(
        z.strictObject({
          job_id: z.string(),
          target: z.string().nullable(),
          as_of: z.string().nullable(),
          attempts: z.number().int(),
          failed_at: z.iso.datetime().nullable(),
          reason: z.string(),
        }),
      )
      .describe('The last failed jobs, newest first.'),
    abandoned_runs: z
      .array(z.strictObject({ target: z.string(), run_ids: z.array(z.string()), error: z.string().nullable() }))
      .describe("Per target, the runs whose lease expired, stored as abandoned by this call; error says why a target's warehouse could not be checked."),
  })
  .describe('funnelcast queue status --json: the refresh queue on Redis.');
