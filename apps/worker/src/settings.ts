import { z } from 'zod';
import { ConfigError, zodProblems } from '@funnelcast/core';
import { DEFAULT_REDIS_URL } from './connection.js';
import { DEFAULT_WORKER_PORT } from './health-server.js';

const milliseconds = z.coerce.number().int().min(1).max(24 * 3600 * 1000);

/** The environment variables the `funnelcast-worker` binary reads, with their defaults. */
export const workerEnvSchema = z.object({
  /** @defaultValue `redis://127.0.0.1:6379` */
  REDIS_URL: z.string().min(1).default(DEFAULT_REDIS_URL),
  /** Config file; `--config` wins. @defaultValue `funnelcast.config.{yaml,yml,json}` in the working directory */
  FUNNELCAST_CONFIG: z.string().min(1).optional(),
  /** Health and metrics port; 0 picks a free one. @defaultValue 9464 */
  FUNNELCAST_WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_WORKER_PORT),
  /** `1` serves a read-only Bull Board at `/queues`. @defaultValue off */
  FUNNELCAST_BULL_BOARD: z.enum(['0', '1', 'true', 'false']).default('0'),
  /** Refreshes run at once by this worker. @defaultValue 2 */
  FUNNELCAST_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How long a shutdown waits for running refreshes before aborting them. @defaultValue 60000 */
  FUNNELCAST_SHUTDOWN_TIMEOUT_MS: milliseconds.default(60_000),
  /** BullMQ job lock: a killed worker's job runs again after about this long. @defaultValue 30000 */
  FUNNELCAST_WORKER_LOCK_DURATION_MS: milliseconds.default(30_000),
  /** How often stalled jobs are looked for. @defaultValue 30000 */
  FUNNELCAST_WORKER_STALLED_INTERVAL_MS: milliseconds.default(30_000),
  /** TTL of the per-target lock, renewed while a refresh runs. @defaultValue 30000 */
  FUNNELCAST_TARGET_LOCK_TTL_MS: milliseconds.default(30_000),
  /** pino level. @defaultValue `info` */
  FUNNELCAST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The worker's settings from the environment. */
export type WorkerEnv = z.output<typeof workerEnvSchema>;

/**
 * Reads the worker's settings from `env`.
 * @throws ConfigError listing every bad variable.
 */
export function readWorkerEnv(env: Readonly<Record<string, string | undefined>>): WorkerEnv {
  const known = Object.fromEntries(Object.keys(workerEnvSchema.shape).filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]));
  const result = workerEnvSchema.safeParse(known);
  if (!result.success) throw new ConfigError(zodProblems(result.error), 'Invalid worker environment:');
  return result.data;
}
