import { ConfigError, FunnelcastError, InputError, InvariantViolationError, NotFoundError } from '@funnelcast/core/terms';
import { snakeCaseKeys } from './json-keys.js';

/**
 * What an exit code means, for scripts:
 * 0 success; 1 the input or the forecast failed validation (nothing was published); 2 a usage or configuration
 * error, a missing database included (fix the command or the config); 3 the environment failed (warehouse or Redis
 * unreachable, a file in use, a database path that is not a DuckDB file, read-only or on a full disk); 4 a bug in
 * funnelcast; 130 interrupted by Ctrl-C or SIGTERM (main.ts; jobs in flight were cancelled).
 */
export const ExitCode = { ok: 0, validation: 1, usage: 2, environment: 3, internal: 4 } as const;

/**
 * A command that ran but did not succeed, with the exit code to report (e.g. `lookml --check` found drift). `reported`:
 * the command already printed its result (doctor's checks), so `--json` prints nothing more.
 */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details?: unknown,
    readonly reported = false,
  ) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** The command line itself is wrong: an unknown command or option, a missing argument, conflicting flags. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The one place errors become exit codes. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommandFailure) return error.exitCode;
  if (error instanceof InputError || error instanceof InvariantViolationError) return ExitCode.validation;
  if (error instanceof ConfigError || error instanceof NotFoundError) return ExitCode.usage;
  if (error instanceof FunnelcastError) return ExitCode.environment;
  if (error instanceof UsageError) return ExitCode.usage;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ENOENT|EACCES|EPERM|EROFS|ENOSPC|EDQUOT|ENOTDIR|EISDIR|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EBUSY)$/.test(code)) return ExitCode.environment;
  return ExitCode.internal;
}

/**
 * The error as JSON for `--json` callers (keys snake_case, as every output): a stable code, the message and, where
 * there are some, the problems (and for input that breaks a rule many times, `rules`: every broken rule with its
 * count of rows).
 */
export function errorJson(error: unknown): unknown {
  return snakeCaseKeys(errorObject(error));
}

function errorObject(error: unknown): Record<string, unknown> {
  if (error instanceof InputError && error.counts.length > 0) {
    return { error: { code: error.code, message: error.message, problems: error.problems, rules: error.counts } };
  }
  if (error instanceof ConfigError || error instanceof InputError) {
    return { error: { code: error.code, message: error.message, problems: error.problems } };
  }
  if (error instanceof InvariantViolationError) {
    return { error: { code: error.code, message: error.message, violations: error.violations } };
  }
  if (error instanceof UsageError) return { error: { code: 'USAGE', message: error.message } };
  if (error instanceof CommandFailure) return { error: { code: 'COMMAND_FAILED', message: error.message, details: error.details ?? null } };
  if (error instanceof FunnelcastError) return { error: { code: error.code, message: error.message } };
  return { error: { code: 'ERROR', message: error instanceof Error ? error.message : String(error) } };
}
