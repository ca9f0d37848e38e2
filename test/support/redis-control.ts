import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A private `redis-server` the chaos suite can hurt: restart empty on the same port, freeze and thaw. (The shared
 * test Redis of `@funnelcast/worker/testing` may be an outside server named by `REDIS_URL`, which must not be killed.)
 */
export interface ControlledRedis {
  readonly url: string;
  /** Kills the server and starts an empty one on the same port, as a Redis without persistence comes back. */
  restartEmpty(): Promise<void>;
  /** SIGSTOP: connections stay open and every command hangs, as a Redis stuck in a long fork or swap. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function launch(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot start redis-server: ${error.message}`)));
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  server.removeAllListeners('exit');
  for (const stream of [server.stdout!, server.stderr!]) stream.removeAllListeners('data').resume();
  return server;
}

async function kill(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGCONT');
  server.kill('SIGKILL');
  await exited;
}

/** Starts a redis-server on a free loopback port. */
export async function startControlledRedis(): Promise<ControlledRedis> {
  const port = await freePort();
  let server = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty() {
      await kill(server);
      server = await launch(port);
    },
    freeze: () => void server.kill('SIGSTOP'),
    thaw: () => void server.kill('SIGCONT'),
    stop: () => kill(server),
  };
}
