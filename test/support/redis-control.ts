import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, launchRedisServer } from '@funnelcast/worker/testing';

/**
 * A private `redis-server` a test can hurt: restart empty on the same port, freeze and thaw, stop. (The shared test
 * Redis of `@funnelcast/worker/testing` may be an outside server named by `REDIS_URL`, which must not be killed.)
 */
export interface ControlledRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server and starts an empty one on the same port, as a Redis without persistence comes back. */
  restartEmpty(): Promise<void>;
  /** SIGSTOP: connections stay open and every command hangs, as a Redis stuck in a long fork or swap. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  stop(): Promise<void>;
}

async function kill(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGCONT');
  server.kill('SIGKILL');
  await exited;
}

/** Starts a redis-server on a free loopback port, with extra `args` (e.g. `--requirepass`). */
export async function startControlledRedis(args: readonly string[] = []): Promise<ControlledRedis> {
  const port = await freePort();
  let server = await launchRedisServer(port, args);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty() {
      await kill(server);
      server = await launchRedisServer(port, args);
    },
    freeze: () => void server.kill('SIGSTOP'),
    thaw: () => void server.kill('SIGCONT'),
    stop: () => kill(server),
  };
}
