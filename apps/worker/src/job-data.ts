import { z } from 'zod';
import { ConfigError, configSchema, IDENTIFIER, isIsoDate, zodProblems, type FunnelcastConfig, type Problem } from '@funnelcast/core';

/**
 * The data of a refresh job: which target to refresh and, optionally, for which as-of date, how many days ahead
 * and whether to publish. Scheduled jobs carry only the target; their as-of date is the day they run.
 */
export const refreshJobDataSchema = z
  .object({
    /** A configured warehouse target. */
    target: z.string().regex(IDENTIFIER, 'must be a target name: letters, digits and underscores'),
    /** History is every event before this day. @defaultValue the day the job runs (UTC) */
    asOf: z
      .string()
      .refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD')
      .optional(),
    /** Forecast days, within the bounds of the config's `horizon`. @defaultValue the config's `horizon` */
    horizon: configSchema.shape.horizon.unwrap().optional(),
    /** Compute and validate without publishing. @defaultValue false */
    dryRun: z.boolean().optional(),
    /**
     * A random id of the `enqueue` call that added the job: racing enqueues of one refresh all add the same job id,
     * BullMQ keeps the first one's data, and this tells each caller whether it was that first one.
     */
    enqueueId: z.string().min(1).max(64).optional(),
  })
  .strict();

/** Validated refresh job data. */
export type RefreshJobData = z.output<typeof refreshJobDataSchema>;

/**
 * Validates job data against the schema and the configuration (the target must be configured).
 * @throws ConfigError listing every problem, each under `job.data.<key>`.
 */
export function parseRefreshJobData(data: unknown, config: FunnelcastConfig): RefreshJobData {
  const result = refreshJobDataSchema.safeParse(data);
  const problems: Problem[] = result.success ? [] : zodProblems(result.error, 'job.data');
  const target = (data as { target?: unknown } | null)?.target;
  if (typeof target === 'string' && IDENTIFIER.test(target) && !Object.hasOwn(config.targets, target)) {
    problems.push({ where: 'job.data.target', message: `names no configured target; configured: ${Object.keys(config.targets).join(', ')}` });
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems, 'Invalid refresh job data:');
  return result.data;
}
