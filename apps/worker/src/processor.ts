import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { asOfOrToday, type FunnelcastConfig } from '@funnelcast/core';
import type { ProgressEvent, RefreshOptions, RefreshSummary, TrainOptions, TrainSummary } from '@funnelcast/pipeline';
import type { Logger } from 'pino';
import { DEFAULT_LOCK_RETRY_MS } from './defaults.js';
import { toJobError } from './error-policy.js';
import { parseRefreshJobData, type RefreshJobData } from './job-data.js';
import type { JobOutcome, WorkerMetrics } from './metrics.js';
import { TRAIN_JOB_NAME } from './queue.js';
import type { TargetLock } from './target-lock.js';

/** The pipeline's refresh, injected so queue mechanics can be tested and benchmarked without a warehouse. */
export type RefreshFunction = (config: FunnelcastConfig, options: RefreshOptions) => Promise<RefreshSummary>;

/** The pipeline's train, injected like the refresh. */
export type TrainFunction = (config: FunnelcastConfig, options: TrainOptions) => Promise<TrainSummary>;

/** What a completed refresh job returns (stored by BullMQ as the job's return value). */
export type RefreshJobResult = Pick<RefreshSummary, 'runId' | 'target' | 'asOf' | 'horizon' | 'published' | 'production' | 'alreadyPublished' | 'rows' | 'warnings'>;

/** What a completed train job returns: the training and the models it created. */
export interface TrainJobResult {
  readonly trainId: string | null;
  readonly target: string;
  readonly models: readonly string[];
}

/** What a job of the queue returns. */
export type JobResult = RefreshJobResult | TrainJobResult;

/** Options of {@link createRefreshProcessor}. */
export interface RefreshProcessorOptions {
  readonly refresh: RefreshFunction;
  /** Runs `train` jobs. @defaultValue none: a train job fails without retrying */
  readonly train?: TrainFunction;
  readonly config: FunnelcastConfig;
  readonly lock: TargetLock;
  readonly logger: Logger;
  readonly metrics?: WorkerMetrics;
  /**
   * How long a job whose target is being refreshed by another worker waits (delayed) before trying again.
   * @defaultValue 5000
   */
  readonly lockRetryMs?: number;
  /** The clock of the default as-of date. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** A BullMQ processor of refresh and train jobs. */
export type RefreshProcessor = (job: Job<unknown, JobResult>, token?: string, signal?: AbortSignal) => Promise<JobResult>;

/**
 * The processor: validates the job, takes the target's lock (or delays itself until it is free), runs the refresh
 * with progress forwarded to the job — or, for a `train` job, the training, under the same lock so a target's train
 * and refresh never overlap — and maps failures through the error policy. `signal` (BullMQ's cancellation,
 * used at shutdown) and the loss of the target lock are passed down so an abandoned refresh stops before publishing
 * (and, for a lost lock, is retried later).
 */
export function createRefreshProcessor(options: RefreshProcessorOptions): RefreshProcessor {
  const { config, lock, metrics } = options;
  const now = options.now ?? (() => new Date());
  const lockRetryMs = options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS;

  return async (job, token, signal) => {
    const claimedTarget = (job.data as { target?: unknown } | null)?.target;
    const logger = options.logger.child({ jobId: job.id, target: typeof claimedTarget === 'string' ? claimedTarget : null });
    let data: RefreshJobData;
    try {
      data = parseRefreshJobData(job.data, config);
    } catch (error) {
      logger.error({ err: error }, 'rejected refresh job: invalid data');
      // Only configured targets become label values, so bad jobs cannot grow the metric's cardinality.
      metrics?.recordJob(typeof claimedTarget === 'string' && Object.hasOwn(config.targets, claimedTarget) ? claimedTarget : '(invalid)', 'failed');
      throw toJobError(error);
    }

    const held = await lock.acquire(data.target);
    if (!held) {
      // Another worker is refreshing this target: wait without using up an attempt.
      logger.info({ retryInMs: lockRetryMs }, 'target busy; delaying');
      metrics?.recordJob(data.target, 'waiting_for_lock');
      await job.moveToDelayed(Date.now() + lockRetryMs, token);
      throw new DelayedError();
    }

    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // Stop (cancelling BigQuery jobs in flight) when shutting down (BullMQ's signal) or when the target is no longer ours.
    const stop = signal ? AbortSignal.any([signal, held.lost]) : held.lost;
    const kind = job.name === TRAIN_JOB_NAME ? 'train' : 'refresh';
    const train = async (): Promise<TrainJobResult> => {
      if (!options.train) throw new UnrecoverableError('this worker was started without a train function; funnelcast-worker has one');
      logger.info({ attempt: job.attemptsMade + 1 }, 'train started');
      const summary = await options.train(config, { target: data.target, now, signal: stop });
      metrics?.recordJob(data.target, 'completed', seconds());
      const models = summary.models.map((m) => m.modelName);
      logger.info({ trainId: summary.trainId, models, skipped: summary.skipped, seconds: seconds() }, 'train completed');
      return { trainId: summary.trainId, target: summary.target, models };
    };
    const refresh = async (): Promise<RefreshJobResult> => {
      logger.info({ asOf: data.asOf ?? null, horizon: data.horizon ?? null, dryRun: data.dryRun ?? false, attempt: job.attemptsMade + 1 }, 'refresh started');
      const summary = await options.refresh(config, {
        target: data.target,
        asOf: asOfOrToday(data.asOf, now()),
        ...(data.horizon !== undefined ? { horizon: data.horizon } : {}),
        dryRun: data.dryRun ?? false,
        // A job run again (after a stall, a retry or a Redis freeze) is the same request: it publishes at most once.
        ...(job.id !== undefined ? { requestId: job.id } : {}),
        onProgress: (event: ProgressEvent) => {
          void job.updateProgress({ phase: event.phase, done: event.done, total: event.total }).catch((error: unknown) => logger.warn({ err: error }, 'progress not saved'));
        },
        signal: stop,
        now,
      });
      metrics?.recordJob(data.target, 'completed', seconds());
      logger.info(
        { runId: summary.runId, rows: summary.rows, published: summary.published, production: summary.production, alreadyPublished: summary.alreadyPublished, seconds: seconds() },
        'refresh completed',
      );
      const { runId, target, asOf, horizon, published, production, alreadyPublished, rows, warnings } = summary;
      return { runId, target, asOf, horizon, published, production, alreadyPublished, rows, warnings };
    };
    try {
      return await (kind === 'train' ? train() : refresh());
    } catch (error) {
      const mapped = toJobError(error);
      const outcome: JobOutcome = mapped instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1) ? 'failed' : 'retrying';
      metrics?.recordJob(data.target, outcome, seconds());
      logger.error({ err: error, outcome }, outcome === 'failed' ? `${kind} failed` : `${kind} failed; will retry`);
      throw mapped;
    } finally {
      await held.release().catch((error: unknown) => logger.warn({ err: error }, 'target lock not released; it expires by itself'));
    }
  };
}
