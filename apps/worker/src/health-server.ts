import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The default port of the health and metrics server (`FUNNELCAST_WORKER_PORT`). */
export const DEFAULT_WORKER_PORT = 9464;

/** What `/healthz` reports; healthy when every check is true. */
export interface HealthStatus {
  readonly redis: boolean;
  readonly worker: boolean;
}

/** A handler mounted under a path prefix (Bull Board at `/queues`); it sees URLs relative to the prefix. */
export type MountedHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** 0 picks a free port. @defaultValue 9464 */
  readonly port?: number;
  /** @defaultValue `0.0.0.0` */
  readonly host?: string;
  readonly health: () => Promise<HealthStatus>;
  readonly registry: Registry;
  /** Extra handlers by path prefix, e.g. `{ '/queues': board }`. */
  readonly mounts?: Readonly<Record<string, MountedHandler>>;
}

/** A running health server. */
export interface HealthServer {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * Serves `/healthz` (200 with the checks as JSON when Redis answers and the worker runs, else 503), `/metrics`
 * (Prometheus text) and any mounted handlers, with `node:http` only.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const mounts = Object.entries(options.mounts ?? {});
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const mount = mounts.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (mount) {
      const [prefix, handler] = mount;
      request.url = request.url!.slice(prefix.length) || '/';
      handler(request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') {
      options.health().then(
        (status) => send(response, status.redis && status.worker ? 200 : 503, 'application/json', JSON.stringify({ ok: status.redis && status.worker, ...status })),
        () => send(response, 503, 'application/json', JSON.stringify({ ok: false, redis: false, worker: false })),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(response, 200, options.registry.contentType, text),
        (error: unknown) => send(response, 500, 'text/plain', `metrics unavailable: ${(error as Error).message}\n`),
      );
      return;
    }
    send(response, 404, 'text/plain', 'not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_WORKER_PORT, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
