import { Worker, type Job } from 'bullmq';
import { ConfigError, type FunnelcastConfig } from '@funnelcast/core';
import type { Logger } from 'pino';
import { createBullBoard } from './bull-board.js';
import { createRedisConnection, redactUrl } from './connection.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_SCHEDULE_CHECK_INTERVAL_MS, DEFAULT_STALLED_INTERVAL_MS, MAX_STALLED_COUNT } from './defaults.js';
import { DEFAULT_WORKER_HOST, isLoopbackHost, startHealthServer, type HealthServer } from './health-server.js';
import { createLogger } from './logger.js';
import { createWorkerMetrics } from './metrics.js';
import { createRefreshProcessor, type JobResult, type RefreshFunction, type TrainFunction } from './processor.js';
import { createRefreshQueue, type RefreshQueue } from './queue.js';
import { missingSchedules, syncSchedules } from './schedules.js';
import { createTargetLock } from './target-lock.js';

/** Options of {@link createFunnelcastWorker}. */
export interface FunnelcastWorkerOptions {
  readonly config: FunnelcastConfig;
  /** The refresh to run per job (the pipeline's `refresh`, or a stub in tests and benchmarks). */
  readonly refresh: RefreshFunction;
  /**
   * The pipeline's `train`, run by `train` jobs; with it, the worker schedules a train of every BigQuery target on
   * `training.cron`. @defaultValue none: no train schedules, and a train job fails
   */
  readonly train?: TrainFunction;
  readonly redisUrl: string;
  /** @defaultValue a JSON logger on stdout */
  readonly logger?: Logger;
  /** Jobs processed at once by this worker (different targets run in parallel). @defaultValue 2 */
  readonly concurrency?: number;
  /** Port of the health and metrics server; 0 picks a free one; null serves none. @defaultValue null */
  readonly port?: number | null;
  /** Address of the health and metrics server. @defaultValue `127.0.0.1` */
  readonly host?: string;
  /** Serve a read-only Bull Board at `/queues` on the health port. @defaultValue false */
  readonly bullBoard?: boolean;
  /** The token Bull Board requires (bearer or basic-auth password); mandatory when `host` is not loopback. */
  readonly bullBoardToken?: string;
  /**
   * Register the config's schedules on start, again after each reconnection to Redis and whenever the periodic
   * check finds one missing (Redis restarted empty). @defaultValue true
   */
  readonly schedules?: boolean;
  /** How often the schedules are checked. @defaultValue 60000 */
  readonly scheduleCheckIntervalMs?: number;
  /**
   * How long `close()` lets running refreshes finish before aborting them; one that ignores the abort is abandoned
   * after as long again (its job runs again on another worker). @defaultValue 60000
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * BullMQ's job lock: a worker that stops renewing it (killed) has its job picked up again by another worker
   * after at most `max(lockDurationMs + stalledIntervalMs, targetLockTtlMs + lockRetryMs)`. @defaultValue 20000
   */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled jobs. @defaultValue 10000 */
  readonly stalledIntervalMs?: number;
  /** TTL of the per-target lock (renewed while held). @defaultValue 20000 */
  readonly targetLockTtlMs?: number;
  /** Delay of a job whose target is busy before it tries again. @defaultValue 5000 */
  readonly lockRetryMs?: number;
  /** The clock that dates refreshes without an as-of date (scheduled ones). @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** The page `GET /report` serves on the health port (the main wires `cachedReport` over the default target); no route when absent. */
  readonly report?: () => Promise<string | null>;
}

/** A running worker. */
export interface FunnelcastWorker {
  readonly worker: Worker<unknown, JobResult>;
  readonly queue: RefreshQueue;
  /** The health server's port, when one was started. */
  readonly port: number | undefined;
  /**
   * Stops taking jobs, lets running refreshes finish (aborting them after the shutdown timeout, before they
   * publish, and abandoning after twice the timeout one that ignores the abort), then closes the HTTP server and
   * Redis. With Redis unreachable nothing can be handed back, so it stops within the shutdown timeout. Safe to call
   * twice.
   */
  close(): Promise<void>;
}

/**
 * Starts a worker on the config's queue: processes refresh jobs with one refresh per target at a time, registers
 * the schedules, and serves health and metrics when a port is given.
 */
