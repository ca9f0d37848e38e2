import type { Argv, CommandModule } from 'yargs';
import type { FunnelcastConfig } from '@funnelcast/core';
import { TransientError } from '@funnelcast/core/terms';
import type { RefreshQueue } from '@funnelcast/worker';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { emit, table } from '../output.js';

/**
 * Refuses the global `--db` for the queue commands: the worker refreshes the database configured for the target,
 * so a `--db` here would be silently ignored.
 * @throws UsageError pointing at `--target` and the target's `path`.
 */
export function refuseDatabaseOption(args: GlobalOptions, command: string): void {
  if (args.db === undefined) return;
  throw new UsageError(
    `${command} does not take --db: the worker refreshes the database configured for the target. Choose the target with --target, and set its \`path\` in the config (targets.<name>.path).`,
  );
}

/** The refresh queue of `config` on `REDIS_URL`, and how to let go of it. */
export interface OpenedQueue {
  readonly queue: RefreshQueue;
  /** The Redis URL with any password hidden, for messages. */
  readonly where: string;
  readonly redisUrl: string;
  close(): Promise<void>;
}

/**
 * Connects to the config's refresh queue on `REDIS_URL` (default `redis://127.0.0.1:6379`), failing fast with a
 * `TransientError` (exit code 3) when Redis does not answer.
 */
export async function openQueue(config: FunnelcastConfig): Promise<OpenedQueue> {
  const { createRedisConnection, createRefreshQueue, DEFAULT_REDIS_URL, redactUrl } = await import('@funnelcast/worker');
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const where = redactUrl(redisUrl);
  const redis = createRedisConnection(redisUrl, { blocking: false, name: 'funnelcast-cli' });
  // ioredis reports each failed reconnect as an 'error' event; the ping below turns the outcome into one error.
  redis.on('error', () => undefined);
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new TransientError(`Redis at ${where} is unreachable (set REDIS_URL): ${(error as Error).message}`, { cause: error });
  }
  const queue = createRefreshQueue(config, redis);
  // Without a listener BullMQ prints connection errors raw to stderr; the commands report failures themselves.
  queue.on('error', () => undefined);
  return {
    queue,
    where,
    redisUrl,
    close: async () => {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** What `funnelcast queue status` reports; `--json` prints it with snake_case keys (docs/json/queue-status.schema.json). */
export interface QueueStatus {
  readonly queue: string;
  readonly prefix: string;
  readonly redis: string;
  readonly workers: number;
  readonly counts: Record<string, number>;
  readonly schedules: readonly { id: string; pattern: string; tz: string; next: string | null }[];
  readonly failures: readonly { jobId: string; target: string | null; asOf: string | null; attempts: number; failedAt: string | null; reason: string }[];
  /**
   * Per configured target, the runs whose lease expired (their process died mid-refresh), stored as `abandoned` by
   * this call; `error` says why a target's warehouse could not be checked.
   */
  readonly abandonedRuns: readonly { target: string; runIds: readonly string[]; error: string | null }[];
}

/** Reaps every configured target's expired runs; a target that cannot be opened is reported, not fatal. */
async function reapEveryTarget(config: FunnelcastConfig): Promise<QueueStatus['abandonedRuns']> {
  const { reapAbandonedRuns } = await import('@funnelcast/pipeline');
  const reaped = [];
  // One target at a time: a slow warehouse delays the report instead of every target's connection opening at once.
  for (const target of Object.keys(config.targets)) {
    reaped.push(
      await reapAbandonedRuns(config, target).then(
        (runIds) => ({ target, runIds, error: null }),
        (error: unknown) => ({ target, runIds: [], error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  }
  return reaped;
}

/** How many recent failures `queue status` lists. */
const FAILURES_SHOWN = 10;

async function queueStatus(config: FunnelcastConfig): Promise<QueueStatus> {
  const { listSchedules } = await import('@funnelcast/worker');
  const opened = await openQueue(config);
  try {
    const { queue } = opened;
    const [counts, schedules, failed, workers, abandonedRuns] = await Promise.all([
      queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
      listSchedules(queue),
      queue.getFailed(0, FAILURES_SHOWN - 1),
      queue.getWorkersCount(),
      reapEveryTarget(config),
    ]);
    return {
      queue: config.queue.name,
      prefix: config.queue.prefix,
      redis: opened.where,
      workers,
      counts,
      schedules: schedules.map((s) => ({ id: s.id, pattern: s.pattern, tz: s.tz, next: s.next !== undefined ? new Date(s.next).toISOString() : null })),
      failures: failed.map((job) => {
        const data = (job.data ?? {}) as { target?: unknown; asOf?: unknown };
        return {
          jobId: job.id ?? '',
          target: typeof data.target === 'string' ? data.target : null,
          asOf: typeof data.asOf === 'string' ? data.asOf : null,
          attempts: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          reason: job.failedReason ?? '',
        };
      }),
      abandonedRuns,
    };
  } finally {
    await opened.close();
  }
}

function renderStatus(status: QueueStatus): string {
  const counts = Object.entries(status.counts).map(([state, n]) => [state, String(n)]);
  const lines = [
    `Queue ${status.queue} (prefix ${status.prefix}) on ${status.redis}: ${status.workers} worker(s) connected`,
    '',
    table(['state', 'jobs'], counts),
    '',
    status.schedules.length
      ? table(['schedule', 'cron', 'tz', 'next run'], status.schedules.map((s) => [s.id, s.pattern, s.tz, s.next ?? '']))
      : 'No schedules registered (a worker registers them when it starts, and again when it finds them missing).',
    '',
  ];
  if (status.failures.length === 0) lines.push('No failed jobs.');
  else {
    lines.push(`Last ${status.failures.length} failure(s):`);
    for (const f of status.failures) lines.push(`  ${f.jobId} (${f.attempts} attempt(s), ${f.failedAt ?? 'time unknown'}): ${f.reason.split('\n').join('\n    ')}`);
  }
  for (const { target, runIds, error } of status.abandonedRuns) {
    if (error !== null) lines.push(`Runs of target ${target} not checked: ${error}`);
    else if (runIds.length > 0) lines.push(`Target ${target}: ${runIds.length} run(s) whose refresh died are now stored as abandoned: ${runIds.join(', ')}`);
  }
  return lines.join('\n');
}

/** `funnelcast queue status`: jobs per state, schedules with their next run, and the last failures with reasons. */
const statusCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'status',
  describe: 'Jobs per state, schedules with their next run, the last failures with their reasons, and runs whose refresh died (stored as abandoned)',
  builder: (yargs) => yargs.example('$0 queue status --json', 'The same as JSON, for scripts and monitoring'),
  handler: async (args) => {
    refuseDatabaseOption(args, 'queue status');
    const status = await queueStatus(await loadConfig(args));
    emit(args, status, () => renderStatus(status));
  },
};

/** `funnelcast queue <command>`: the BullMQ refresh queue on Redis (`REDIS_URL`). */
export const queueCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'queue <command>',
  describe: 'Inspect the refresh queue that funnelcast-worker processes (Redis at REDIS_URL)',
  builder: (yargs: Argv<GlobalOptions>) => yargs.command(statusCommand).demandCommand(1, 'Name a queue command: status.'),
  handler: () => undefined,
};
