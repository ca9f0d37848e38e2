import type { FunnelcastConfig } from '@funnelcast/core';
import { createRedisConnection } from '../connection.js';
import { createRefreshQueue } from '../queue.js';

/** Deletes every key of the config's queue on `redisUrl` (jobs, schedulers, target locks), after a test or a benchmark. */
export async function obliterateQueue(config: FunnelcastConfig, redisUrl: string): Promise<void> {
  const connection = createRedisConnection(redisUrl, { blocking: false });
  const queue = createRefreshQueue(config, connection);
  try {
    await queue.obliterate({ force: true });
    await queue.close();
  } finally {
    await connection.quit();
  }
}
