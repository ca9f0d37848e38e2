import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A Redis for tests and benchmarks. Built and exported as `@funnelcast/worker/testing` so the worker's tests, the
 * end-to-end tests and `bench/queue.bench.mjs` share one way of getting a Redis.
 */
export interface TestRedis {
  readonly url: string;
  /** Stops the private server (a no-op for `REDIS_URL`). */
  stop(): Promise<void>;
}

/** A free TCP port on loopback (the OS picks one, which is then released for the caller to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `redis-server` on loopback `port` without persistence, with extra `args` (e.g. `--requirepass`), and
 * resolves once it says it accepts connections.
 */
export async function launchRedisServer(port: number, args: readonly string[] = []): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  server.stdout!.on('data', collect);
  server.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot start redis-server (install it, or set REDIS_URL): ${error.message}`)));
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    server.stdout!.on('data', () => {
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  server.removeAllListeners('exit');
  // Its log is not needed once it is up; keep draining the pipes so a chatty server never blocks on them.
  for (const stream of [server.stdout!, server.stderr!]) stream.removeAllListeners('data').resume();
  return server;
}

/**
 * Uses `REDIS_URL` when set; otherwise starts `redis-server` on a free port without persistence and resolves once
 * it says it accepts connections.
 */
export async function startRedis(): Promise<TestRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const port = await freePort();
  const server = await launchRedisServer(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}

/**
 * Vitest global setup: provides `REDIS_URL` to every test file of the run and stops a private server after it.
 * @returns the teardown
 */
export async function setup(): Promise<() => Promise<void>> {
  const redis = await startRedis();
  process.env.REDIS_URL = redis.url;
  return () => redis.stop();
}
