import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { todayUtc, type FunnelcastConfig, type IsoDate } from '@funnelcast/core';
import { parseRefreshJobData, type RefreshJobData } from './job-data.js';

/** The name of every refresh job (queued or scheduled). */
export const REFRESH_JOB_NAME = 'refresh';

/**
 * Retries and retention of refresh jobs: transient faults retry 5 times with exponential backoff (2 s, 4 s, 8 s…);
 * finished jobs are kept a while so a duplicate enqueue finds them and `queue status` can show failures.
 */
export const REFRESH_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} as const satisfies JobsOptions;

/** The queue of refresh jobs: data in, a summary of what was published out. */
export type RefreshQueue = Queue<RefreshJobData, unknown, string>;

/**
 * The job id of a refresh: one per target and as-of date, so enqueuing the same refresh twice runs it once. A dry
 * run publishes nothing, so it is not the same refresh: it has ids of its own and never hides (or is hidden by) the
 * real one. (BullMQ accepts a `:` in custom ids only in exactly three parts, which this is.)
 */
export function refreshJobId(target: string, asOf: IsoDate, dryRun = false): string {
  return `${dryRun ? 'dry-run' : 'refresh'}:${target}:${asOf}`;
}

/** The queue named in the config (`queue.name`, `queue.prefix`), on `connection` (the caller closes both). */
export function createRefreshQueue(config: FunnelcastConfig, connection: Redis): RefreshQueue {
  return new Queue<RefreshJobData, unknown, string>(config.queue.name, { connection, prefix: config.queue.prefix, defaultJobOptions: REFRESH_JOB_OPTIONS });
}

/**
 * The queue's event stream (progress, completion, failure of any job), e.g. for `funnelcast enqueue --wait`.
 * `connection` must be a blocking one (`createRedisConnection(url)`); the caller closes both.
 */
export function createRefreshQueueEvents(config: FunnelcastConfig, connection: Redis): QueueEvents {
  return new QueueEvents(config.queue.name, { connection, prefix: config.queue.prefix });
}

/** What to refresh; everything but the target is optional. */
export interface EnqueueRequest {
  /** @defaultValue the config's `defaultTarget` */
  readonly target?: string;
  /** @defaultValue today (UTC) on the enqueuing machine */
  readonly asOf?: IsoDate;
  readonly horizon?: number;
  readonly dryRun?: boolean;
}

/** The outcome of {@link enqueueRefresh}. */
export interface EnqueueResult {
  readonly jobId: string;
  readonly data: RefreshJobData;
  /**
   * `added`: a new job; `duplicate`: the same refresh is already queued, running or done, so nothing was added;
   * `retried`: the same refresh had failed and was sent back to the queue.
   */
  readonly status: 'added' | 'duplicate' | 'retried';
}

/**
 * Queues a refresh, resolving the target and the as-of date now so the job id is stable.
 * @throws ConfigError when the request is invalid or names an unknown target.
 */
export async function enqueueRefresh(queue: RefreshQueue, config: FunnelcastConfig, request: EnqueueRequest, now: Date = new Date()): Promise<EnqueueResult> {
  const data = parseRefreshJobData(
    {
      target: request.target ?? config.defaultTarget,
      asOf: request.asOf ?? todayUtc(now),
      ...(request.horizon !== undefined ? { horizon: request.horizon } : {}),
      ...(request.dryRun !== undefined ? { dryRun: request.dryRun } : {}),
    },
    config,
  );
  const jobId = refreshJobId(data.target, data.asOf!, data.dryRun ?? false);
  const existing = await queue.getJob(jobId);
  if (existing) {
    // A failed refresh would otherwise block its id forever; asking again means "try again".
    if ((await existing.getState()) === 'failed') {
      await existing.retry('failed');
      return { jobId, data, status: 'retried' };
    }
    return { jobId, data, status: 'duplicate' };
  }
  await queue.add(REFRESH_JOB_NAME, data, { jobId });
  return { jobId, data, status: 'added' };
}
