import { ConfigError } from '@funnelcast/core';
import { Redis } from 'ioredis';

/** The Redis URL used when `REDIS_URL` is unset. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Query parameters ioredis reads as options that may carry a credential (`?password=…`). */
const SECRET_PARAM = /pass|secret|token|auth|key/i;

/**
 * The URL with any password (in the user info or in a `?password=` style parameter, and a user name that goes with
 * one) replaced by `***`, safe for logs and errors. Text that is not a URL is hidden whole rather than risk printing
 * a credential.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparseable Redis URL)';
  }
  if (parsed.password) parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, '***');
  return parsed.toString();
}

/**
 * The credentials in a Redis URL, as written and decoded, so a logger can scrub them from any text that escapes
 * structured redaction (an error message quoting a command, a stack). Unparseable text yields itself: it may be a
 * URL with a typo around its password.
 */
export function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url ? [url] : [];
  }
  const raw = [parsed.password, ...[...parsed.searchParams].filter(([key]) => SECRET_PARAM.test(key)).map(([, value]) => value)].filter((s) => s.length > 0);
  // Written percent-encoded in the URL, decoded in ioredis' commands: scrub both spellings.
  const spellings = raw.flatMap((s) => {
    try {
      return [s, decodeURIComponent(s), encodeURIComponent(s)];
    } catch {
      return [s, encodeURIComponent(s)];
    }
  });
  return [...new Set(spellings)];
}

/**
 * `url` checked before ioredis parses it: ioredis throws Node's `TypeError: Invalid URL` whose `input` property holds
 * the whole URL, password included.
 * @throws ConfigError naming `REDIS_URL` without its value.
 */
function checkedUrl(url: string): string {
  if (URL.canParse(url)) return url;
  throw new ConfigError([{ where: 'REDIS_URL', message: 'is not a URL; expected redis://[:password@]host:port[/db]' }], 'Invalid Redis URL:');
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

/**
 * An ioredis connection to `url`, configured for BullMQ. The caller owns it, must `quit()` it, and must listen to its
 * `error` events (without a listener ioredis prints them, with the failed command's arguments, to stderr).
 * @throws ConfigError when `url` is not a URL.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const blocking = options.blocking ?? true;
  return new Redis(checkedUrl(url), {
    maxRetriesPerRequest: blocking ? null : 1,
    connectionName: options.name ?? 'funnelcast',
    // A CLI gives up on an unreachable Redis quickly; a worker keeps retrying with a capped backoff.
    retryStrategy: (times) => (blocking ? Math.min(times * 200, 5_000) : times > 2 ? null : 200),
  });
}
