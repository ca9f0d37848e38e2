import { BigQuery, type Job, type Query } from '@google-cloud/bigquery';
import { ConfigError, EnvironmentError, InputError } from '@funnelcast/core';
import { isTransient, toDomainError, type FaultOrigin } from './job-errors.js';

/** Query parameters by name (`@as_of` is `params.as_of`), and their BigQuery types where a value cannot tell. */
export interface QueryInput {
  readonly params?: Record<string, unknown>;
  /** Types of parameters that are null or nested (arrays of structs); see the client's `types` option. */
  readonly types?: Record<string, unknown>;
}

/** How failed jobs are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @defaultValue 4 */
  readonly attempts?: number;
  /** Delay before the first retry; each later one doubles it, with full jitter. @defaultValue 500 */
  readonly baseDelayMs?: number;
  /** How to wait (tests pass one that records and resolves at once). @defaultValue a `setTimeout` promise */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
}

/** Runs query jobs with the target's labels, byte cap and location, retrying transient failures. */
export interface JobRunner {
  /** Runs a statement or script and returns its rows as the client parses them. */
  query(sql: string, input?: QueryInput): Promise<Record<string, unknown>[]>;
  /** Bytes the statement would process, from a dry-run job (nothing runs, nothing is billed). */
  dryRun(sql: string, input?: QueryInput): Promise<number>;
}

/** What every job carries. */
export interface JobSettings {
  readonly location: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly maximumBytesBilled?: number;
  /**
   * How long a job may run: sent as its `jobTimeoutMs`, and enforced here too (BigQuery only tries to stop a job past
   * it), by cancelling the job and failing with an EnvironmentError.
   */
  readonly jobTimeoutMs: number;
  /** Cancels the job in flight (`jobs.cancel`) and fails the call with the signal's reason when it aborts. */
  readonly signal?: AbortSignal | undefined;
  /** The target's key file and endpoint, named in network and credential fault messages. */
  readonly origin?: FaultOrigin;
}

/** The signal's reason as an error, for a call stopped by it. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * Parameter values in the form the client sends: it takes the text of DATE and TIMESTAMP values from its own
 * wrapper objects (a plain ISO string typed DATE would go out empty), so those are wrapped here, through arrays and
 * structs alike.
 */
export function wireParams(value: unknown, type: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(type)) return (value as unknown[]).map((item) => wireParams(item, type[0]));
  if (typeof type === 'object' && type !== null) {
    const fields = type as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, wireParams(v, fields[k])]));
  }
  if (type === 'DATE' && typeof value === 'string') return BigQuery.date(value);
  if (type === 'TIMESTAMP' && typeof value === 'string') return BigQuery.timestamp(value);
  return value;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the {@link JobRunner} of one client. */
