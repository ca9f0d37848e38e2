import { Redis } from 'ioredis';

/** The Redis URL used when `REDIS_URL` is unset. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The URL with any password (and a user name that carries one) replaced by `***`, safe for logs and errors.
 * Text that is not a URL is hidden whole rather than risk printing a credential.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /**
   * Blocking worker connections must wait out Redis outages instead of failing commands after a few retries
   * (BullMQ requires `maxRetriesPerRequest: null` for them); queue clients used by a CLI should fail fast instead.
   * @defaultValue true
   */
  readonly blocking?: boolean;
  /** A name shown by `CLIENT LIST`, to tell funnelcast's connections apart. @defaultValue `funnelcast` */
  readonly name?: string;
}

/** An ioredis connection to `url`, configured for BullMQ. The caller owns it and must `quit()` it. */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const blocking = options.blocking ?? true;
  return new Redis(url, {
    maxRetriesPerRequest: blocking ? null : 1,
    connectionName: options.name ?? 'funnelcast',
    // A CLI gives up on an unreachable Redis quickly; a worker keeps retrying with a capped backoff.
    retryStrategy: (times) => (blocking ? Math.min(times * 200, 5_000) : times > 2 ? null : 200),
  });
}
