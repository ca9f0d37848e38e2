import { ConfigError, FunnelcastError, InputError, TransientError } from '@funnelcast/core';

/**
 * BigQuery failures mapped onto core's domain errors, in this one place: the worker retries {@link TransientError}
 * and gives up on the rest, so the split between "may pass" and "will fail again" lives here.
 */

/** BigQuery error reasons that say "try again later" (rate limits and backend hiccups). */
export const TRANSIENT_REASONS: ReadonlySet<string> = new Set([
  'rateLimitExceeded',
  'backendError',
  'internalError',
  'jobRateLimitExceeded',
  'jobBackendError',
  'jobInternalError',
]);

/** HTTP statuses that say the same. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Socket-level failures of the request itself. */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
]);

// Reasons that mean the configuration points at something missing or forbidden, not that the data is bad.
const CONFIG_REASONS: ReadonlySet<string> = new Set(['notFound', 'accessDenied', 'billingNotEnabled', 'bytesBilledLimitExceeded']);

interface ApiErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly errors?: readonly { readonly reason?: unknown; readonly message?: unknown }[];
}

function reasonsOf(error: ApiErrorLike): string[] {
  return (error.errors ?? []).map((e) => e.reason).filter((r): r is string => typeof r === 'string');
}

/** True when retrying the same job may succeed. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as ApiErrorLike;
  if (typeof code === 'number' && TRANSIENT_STATUSES.has(code)) return true;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  return reasonsOf(error as ApiErrorLike).some((reason) => TRANSIENT_REASONS.has(reason));
}

/**
 * The domain error for a failed job: {@link TransientError} when it may pass, {@link ConfigError} when a named
 * table, model or permission is missing (or the byte cap refused the query), {@link InputError} for a query
 * BigQuery rejects. `what` names the operation for the message. Errors that are not BigQuery's pass unchanged.
 */
export function toDomainError(error: unknown, what: string): unknown {
  if (error instanceof FunnelcastError || typeof error !== 'object' || error === null) return error;
  const apiError = error as ApiErrorLike;
  const isApiError = apiError.errors !== undefined || typeof apiError.code === 'number' || typeof apiError.code === 'string';
  if (!isApiError) return error;
  const message = typeof apiError.message === 'string' ? apiError.message : String(error);
  if (isTransient(error)) return new TransientError(`BigQuery ${what} failed transiently: ${message}`, { cause: error });
  const reasons = reasonsOf(apiError);
  const problem = { where: `BigQuery ${what}${reasons.length ? ` (${reasons.join(', ')})` : ''}`, message };
  const configFault = reasons.some((r) => CONFIG_REASONS.has(r)) || apiError.code === 403 || apiError.code === 401;
  return configFault ? new ConfigError([problem], 'BigQuery refused the request:') : new InputError([problem], 'BigQuery rejected the query:');
}
