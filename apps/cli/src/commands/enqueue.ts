import type { Argv, CommandModule } from 'yargs';
import type { EnqueueResult, RefreshJobResult, RefreshQueue } from '@funnelcast/worker';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode, UsageError } from '../exit-codes.js';
import { emit, note } from '../output.js';
import { createProgressDisplay } from '../progress.js';
import { refreshOptions } from './refresh.js';
import { openQueue, refuseDatabaseOption } from './queue.js';

/** Options of `funnelcast enqueue`. */
export interface EnqueueArgs extends GlobalOptions {
  readonly asOf?: string;
  readonly horizon?: number;
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly timeout?: number;
  readonly force: boolean;
}

function statusLine(result: EnqueueResult, where: string): string {
  switch (result.status) {
    case 'added':
      return `Queued ${result.jobId} on ${where}`;
    case 'duplicate':
      return `Already queued or running — not queued again: ${result.jobId} on ${where}`;
    case 'done':
      return `Already ran${result.finishedAt ? ` at ${result.finishedAt}` : ''} — not queued again: ${result.jobId} on ${where}. To run it again (e.g. after a re-import), add --force.`;
    case 'retried':
      return `Had failed; sent back to the queue: ${result.jobId} on ${where}`;
  }
}

/**
 * Says at once when no worker listens on the queue, so `--wait` is not ten silent minutes; a Redis that refuses
 * CLIENT LIST (some managed ones) leaves the count unknown, and then nothing is said.
 */
async function warnWithoutWorker(queue: RefreshQueue, where: string): Promise<void> {
  const workers = await queue.getWorkersCount().catch(() => undefined);
  if (workers === 0) {
    note(`No worker is connected to queue ${queue.name} on ${where}: the refresh waits until one starts (funnelcast-worker). Waiting…`);
  }
}

/** `work`, or the error `onTimeout` makes once `seconds` pass first; no limit when `seconds` is undefined. */
async function withTimeout<T>(work: Promise<T>, seconds: number | undefined, onTimeout: () => Promise<Error>): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void onTimeout().then(reject, reject), seconds * 1000);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `funnelcast enqueue`: queue a refresh for funnelcast-worker, optionally waiting for it with live progress. */
export const enqueueCommand: CommandModule<GlobalOptions, EnqueueArgs> = {
  command: 'enqueue',
  describe: 'Queue a refresh for funnelcast-worker (Redis at REDIS_URL); the same target, as-of date and horizon run once',
  builder: (yargs) =>
    refreshOptions(yargs)
      .option('wait', { type: 'boolean', default: false, describe: 'Wait for the refresh, showing its progress; exit 1 if it fails' })
      .option('timeout', {
        type: 'number',
        describe: 'With --wait: stop waiting after this many seconds (exit 3; the job stays queued)',
        defaultDescription: 'wait until the refresh ends',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Queue it even if the same refresh already ran or is queued (e.g. after a re-import)' })
      .example('$0 enqueue', "Queue today's refresh of the default target")
      .example('$0 enqueue --target prod --as-of 2025-10-01 --wait', 'Queue a refresh and follow it to the end')
      .example('$0 enqueue --wait --timeout 600', 'Follow it for at most ten minutes')
      .example('$0 enqueue --as-of 2025-10-01 --force', 'Run a refresh that already ran again') as unknown as Argv<EnqueueArgs>,
  handler: async (args) => {
    refuseDatabaseOption(args, 'enqueue');
    // Not yargs' `implies`: --wait defaults to false, which `implies` counts as given.
    if (args.timeout !== undefined && !args.wait) throw new UsageError('--timeout limits --wait: add --wait');
    if (args.timeout !== undefined && !(args.timeout > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    const config = await loadConfig(args);
    const { createRedisConnection, createRefreshQueueEvents, enqueueRefresh } = await import('@funnelcast/worker');
    const opened = await openQueue(config);
    // Listening starts before the job is added so no progress or completion event can be missed.
    const eventsConnection = args.wait ? createRedisConnection(opened.redisUrl, { name: 'funnelcast-cli-events' }) : undefined;
    const events = eventsConnection ? createRefreshQueueEvents(config, eventsConnection) : undefined;
    // Without listeners these print connection errors raw to stderr, with the failed command (AUTH: the password).
    eventsConnection?.on('error', () => undefined);
    events?.on('error', () => undefined);
    const progress = createProgressDisplay(process.stderr, !args.json);
    try {
      await events?.waitUntilReady();
      const result = await enqueueRefresh(opened.queue, config, {
        ...(args.target ? { target: args.target } : {}),
        ...(args.asOf ? { asOf: args.asOf } : {}),
        ...(args.horizon !== undefined ? { horizon: args.horizon } : {}),
        dryRun: args.dryRun,
        force: args.force,
      });
      const line = statusLine(result, opened.where);
      if (!events) return emit(args, result, () => line);

      note(line);
      const job = await opened.queue.getJob(result.jobId);
      if (!job) throw new CommandFailure(`job ${result.jobId} vanished from the queue before it finished`, ExitCode.environment);
      events.on('progress', ({ jobId, data }) => {
        if (jobId !== result.jobId || typeof data !== 'object' || data === null) return;
        const { phase, done, total } = data as { phase?: unknown; done?: unknown; total?: unknown };
        if (typeof phase === 'string' && typeof done === 'number' && typeof total === 'number') progress.update({ phase, done, total });
      });
      await warnWithoutWorker(opened.queue, opened.where);
      let value: RefreshJobResult;
      try {
        value = (await withTimeout(job.waitUntilFinished(events), args.timeout, async () => {
          const state = await job.getState().catch(() => 'unknown');
          return new CommandFailure(
            `gave up waiting after ${args.timeout} s: job ${result.jobId} is ${state} on ${opened.where} and stays queued ` +
              '(a worker runs it when one takes it; follow it with: funnelcast queue status)',
            ExitCode.environment,
            { ...result, state },
          );
        })) as RefreshJobResult;
      } catch (error) {
        if (error instanceof CommandFailure) throw error;
        progress.stop();
        throw new CommandFailure(`refresh ${result.jobId} failed: ${(error as Error).message}`, ExitCode.validation, { ...result, state: 'failed' });
      }
      progress.stop();
      emit(args, { ...result, state: 'completed', result: value }, () =>
        value.published
          ? `Published run ${value.runId} to ${value.target}: ${value.rows.toLocaleString('en-US')} rows, as of ${value.asOf}, ${value.horizon}-day horizon`
          : `Dry run ${value.runId} on ${value.target} validated; nothing published`,
      );
    } finally {
      progress.stop();
      await events?.close();
      eventsConnection?.disconnect();
      await opened.close();
    }
  },
};
