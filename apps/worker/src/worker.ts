import { Worker } from 'bullmq';
import type { FunnelcastConfig } from '@funnelcast/core';
import type { Logger } from 'pino';
import { createBullBoard } from './bull-board.js';
import { createRedisConnection, redactUrl } from './connection.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { createLogger } from './logger.js';
import { createWorkerMetrics } from './metrics.js';
import { createRefreshProcessor, type RefreshFunction, type RefreshJobResult } from './processor.js';
import { createRefreshQueue, type RefreshQueue } from './queue.js';
import { syncSchedules } from './schedules.js';
import { createTargetLock } from './target-lock.js';

/** Options of {@link createFunnelcastWorker}. */
export interface FunnelcastWorkerOptions {
  readonly config: FunnelcastConfig;
  /** The refresh to run per job (the pipeline's `refresh`, or a stub in tests and benchmarks). */
  readonly refresh: RefreshFunction;
  readonly redisUrl: string;
  /** @defaultValue a JSON logger on stdout */
  readonly logger?: Logger;
  /** Jobs processed at once by this worker (different targets run in parallel). @defaultValue 2 */
  readonly concurrency?: number;
  /** Port of the health and metrics server; 0 picks a free one; null serves none. @defaultValue null */
  readonly port?: number | null;
  /** Serve a read-only Bull Board at `/queues` on the health port. @defaultValue false */
  readonly bullBoard?: boolean;
  /** Register the config's schedules on start. @defaultValue true */
  readonly schedules?: boolean;
  /**
   * How long `close()` lets running refreshes finish before aborting them; one that ignores the abort is abandoned
   * after as long again (its job runs again on another worker). @defaultValue 60000
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * BullMQ's job lock: a worker that stops renewing it (killed) has its job picked up again by another worker
   * after at most this long plus `stalledIntervalMs`. @defaultValue 30000
   */
  readonly lockDurationMs?: number;
  /** How often workers look for stalled jobs. @defaultValue 30000 */
  readonly stalledIntervalMs?: number;
  /** TTL of the per-target lock (renewed while held). @defaultValue 30000 */
  readonly targetLockTtlMs?: number;
  /** Delay of a job whose target is busy before it tries again. @defaultValue 5000 */
  readonly lockRetryMs?: number;
  /** The clock that dates refreshes without an as-of date (scheduled ones). @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** A running worker. */
export interface FunnelcastWorker {
  readonly worker: Worker<unknown, RefreshJobResult>;
  readonly queue: RefreshQueue;
  /** The health server's port, when one was started. */
  readonly port: number | undefined;
  /**
   * Stops taking jobs, lets running refreshes finish (aborting them after the shutdown timeout, before they
   * publish, and abandoning after twice the timeout one that ignores the abort), then closes the HTTP server and
   * Redis. Safe to call twice.
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
  const redis = createRedisConnection(options.redisUrl, { name: 'funnelcast-worker' });
  const queue = createRefreshQueue(config, redis);
  const metrics = createWorkerMetrics();
  const processor = createRefreshProcessor({
    refresh: options.refresh,
    config,
    lock: createTargetLock(redis, { prefix: `${config.queue.prefix}:${config.queue.name}`, ...(options.targetLockTtlMs !== undefined ? { ttlMs: options.targetLockTtlMs } : {}) }),
    logger,
    metrics,
    ...(options.lockRetryMs !== undefined ? { lockRetryMs: options.lockRetryMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const worker = new Worker<unknown, RefreshJobResult>(config.queue.name, processor, {
    connection: redis,
    prefix: config.queue.prefix,
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A refresh killed twice in a row is probably what kills the worker; fail it rather than loop.
    maxStalledCount: 2,
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('stalled', (jobId) => {
    // The event carries only the id; the target is in the job (scheduled jobs' ids do not name it).
    void queue.getJob(jobId).then(
      (job) => logger.warn({ jobId, target: job?.data.target ?? null }, 'job stalled (its worker stopped); it will run again'),
      () => logger.warn({ jobId, target: null }, 'job stalled (its worker stopped); it will run again'),
    );
  });
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  let server: HealthServer | undefined;
  try {
    if (options.schedules ?? true) {
      const schedules = await syncSchedules(queue, config);
      logger.info({ schedules }, 'schedules registered');
    }
    if (options.port !== undefined && options.port !== null) {
      server = await startHealthServer({
        port: options.port,
        registry: metrics.registry,
        health: async () => ({
          redis: await Promise.race([redis.ping().then((pong) => pong === 'PONG', () => false), new Promise<boolean>((resolve) => setTimeout(resolve, 1_000, false).unref())]),
          worker: worker.isRunning() && closing === undefined,
        }),
        ...(options.bullBoard ? { mounts: { '/queues': await createBullBoard(queue) } } : {}),
      });
    }
  } catch (error) {
    await worker.close(true);
    await queue.close();
    redis.disconnect();
    throw error;
  }
  logger.info({ queue: config.queue.name, prefix: config.queue.prefix, redis: redactUrl(options.redisUrl), concurrency: worker.concurrency, port: server?.port ?? null }, 'worker started');

  const shutdown = async () => {
    const timeoutMs = options.shutdownTimeoutMs ?? 60_000;
    logger.info({ timeoutMs }, 'shutting down: waiting for running refreshes');
    const abort = setTimeout(() => {
      logger.warn('shutdown timeout: aborting running refreshes (nothing they computed is published)');
      worker.cancelAllJobs('worker shutting down');
    }, timeoutMs);
    // A refresh stuck where it cannot see the abort must not hold the process forever: after a second timeout stop
    // waiting. Its job stays active, its BullMQ lock expires with the process, and another worker runs it again.
    let giveUp: NodeJS.Timeout | undefined;
    const abandoned = new Promise<boolean>((resolve) => (giveUp = setTimeout(resolve, 2 * timeoutMs, true)));
    const gaveUp = await Promise.race([worker.close().then(() => false), abandoned]).finally(() => {
      clearTimeout(abort);
      clearTimeout(giveUp);
    });
    await server?.close();
    if (gaveUp) {
      logger.error('a refresh ignored the abort; stopping without it (its job will run again elsewhere)');
      redis.disconnect();
    } else {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
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
