/**
 * Domain errors are small named classes carrying data. The CLI maps them to exit codes in one place and the
 * worker maps them to retry or no-retry in one place; nothing else inspects messages.
 */

/** One thing wrong with an input, with where it is (a config key path, a file and row, a column). */
export interface Problem {
  /** Where: `horizon`, `targets.local.path`, `leads.csv row 12 column sql_date`… */
  readonly where: string;
  /** The rule it broke, phrased so the reader knows what to fix. */
  readonly message: string;
}

/** Base class: every funnelcast error has a stable `code`. */
export abstract class FunnelcastError extends Error {
  abstract readonly code: string;
  /** True when retrying the same request may succeed (a timeout, a rate limit, a lost connection). */
  readonly transient: boolean = false;
}

/** How many rows (or leads) broke one rule, when the problems listed are only examples of them. */
export interface RuleCount {
  /** The rule, phrased as in the problems. */
  readonly rule: string;
  /** Every row that broke it, not just the examples. */
  readonly rows: number;
}

function describe(summary: string, problems: readonly Problem[], counts: readonly RuleCount[] = []): string {
  const width = Math.max(0, ...counts.map((c) => c.rows.toLocaleString('en-US').length));
  const perRule = counts.length > 0 ? ['  rows per rule:', ...counts.map((c) => `    ${c.rows.toLocaleString('en-US').padStart(width)}  ${c.rule}`)] : [];
  const shown = problems.slice(0, 20).map((p) => `  - ${p.where}: ${p.message}`);
  const more = problems.length > 20 ? [`  … and ${problems.length - 20} more`] : [];
  return [summary, ...perRule, ...shown, ...more].join('\n');
}

/** The configuration (file, flags or job data) is invalid. Every problem is listed, not just the first. */
export class ConfigError extends FunnelcastError {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly Problem[], summary = 'Invalid configuration:') {
    super(describe(summary, problems));
    this.name = 'ConfigError';
  }
}

/**
 * The input data (a leads file, the warehouse's history) breaks the leads contract. `counts` says how many rows broke
 * each rule when `problems` holds only examples, so a file with 500 bad rows reads as 500, not as twenty.
 */
export class InputError extends FunnelcastError {
  readonly code = 'INPUT_INVALID';
  constructor(
    readonly problems: readonly Problem[],
    summary = 'Invalid input:',
    readonly counts: readonly RuleCount[] = [],
  ) {
    super(describe(summary, problems, counts));
    this.name = 'InputError';
  }
}

/** One broken invariant of a run, with the offending rows (a sample) and how many rows broke it. */
export interface Violation {
  /** The rule, e.g. `lower_95 <= lower_50`, `non-negative`, `coherent with segment totals`. */
  readonly rule: string;
  /** How many rows broke it. */
  readonly count: number;
  /** Up to a handful of offending rows, as `date channel / source stage: detail`. */
  readonly examples: readonly string[];
}

/** A run's rows broke an invariant; the run is not published and the previous forecast stays. */
export class InvariantViolationError extends FunnelcastError {
  readonly code = 'INVARIANT_VIOLATED';
  constructor(readonly violations: readonly Violation[]) {
    super(
      [
        'The forecast broke its invariants and was not published:',
        ...violations.map((v) => `  - ${v.rule}: ${v.count} row(s), e.g. ${v.examples.join('; ')}`),
      ].join('\n'),
    );
    this.name = 'InvariantViolationError';
  }
}

/** A warehouse or queue fault that may pass: timeouts, rate limits, lost connections. Retried by the worker. */
export class TransientError extends FunnelcastError {
  readonly code = 'TRANSIENT';
  override readonly transient = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * The machine refused what funnelcast needs of it: a database path that is not a DuckDB file, a file or folder it may
 * not write, a full disk. Retrying the same command does not help until someone fixes the file, so it is not transient.
 */
export class EnvironmentError extends FunnelcastError {
  readonly code = 'ENVIRONMENT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
  }
}

/** Something asked for does not exist: an unknown target, run or segment. Lists what does exist. */
export class NotFoundError extends FunnelcastError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, name: string, known: readonly string[]) {
    super(`Unknown ${what} ${JSON.stringify(name)}; known: ${known.length ? known.join(', ') : '(none)'}.`);
    this.name = 'NotFoundError';
  }
}
