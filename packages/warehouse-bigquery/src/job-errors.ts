import { ConfigError, EnvironmentError, FunnelcastError, InputError, TransientError } from '@funnelcast/core';

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

/** Where a target's requests go and which credentials they carry: fault messages name them as the thing to fix. */
export interface FaultOrigin {
  /** The target's service-account key file, when it has one. */
  readonly keyFilename?: string | undefined;
  /** The target's API root, when it overrides Google's. */
  readonly apiEndpoint?: string | undefined;
}

const NETWORK_HELP = 'check the network connection, a proxy (HTTPS_PROXY) if this machine needs one, and apiEndpoint in the target if it is set';
const LOGIN_HELP = 'run `gcloud auth application-default login`, or set keyFilename in the target (or GOOGLE_APPLICATION_CREDENTIALS) to a service-account key file';

// The host of a failed request, read from the client's message ("request to http://host/… failed, reason: …").
function hostOf(message: string, origin: FaultOrigin): string {
  const url = /request to (\S+) failed/.exec(message)?.[1] ?? origin.apiEndpoint ?? 'https://bigquery.googleapis.com';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The environment fault behind a failed request, or undefined when it is not one: a name that does not resolve or
 * missing, unreadable or refused credentials fail the same way until someone fixes them ({@link EnvironmentError});
 * a refused, reset or timed-out connection may pass ({@link TransientError}, retried). Each message names the fix.
 */
export function environmentFault(error: unknown, origin: FaultOrigin = {}): FunnelcastError | undefined {
  if (typeof error !== 'object' || error === null || error instanceof FunnelcastError) return undefined;
  const { code, message: raw } = error as { code?: unknown; message?: unknown };
  const message = typeof raw === 'string' ? raw : String(error);
  const data = (error as { response?: { data?: { error?: unknown; error_description?: unknown } } }).response?.data;
  const options = { cause: error };
  if (code === 'ENOTFOUND') {
    return new EnvironmentError(`Cannot reach BigQuery: the name ${hostOf(message, origin)} does not resolve (ENOTFOUND); ${NETWORK_HELP}.`, options);
  }
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) {
    return new TransientError(`Cannot reach BigQuery at ${hostOf(message, origin)} (${code}); ${NETWORK_HELP}.`, options);
  }
  if (message.includes('Could not load the default credentials')) {
    return new EnvironmentError(`No Google credentials found (Application Default Credentials): ${LOGIN_HELP}.`, options);
  }
  if (message.includes('GOOGLE_APPLICATION_CREDENTIALS')) {
    return new EnvironmentError(
      `The key file named by GOOGLE_APPLICATION_CREDENTIALS (${process.env.GOOGLE_APPLICATION_CREDENTIALS ?? 'unset'}) cannot be read: point it at a service-account key file, or unset it and run \`gcloud auth application-default login\`.`,
      options,
    );
  }
  const keyFile = origin.keyFilename;
  // google-auth reads the key file on first use: a missing file, bad JSON, or JSON that is not a key.
  const notAKey = error instanceof SyntaxError || /private_key|client_email|incoming JSON object|credential type/i.test(message);
  const aboutKeyFile = keyFile !== undefined && (message.includes(keyFile) || (error as { path?: unknown }).path === keyFile || notAKey);
  if (aboutKeyFile) {
    const why = typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : `not a Google credentials JSON file: ${message}`;
    return new EnvironmentError(`Cannot read the key file ${keyFile} (${why}): fix keyFilename in the target, or download a new service-account key there.`, options);
  }
  const grant = data?.error === 'invalid_grant' || message.includes('invalid_grant');
  if (grant || code === 401) {
    const detail = typeof data?.error_description === 'string' ? data.error_description : message;
    const fix = keyFile === undefined ? 'run `gcloud auth application-default login` again' : `replace the key file ${keyFile} (keyFilename in the target) with a valid service-account key`;
    return new EnvironmentError(`Google refused the credentials (${grant ? 'invalid_grant' : '401'}: ${detail}): ${fix}.`, options);
  }
  return undefined;
}

/**
 * The domain error for a failed job: an {@link environmentFault} first (network, credentials), {@link TransientError} when it may pass, {@link ConfigError} when a named
 * table, model or permission is missing (or the byte cap refused the query), {@link InputError} for a query
 * BigQuery rejects. `what` names the operation for the message. Errors that are not BigQuery's pass unchanged.
 */
export function toDomainError(error: unknown, what: string, origin: FaultOrigin = {}): unknown {
  if (error instanceof FunnelcastError || typeof error !== 'object' || error === null) return error;
  const fault = environmentFault(error, origin);
  if (fault) return fault;
  const apiError = error as ApiErrorLike;
  const isApiError = apiError.errors !== undefined || typeof apiError.code === 'number' || typeof apiError.code === 'string';
  if (!isApiError) return error;
  const message = typeof apiError.message === 'string' ? apiError.message : String(error);
  if (isTransient(error)) return new TransientError(`BigQuery ${what} failed transiently: ${message}`, { cause: error });
  const reasons = reasonsOf(apiError);
  const problem = { where: `BigQuery ${what}${reasons.length ? ` (${reasons.join(', ')})` : ''}`, message };
  const configFault = reasons.some((r) => CONFIG_REASONS.has(r)) || apiError.code === 403;
  return configFault ? new ConfigError([problem], 'BigQuery refused the request:') : new InputError([problem], 'BigQuery rejected the query:');
}
