import { UnrecoverableError } from 'bullmq';
import { ConfigError, EnvironmentError, InputError, InvariantViolationError, NotFoundError } from '@funnelcast/core';

/**
 * The one place the worker decides whether a failed refresh is worth retrying. Bad job data, bad configuration,
 * bad input, broken invariants and an environment only an operator can mend (a database file that is not DuckDB's,
 * a read-only folder, a full disk) fail the same way every time, so they become BullMQ's `UnrecoverableError`
 * (failed at once, reason kept). Anything else — a `TransientError`, a lost connection, an unknown fault — is
 * returned unchanged so BullMQ retries it with backoff.
 */
export function toJobError(error: unknown): Error {
  if (error instanceof ConfigError || error instanceof InputError || error instanceof InvariantViolationError || error instanceof NotFoundError || error instanceof EnvironmentError) {
    const unrecoverable = new UnrecoverableError(`${error.code}: ${error.message}`);
    unrecoverable.cause = error;
    return unrecoverable;
  }
  return error instanceof Error ? error : new Error(String(error));
}
