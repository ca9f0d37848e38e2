/**
 * @funnelcast/worker — the BullMQ worker that runs scheduled and queued refreshes on Redis, and the queue pieces
 * the CLI shares with it (queue, job ids, job data, schedules).
 */
export { createRedisConnection, redactUrl, DEFAULT_REDIS_URL, type RedisConnectionOptions } from './connection.js';
export { createRefreshQueue, createRefreshQueueEvents, enqueueRefresh, refreshJobId, REFRESH_JOB_NAME, REFRESH_JOB_OPTIONS, type EnqueueRequest, type EnqueueResult, type RefreshQueue } from './queue.js';
export { parseRefreshJobData, refreshJobDataSchema, type RefreshJobData } from './job-data.js';
export { toJobError } from './error-policy.js';
export { createTargetLock, type HeldTargetLock, type TargetLock, type TargetLockOptions } from './target-lock.js';
export { createRefreshProcessor, type RefreshFunction, type RefreshJobResult, type RefreshProcessor, type RefreshProcessorOptions } from './processor.js';
export { listSchedules, schedulerId, syncSchedules, type ScheduleInfo } from './schedules.js';
export { startHealthServer, DEFAULT_WORKER_PORT, type HealthServer, type HealthServerOptions, type HealthStatus, type MountedHandler } from './health-server.js';
export { createWorkerMetrics, type JobOutcome, type WorkerMetrics } from './metrics.js';
export { createLogger, REDACTED_PATHS, type LoggerOptions } from './logger.js';
export { createFunnelcastWorker, type FunnelcastWorker, type FunnelcastWorkerOptions } from './worker.js';
