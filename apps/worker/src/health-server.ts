import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** The default port of the health and metrics server (`FUNNELCAST_WORKER_PORT`). */
export const DEFAULT_WORKER_PORT = 9464;

/** The default address of the health and metrics server (`FUNNELCAST_WORKER_HOST`): this machine only. */
export const DEFAULT_WORKER_HOST = '127.0.0.1';

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** The schedules check of `/healthz`: which of the config's schedulers are missing from Redis. */
export interface ScheduleHealth {
  readonly expected: number;
  readonly registered: number;
  readonly missing: readonly string[];
}

/** What `/healthz` reports; healthy when Redis answers, the worker runs and no schedule is missing. */
export interface HealthStatus {
  readonly redis: boolean;
  readonly worker: boolean;
  /** Absent for a worker that does not register schedules. */
  readonly schedules?: ScheduleHealth;
}

function healthy(status: HealthStatus): boolean {
  return status.redis && status.worker && (status.schedules?.missing.length ?? 0) === 0;
}

/**
 * Whether the request carries `token`, as `Authorization: Bearer <token>` or as the password of basic auth (any
 * user name). Compared as SHA-256 digests in constant time, so neither the token nor its length leaks by timing.
 */
function authorized(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const [scheme = '', value = ''] = header.split(' ', 2);
  let offered: string;
  if (scheme.toLowerCase() === 'bearer') offered = value;
  else if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    offered = decoded.slice(decoded.indexOf(':') + 1);
  } else return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(offered), digest(token));
}

/** A handler mounted under a path prefix (Bull Board at `/queues`); it sees URLs relative to the prefix. */
export type MountedHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** 0 picks a free port. @defaultValue 9464 */
  readonly port?: number;
  /** @defaultValue `127.0.0.1` */
  readonly host?: string;
  readonly health: () => Promise<HealthStatus>;
  readonly registry: Registry;
  /** Extra handlers by path prefix, e.g. `{ '/queues': board }`. */
  readonly mounts?: Readonly<Record<string, MountedHandler>>;
  /** When set, the mounted handlers answer only requests that carry it (bearer or basic auth); 401 otherwise. */
  readonly mountToken?: string;
  /** The HTML page `/report` serves: the latest published forecast's report, or null when none is published. */
  readonly report?: () => Promise<string | null>;
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
 * Serves `/healthz` (200 with the checks as JSON when every check passes, else 503), `/metrics` (Prometheus text)
 * and any mounted handlers, with `node:http` only. No response carries an error's stack or message details.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const mounts = Object.entries(options.mounts ?? {});
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const mount = mounts.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (mount) {
      const [prefix, handler] = mount;
      if (options.mountToken !== undefined && !authorized(request, options.mountToken)) {
        response.setHeader('www-authenticate', 'Basic realm="funnelcast-worker", charset="UTF-8"');
        return send(response, 401, 'text/plain', 'authentication required: FUNNELCAST_BULL_BOARD_TOKEN as bearer token or basic-auth password\n');
      }
      request.url = request.url!.slice(prefix.length) || '/';
      handler(request, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') {
      options.health().then(
        (status) => send(response, healthy(status) ? 200 : 503, 'application/json', JSON.stringify({ ok: healthy(status), ...status })),
        () => send(response, 503, 'application/json', JSON.stringify({ ok: false, redis: false, worker: false })),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(response, 200, options.registry.contentType, text),
        () => send(response, 500, 'text/plain', 'metrics unavailable\n'),
      );
      return;
    }
    const report = options.report;
    if (path === '/report' && report) {
      report().then(
        (page) => (page === null ? send(response, 404, 'text/plain', 'no forecast is published yet\n') : send(response, 200, 'text/html; charset=utf-8', page)),
        () => send(response, 500, 'text/plain', 'report unavailable: see the worker log\n'),
      );
      return;
    }
    send(response, 404, 'text/plain', 'not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_WORKER_PORT, options.host ?? DEFAULT_WORKER_HOST, () => resolve());
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