export function createJobRunner(client: BigQuery, settings: JobSettings, retry: RetryPolicy = {}): JobRunner {
  const attempts = retry.attempts ?? 4;
  const baseDelayMs = retry.baseDelayMs ?? 500;
  const sleep = retry.sleep ?? defaultSleep;
  const random = retry.random ?? Math.random;

  const jobOptions = (sql: string, input: QueryInput, dryRun: boolean): Query => ({
    query: sql,
    useLegacySql: false,
    location: settings.location,
    labels: { ...settings.labels },
    jobPrefix: 'funnelcast_',
    ...(settings.maximumBytesBilled === undefined ? {} : { maximumBytesBilled: String(settings.maximumBytesBilled) }),
    ...(input.params ? { params: wireParams(input.params, input.types ?? {}) as Record<string, unknown> } : {}),
    ...(input.types ? { types: input.types as NonNullable<Query['types']> } : {}),
    jobTimeoutMs: settings.jobTimeoutMs,
    ...(dryRun ? { dryRun: true } : {}),
  });

  // Waits for the job's rows; past its timeout or on an abort it cancels the job (so BigQuery stops billing it) and
  // fails. The client's own wait keeps polling until the cancelled job reports back; its outcome no longer matters.
  async function rowsOrCancel(job: Job): Promise<Record<string, unknown>[]> {
    const rows = job.getQueryResults({ autoPaginate: true }).then(([result]) => result as Record<string, unknown>[]);
    const { signal, jobTimeoutMs } = settings;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EnvironmentError(`BigQuery job ${job.id} ran longer than its timeout of ${jobTimeoutMs} ms and was cancelled: raise jobTimeoutMs in the target, or look at the job in the BigQuery console`)),
        jobTimeoutMs,
      );
      onAbort = () => reject(abortReason(signal!));
      // Aborted while the job was being created: nothing will fire the listener.
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([rows, stopped]);
    } catch (error) {
      const stop = error instanceof EnvironmentError || signal?.aborted;
      if (stop) {
        rows.catch(() => undefined);
        await job.cancel().catch(() => undefined);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  // Each attempt is a new job (a fresh id): a job that failed on BigQuery's side cannot be resumed.
  async function withRetries<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (settings.signal?.aborted) throw abortReason(settings.signal);
      try {
        return await work();
      } catch (error) {
        if (settings.signal?.aborted || !isTransient(error) || attempt >= attempts) throw toDomainError(error, what, settings.origin);
        await sleep(Math.floor(random() * baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  return {
    query: (sql, input = {}) =>
      withRetries('query', async () => {
        const [job] = await client.createQueryJob(jobOptions(sql, input, false));
        return rowsOrCancel(job);
      }),
    dryRun: (sql, input = {}) =>
      withRetries('dry run', async () => {
        const [job] = await client.createQueryJob(jobOptions(sql, input, true));
        return Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
      }),
  };
}

/** One statement of a dry run: what it is and what BigQuery says it would scan. */
export interface StatementCost {
  /** The part of the command that sends it, e.g. `schema` or `history at 2025-09-03`. */
  readonly step: string;
  /** The statement's kind and the relations it names, e.g. `CREATE TABLE IF NOT EXISTS forecast_runs`. */
  readonly statement: string;
  /** Bytes it would process, or null when BigQuery could not price it (see `error`). */
  readonly bytes: number | null;
  /** Why BigQuery refused to price it (a table or model the real run would have created first, a missing grant). */
  readonly error: string | null;
}

/** Where a dry run records its statements; `step` names the part of the command sending them now. */
export interface DryRunLedger {
  step: string;
  readonly costs: StatementCost[];
}

const STATEMENT_KIND = /^\s*(CREATE(?: OR REPLACE)?(?: TEMP)? (?:TABLE|VIEW|MODEL|SCHEMA)(?: IF NOT EXISTS)?|ALTER TABLE|INSERT INTO|DELETE FROM|UPDATE|MERGE(?: INTO)?|BEGIN(?: TRANSACTION)?|DECLARE|SELECT|WITH)\b/i;

/** A statement's kind and the relations it names: enough to tell statements apart in a cost plan. */
export function describeStatement(sql: string): string {
  const kind = (STATEMENT_KIND.exec(sql)?.[1] ?? sql.trim().split(/\s+/)[0] ?? '').toUpperCase().replace(/^WITH$/, 'SELECT');
  const names = [...new Set([...sql.matchAll(/`(?:[\w-]+\.){1,2}\w+`/g)].map((m) => m[0].slice(1, -1).split('.').at(-1)!))];
  return `${kind === 'BEGIN' || kind === 'BEGIN TRANSACTION' || kind === 'DECLARE' ? 'SCRIPT' : kind} ${names.join(', ')}`.trim();
}

/**
 * The dry-run mode of a {@link JobRunner}: every statement goes out as a BigQuery dry-run job (nothing runs, nothing
 * is written or billed) and its bytes are recorded in `ledger`; queries return no rows. A statement BigQuery refuses
 * to price is recorded with the reason instead of failing the plan; network, credential and abort faults still throw.
 */
export function dryRunJobRunner(jobs: JobRunner, ledger: DryRunLedger): JobRunner {
  const price = async (sql: string, input?: QueryInput): Promise<number> => {
    const statement = describeStatement(sql);
    try {
      const bytes = await jobs.dryRun(sql, input);
      ledger.costs.push({ step: ledger.step, statement, bytes, error: null });
      return bytes;
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof InputError)) throw error;
      ledger.costs.push({ step: ledger.step, statement, bytes: null, error: error.problems.map((p) => p.message).join('; ') });
      return 0;
    }
  };
  return {
    query: async (sql, input) => {
      await price(sql, input);
      return [];
    },
    dryRun: price,
  };
}
