import { describe, expect, it } from 'vitest';
import { ConfigError } from '@funnelcast/core';
import { DEFAULT_LOCK_RETRY_MS } from './defaults.js';
import { readWorkerEnv } from './settings.js';

describe('worker environment', () => {
  it('defaults every variable, with Bull Board off', () => {
    expect(readWorkerEnv({ PATH: '/usr/bin', REDIS_URL: '' })).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      FUNNELCAST_WORKER_PORT: 9464,
      FUNNELCAST_WORKER_HOST: '127.0.0.1',
      FUNNELCAST_BULL_BOARD: '0',
      FUNNELCAST_WORKER_CONCURRENCY: 2,
      FUNNELCAST_FIT_THREADS: 1,
      FUNNELCAST_SHUTDOWN_TIMEOUT_MS: 60_000,
      FUNNELCAST_WORKER_LOCK_DURATION_MS: 20_000,
      FUNNELCAST_WORKER_STALLED_INTERVAL_MS: 10_000,
      FUNNELCAST_TARGET_LOCK_TTL_MS: 20_000,
      FUNNELCAST_SCHEDULE_CHECK_INTERVAL_MS: 60_000,
      FUNNELCAST_LOG_LEVEL: 'info',
    });
  });

  it('defaults to a worst-case recovery of a killed worker\'s job of 30 s, as the README states', () => {
    const env = readWorkerEnv({});
    const recoveryMs = Math.max(env.FUNNELCAST_WORKER_LOCK_DURATION_MS + env.FUNNELCAST_WORKER_STALLED_INTERVAL_MS, env.FUNNELCAST_TARGET_LOCK_TTL_MS + DEFAULT_LOCK_RETRY_MS);
    expect(recoveryMs).toBe(30_000);
  });

  it('reads numbers from text and lists every bad variable', () => {
    expect(readWorkerEnv({ FUNNELCAST_WORKER_PORT: '0', FUNNELCAST_WORKER_CONCURRENCY: '4', FUNNELCAST_FIT_THREADS: '2' })).toMatchObject({
      FUNNELCAST_WORKER_PORT: 0,
      FUNNELCAST_WORKER_CONCURRENCY: 4,
      FUNNELCAST_FIT_THREADS: 2,
    });
    let error: unknown;
    try {
      readWorkerEnv({ FUNNELCAST_WORKER_PORT: '70000', FUNNELCAST_BULL_BOARD: 'yes', FUNNELCAST_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.where).sort()).toEqual(['FUNNELCAST_BULL_BOARD', 'FUNNELCAST_LOG_LEVEL', 'FUNNELCAST_WORKER_PORT']);
  });
});
