import { BigQuery, type Query } from '@google-cloud/bigquery';
import { isTransient, toDomainError } from './job-errors.js';

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
    ...(dryRun ? { dryRun: true } : {}),
  });

  // Each attempt is a new job (a fresh id): a job that failed on BigQuery's side cannot be resumed.
  async function withRetries<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isTransient(error) || attempt >= attempts) throw toDomainError(error, what);
        await sleep(Math.floor(random() * baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  return {
    query: (sql, input = {}) =>
      withRetries('query', async () => {
        const [job] = await client.createQueryJob(jobOptions(sql, input, false));
        const [rows] = await job.getQueryResults({ autoPaginate: true });
        return rows as Record<string, unknown>[];
      }),
    dryRun: (sql, input = {}) =>
      withRetries('dry run', async () => {
        const [job] = await client.createQueryJob(jobOptions(sql, input, true));
        return Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
      }),
  };
}
