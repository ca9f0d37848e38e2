import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { asOfOrToday, type FunnelcastConfig, type IsoDate } from '@funnelcast/core';
import { parseRefreshJobData, type RefreshJobData } from './job-data.js';

/** The name of every refresh job (queued or scheduled). */
export const REFRESH_JOB_NAME = 'refresh';

/** The name of a scheduled `funnelcast train` job: same queue and target lock as refreshes, so the two never overlap. */
export const TRAIN_JOB_NAME = 'train';

/**
 * Retries and retention of refresh jobs: transient faults retry 5 times with exponential backoff (2 s, 4 s, 8 s…);
 * finished jobs are kept a while so a duplicate enqueue finds them and `queue status` can show failures. Stack
 * traces are not stored in Redis (Bull Board would serve them; the worker's log has them).
 */
export const REFRESH_JOB_OPTIONS = {
  attempts: 5,
  stackTraceLimit: 0,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
} as const satisfies JobsOptions;

/** The queue of refresh jobs: data in, a summary of what was published out. */
export type RefreshQueue = Queue<RefreshJobData, unknown, string>;

/**
 * The job id of a refresh: `refresh:<target>:<as-of>_h<horizon>`. Everything that makes one refresh differ from
 * another is in it, so enqueuing the same refresh twice runs it once and a different horizon is a different job. A
 * dry run publishes nothing, so it is not the same refresh: `dry-run:…`, never hiding (or hidden by) the real one.
 * BullMQ 6 refuses a `:` in custom ids unless the id has exactly three `:`-separated parts, hence the `_`.
 */
export function refreshJobId(target: string, asOf: IsoDate, horizon: number, dryRun = false): string {
  return `${dryRun ? 'dry-run' : 'refresh'}:${target}:${asOf}_h${horizon}`;
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
  /** @defaultValue the config's `horizon` */
  readonly horizon?: number;
  readonly dryRun?: boolean;
  /** Queue it even if the same refresh already ran or is queued (e.g. after a re-import), under an id of its own. */
  readonly force?: boolean;
}

/** The outcome of {@link enqueueRefresh}. */
export interface EnqueueResult {
  readonly jobId: string;
  readonly data: RefreshJobData;
  /**
   * `added`: a new job; `duplicate`: the same refresh is waiting, delayed or running, so nothing was added;
   * `done`: the same refresh already completed (at `finishedAt`), so nothing was added (`force` queues it again);
   * `retried`: the same refresh had failed and was sent back to the queue.
   */
  readonly status: 'added' | 'duplicate' | 'done' | 'retried';
  /** When the refresh that made this one `done` completed (ISO 8601). */
  readonly finishedAt?: string;
}

/**
 * Queues a refresh, resolving the target, the as-of date and the horizon now so the job id is stable.
 * @throws ConfigError when the request is invalid or names an unknown target.
 */
export async function enqueueRefresh(queue: RefreshQueue, config: FunnelcastConfig, request: EnqueueRequest, now: Date = new Date()): Promise<EnqueueResult> {
  const data = parseRefreshJobData(
    {
      target: request.target ?? config.defaultTarget,
      asOf: asOfOrToday(request.asOf, now),
      horizon: request.horizon ?? config.horizon,
      ...(request.dryRun !== undefined ? { dryRun: request.dryRun } : {}),
    },
    config,
  );
  const baseId = refreshJobId(data.target, data.asOf!, data.horizon!, data.dryRun ?? false);
  if (request.force) {
    // A suffix of its own so no earlier job of the same refresh, finished or not, can stand in for it.
    const jobId = `${baseId}_f${now.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
    await queue.add(REFRESH_JOB_NAME, data, { jobId });
    return { jobId, data, status: 'added' };
  }
  const existing = await queue.getJob(baseId);
  if (existing) {
    const state = await existing.getState();
    // A failed refresh would otherwise block its id forever; asking again means "try again".
    if (state === 'failed') {
      await existing.retry('failed');
      return { jobId: baseId, data, status: 'retried' };
    }
    if (state === 'completed') {
      return { jobId: baseId, data, status: 'done', ...(existing.finishedOn ? { finishedAt: new Date(existing.finishedOn).toISOString() } : {}) };
    }
    if (state !== 'unknown') return { jobId: baseId, data, status: 'duplicate' };
  }
  // Another enqueue may add the same job id between the lookup above and this add; BullMQ then keeps the job it
  // has, so only the call whose enqueue id the stored job carries added it.
  const enqueueId = randomUUID();
  await queue.add(REFRESH_JOB_NAME, { ...data, enqueueId }, { jobId: baseId });
  const stored = await queue.getJob(baseId);
  return { jobId: baseId, data, status: !stored || stored.data.enqueueId === enqueueId ? 'added' : 'duplicate' };
}
