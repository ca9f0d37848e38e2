import { z } from 'zod';
import { ConfigError, zodProblems } from '@funnelcast/core';
import { DEFAULT_REDIS_URL } from './connection.js';
import { DEFAULT_WORKER_HOST, DEFAULT_WORKER_PORT } from './health-server.js';
import { DEFAULT_LOCK_DURATION_MS, DEFAULT_SCHEDULE_CHECK_INTERVAL_MS, DEFAULT_STALLED_INTERVAL_MS, DEFAULT_TARGET_LOCK_TTL_MS } from './defaults.js';

const milliseconds = z.coerce.number().int().min(1).max(24 * 3600 * 1000);

/** The environment variables the `funnelcast-worker` binary reads, with their defaults. */
export const workerEnvSchema = z.object({
  /** @defaultValue `redis://127.0.0.1:6379` */
  REDIS_URL: z.string().min(1).default(DEFAULT_REDIS_URL),
  /** Config file; `--config` wins. @defaultValue `funnelcast.config.{yaml,yml,json}` in the working directory */
  FUNNELCAST_CONFIG: z.string().min(1).optional(),
  /** Health and metrics port; 0 picks a free one. @defaultValue 9464 */
  FUNNELCAST_WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_WORKER_PORT),
  /** Address the health server listens on; anything but loopback exposes it to the network. @defaultValue `127.0.0.1` */
  FUNNELCAST_WORKER_HOST: z.string().min(1).default(DEFAULT_WORKER_HOST),
  /** `1` serves a read-only Bull Board at `/queues`. @defaultValue off */
  FUNNELCAST_BULL_BOARD: z.enum(['0', '1', 'true', 'false']).default('0'),
  /**
   * Token Bull Board requires (`Authorization: Bearer <token>`, or basic auth with it as password); required when
   * the host is not loopback. @defaultValue none
   */
  FUNNELCAST_BULL_BOARD_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Refreshes run at once by this worker. @defaultValue 2 */
  FUNNELCAST_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Threads fitting each refresh's models side by side (the forecast is the same either way). One by default: the
   * worker already runs refreshes of different targets side by side. @defaultValue 1
   */
  FUNNELCAST_FIT_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** How long a shutdown waits for running refreshes before aborting them. @defaultValue 60000 */
  FUNNELCAST_SHUTDOWN_TIMEOUT_MS: milliseconds.default(60_000),
  /**
   * BullMQ job lock, renewed every half of it. A killed worker's job runs again on a live worker within
   * `max(lock duration + stalled interval, target lock TTL + 5 s)`: 30 s with the defaults. @defaultValue 20000
   */
  FUNNELCAST_WORKER_LOCK_DURATION_MS: milliseconds.default(DEFAULT_LOCK_DURATION_MS),
  /** How often stalled jobs are looked for. @defaultValue 10000 */
  FUNNELCAST_WORKER_STALLED_INTERVAL_MS: milliseconds.default(DEFAULT_STALLED_INTERVAL_MS),
  /** TTL of the per-target lock, renewed every third of it while a refresh runs. @defaultValue 20000 */
  FUNNELCAST_TARGET_LOCK_TTL_MS: milliseconds.default(DEFAULT_TARGET_LOCK_TTL_MS),
  /** How often a worker checks that the schedules are still registered (and registers them again). @defaultValue 60000 */
  FUNNELCAST_SCHEDULE_CHECK_INTERVAL_MS: milliseconds.default(DEFAULT_SCHEDULE_CHECK_INTERVAL_MS),
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
