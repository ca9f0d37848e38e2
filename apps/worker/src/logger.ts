import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values never reach a log line, wherever they appear: connection URLs (they may carry a password),
 * passwords, tokens and credential files.
 */
export const REDACTED_PATHS = [
  'redisUrl',
  'url',
  'password',
  'token',
  'credentials',
  'keyFilename',
  '*.redisUrl',
  '*.url',
  '*.password',
  '*.token',
  '*.credentials',
  '*.keyFilename',
];

/** The user info of any URL in a text: `redis://user:pass@host` becomes `redis://***@host`. */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*@/gi;

/** Strings of `value` with URL credentials hidden, keys that hold raw input or command arguments dropped. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(URL_USER_INFO, '$1***@');
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      // Node's `Invalid URL` errors keep the URL in `input`; ioredis errors keep the failed command in `command.args`
      // (`HELLO 3 AUTH default <password>`): only the command's name is worth logging.
      .filter(([key]) => key !== 'input' && key !== 'args')
      .map(([key, item]) => [key, scrub(item, depth + 1)]),
  );
}

/** pino's error serializer with credentials removed (see {@link scrub}). */
export function serializeError(error: unknown): unknown {
  return scrub(error instanceof Error ? stdSerializers.err(error) : error);
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @defaultValue `info` */
  readonly level?: string;
  /** Where lines go. @defaultValue stdout, written synchronously */
  readonly destination?: DestinationStream;
  /**
   * Values never written, whatever carries them (e.g. the Redis password from `urlSecrets(REDIS_URL)`): the last
   * line of defence behind the redacted paths and the error serializer.
   */
  readonly secrets?: readonly string[];
}

/** The worker's structured JSON logger. Job lines come from `logger.child({ jobId, target })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  // Longest first, so a secret that contains another is replaced whole; JSON-escaped, as they appear in a line.
  const secrets = [...new Set(options.secrets ?? [])].filter((s) => s.length > 0).sort((a, b) => b.length - a.length).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const settings = {
    name: 'funnelcast-worker',
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '***' },
    serializers: { err: serializeError },
    ...(secrets.length > 0 ? { hooks: { streamWrite: (line: string) => secrets.reduce((text, secret) => text.split(secret).join('***'), line) } } : {}),
  };
  // Synchronous on stdout: the worker exits with process.exit right after its last lines ('worker stopped'), and an
  // asynchronous stream lost them when the pipe's reader was slow.
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
