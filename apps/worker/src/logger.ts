import { pino, type DestinationStream, type Logger } from 'pino';

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

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @defaultValue `info` */
  readonly level?: string;
  /** Where lines go. @defaultValue stdout */
  readonly destination?: DestinationStream;
}

/** The worker's structured JSON logger. Job lines come from `logger.child({ jobId, target })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { name: 'funnelcast-worker', level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '***' } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