export async function createFunnelcastWorker(options: FunnelcastWorkerOptions): Promise<FunnelcastWorker> {
  const { config } = options;
  const logger = options.logger ?? createLogger();
  const host = options.host ?? DEFAULT_WORKER_HOST;
  if (options.bullBoard && !options.bullBoardToken && !isLoopbackHost(host)) {
    throw new ConfigError(
      [{ where: 'FUNNELCAST_BULL_BOARD_TOKEN', message: `is required to serve Bull Board on ${host}, which is not loopback: it shows job data and Redis details` }],
      'Bull Board would be open to the network:',
    );
  }
  const schedulesOn = options.schedules ?? true;
  const canTrain = options.train !== undefined;
  // Named after the queue so `CLIENT LIST` tells which queue's worker a connection belongs to.
  const redis = createRedisConnection(options.redisUrl, { name: `funnelcast-worker:${config.queue.name}` });
  const queue = createRefreshQueue(config, redis);
  // Without a listener BullMQ prints these to stderr, raw; the logger's serializer keeps credentials out.
  queue.on('error', (error) => logger.error({ err: error }, 'queue error'));
  // Bounded: with Redis away, queue commands wait for it, and a scrape must not.
  const metrics = createWorkerMetrics(schedulesOn ? { schedulesMissing: () => withinMs(missingSchedules(queue, config, canTrain).then((missing) => missing.length), 1_000, -1) } : {});
  const processor = createRefreshProcessor({
    refresh: options.refresh,
    ...(options.train ? { train: options.train } : {}),
    config,
    lock: createTargetLock(redis, { prefix: `${config.queue.prefix}:${config.queue.name}`, ...(options.targetLockTtlMs !== undefined ? { ttlMs: options.targetLockTtlMs } : {}) }),
    logger,
    metrics,
    ...(options.lockRetryMs !== undefined ? { lockRetryMs: options.lockRetryMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const worker = new Worker<unknown, JobResult>(config.queue.name, processor, {
    connection: redis,
    prefix: config.queue.prefix,
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    // A refresh whose worker dies a third time is probably what kills it; fail it rather than loop.
    maxStalledCount: MAX_STALLED_COUNT,
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('stalled', (jobId) => {
    // The event carries only the id; the target and the stall count are in the job.
    void queue.getJob(jobId).then(
      (job) => logStalled(logger, jobId, job),
      () => logStalled(logger, jobId, undefined),
    );
  });
  worker.on('failed', (job, error) => {
    if (error.message !== STALL_LIMIT_REASON) return;
    logger.error(
      { jobId: job?.id ?? null, target: targetOf(job), stalls: job?.stalledCounter ?? null, maxStalledCount: MAX_STALLED_COUNT },
      `refresh failed without running again: its workers stopped (killed, out of memory, event loop blocked past the job lock) more than ${MAX_STALLED_COUNT} times; enqueue it again once the cause is fixed`,
    );
  });
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  let server: HealthServer | undefined;
  let scheduleCheck: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;
  /**
   * Registers the schedules again when any is missing, one check at a time and not once shutting down; never throws
   * (Redis may be away: the next check retries).
   */
  const ensureSchedules = (why: string): void => {
    if (closing || syncing) return;
    syncing = (async () => {
      try {
        const missing = await missingSchedules(queue, config, canTrain);
        if (missing.length === 0) return;
        logger.warn({ missing, why }, 'schedules missing from Redis; registering them again');
        await syncSchedules(queue, config, canTrain);
        logger.info({ schedules: missing }, 'schedules registered again');
      } catch (error) {
        logger.warn({ err: error, why }, 'schedules not checked; trying again later');
      } finally {
        syncing = undefined;
      }
    })();
  };
  try {
    if (schedulesOn) {
      const schedules = await syncSchedules(queue, config, canTrain);
      logger.info({ schedules }, 'schedules registered');
      // Redis that restarted empty forgets the schedulers without a word: look after every reconnection, and
      // periodically for a flush that kept the connection.
      redis.on('ready', () => ensureSchedules('reconnected to Redis'));
      scheduleCheck = setInterval(() => ensureSchedules('periodic check'), options.scheduleCheckIntervalMs ?? DEFAULT_SCHEDULE_CHECK_INTERVAL_MS);
      scheduleCheck.unref();
    }
    if (options.port !== undefined && options.port !== null) {
      const expected = Object.keys(config.targets).length;
      server = await startHealthServer({
        port: options.port,
        host,
        registry: metrics.registry,
        health: async () => {
          const [reachable, missing] = await Promise.all([
            withinMs(redis.ping().then((pong) => pong === 'PONG', () => false), 1_000, false),
            schedulesOn ? withinMs(missingSchedules(queue, config, canTrain), 1_000, undefined).catch(() => undefined) : Promise.resolve(undefined),
          ]);
          return {
            redis: reachable,
            worker: worker.isRunning() && closing === undefined,
            // Unknown when Redis does not answer; the redis check already fails then.
            ...(schedulesOn && missing ? { schedules: { expected, registered: expected - missing.length, missing } } : {}),
          };
        },
        ...(options.bullBoard ? { mounts: { '/queues': await createBullBoard(queue) } } : {}),
        ...(options.bullBoardToken !== undefined ? { mountToken: options.bullBoardToken } : {}),
        ...(options.report ? { report: options.report } : {}),
      });
    }
  } catch (error) {
    clearInterval(scheduleCheck);
    await withinMs(worker.close(true), 2_000, undefined);
    await withinMs(queue.close(), 2_000, undefined);
    redis.disconnect();
    throw error;
  }
  logger.info({ queue: config.queue.name, prefix: config.queue.prefix, redis: redactUrl(options.redisUrl), concurrency: worker.concurrency, host, port: server?.port ?? null }, 'worker started');

  const shutdown = async () => {
    clearInterval(scheduleCheck);
    const timeoutMs = options.shutdownTimeoutMs ?? 60_000;
    logger.info({ timeoutMs }, 'shutting down: waiting for running refreshes');
    const abort = setTimeout(() => {
      logger.warn('shutdown timeout: aborting running refreshes (nothing they computed is published)');
      worker.cancelAllJobs('worker shutting down');
    }, timeoutMs);
    // A refresh stuck where it cannot see the abort must not hold the process forever: after a second timeout stop
    // waiting. Its job stays active, its BullMQ lock expires with the process, and another worker runs it again.
    // With Redis unreachable, BullMQ's close waits for Redis forever: once nothing runs, stop at the timeout.
    const timers: NodeJS.Timeout[] = [abort];
    const abandoned = new Promise<'abandoned' | 'unreachable'>((resolve) => {
      timers.push(setTimeout(() => redis.status !== 'ready' && resolve('unreachable'), timeoutMs));
      timers.push(setTimeout(resolve, 2 * timeoutMs, 'abandoned'));
    });
    const outcome = await Promise.race([worker.close().then(() => 'closed' as const), abandoned]).finally(() => timers.forEach(clearTimeout));
    await server?.close();
    if (outcome === 'closed') {
      // Bounded too: Redis may go away between the worker's close and these.
      const quit = await withinMs(queue.close().then(() => redis.quit()).then(() => true, () => false), 5_000, false);
      if (!quit) redis.disconnect();
    } else {
      logger.error(
        outcome === 'abandoned' ? 'a refresh ignored the abort; stopping without it (its job will run again elsewhere)' : 'Redis unreachable: stopping without closing the queue cleanly',
      );
      redis.disconnect();
    }
    logger.info('worker stopped');
  };
  return {
    worker,
    queue,
    port: server?.port,
    close: () => (closing ??= shutdown()),
  };
}

/** The reason BullMQ gives a job found stalled more than `maxStalledCount` times. */
const STALL_LIMIT_REASON = 'job stalled more than allowable limit';

function targetOf(job: Job | undefined | null): string | null {
  const target = (job?.data as { target?: unknown } | undefined)?.target;
  return typeof target === 'string' ? target : null;
}

/**
 * Logs a stalled job and what happens next, as BullMQ decides it: moved back to wait, it runs again unless it has
 * now stalled more than `maxStalledCount` times, in which case the next worker to take it fails it at once.
 * Scheduled jobs are never failed for stalling.
 */
function logStalled(logger: Logger, jobId: string, job: Job | undefined): void {
  const stalls = job?.stalledCounter;
  const fields = { jobId, target: targetOf(job), stalls: stalls ?? null, maxStalledCount: MAX_STALLED_COUNT };
  if (stalls !== undefined && stalls > MAX_STALLED_COUNT && !job?.repeatJobKey) {
    logger.error(fields, `job stalled (its worker stopped) ${stalls} times, more than the limit of ${MAX_STALLED_COUNT}: it will fail, not run again`);
  } else {
    logger.warn(fields, `job stalled (its worker stopped); it will run again${stalls !== undefined ? ` (stall ${stalls} of at most ${MAX_STALLED_COUNT})` : ''}`);
  }
}

/** `promise`, or `fallback` once `ms` have passed. */
function withinMs<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<F>((resolve) => (timer = setTimeout(resolve, ms, fallback)))]).finally(() => clearTimeout(timer));
}
