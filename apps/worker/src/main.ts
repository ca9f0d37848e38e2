#!/usr/bin/env node
/**
 * `funnelcast-worker`: the only module that touches `process` — arguments, environment, signals and the exit code.
 * Usage: `funnelcast-worker [--config funnelcast.config.yaml]`; see the README for the environment variables.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_WORKER_PORT } from './health-server.js';
import { urlSecrets } from './connection.js';
import { createLogger } from './logger.js';
import { readWorkerEnv, workerEnvSchema } from './settings.js';

const { values } = parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(
    [
      'Usage: funnelcast-worker [--config <file>]',
      '',
      'Runs the refreshes queued with `funnelcast enqueue` and the scheduled ones (config `schedule`), from the BullMQ',
      'queue of the config (`queue.name`, `queue.prefix`) on Redis. SIGTERM or SIGINT: finish the running refresh, exit 0.',
      '',
      `Environment: ${Object.keys(workerEnvSchema.shape).join(', ')}.`,
      `Health at http://127.0.0.1:${DEFAULT_WORKER_PORT}/healthz, metrics at /metrics. Defaults and details: README.md, "Running the worker".`,
      '',
    ].join('\n'),
  );
  process.exit(0);
}

// Read raw, before the environment is checked, so even a rejected REDIS_URL never reaches a line.
const secrets = [...urlSecrets(process.env.REDIS_URL ?? ''), process.env.FUNNELCAST_BULL_BOARD_TOKEN ?? ''];
let logger = createLogger({ secrets });
try {
  const env = readWorkerEnv(process.env);
  logger = createLogger({ level: env.FUNNELCAST_LOG_LEVEL, secrets });
  // Loaded after --help and the environment check, so both answer at once (BullMQ and the models load slowly).
  const [{ buildReport, loadConfigFile, refresh, withWarehouse }, { createFunnelcastWorker }, { cachedReport }] = await Promise.all([
    import('@funnelcast/pipeline'),
    import('./worker.js'),
    import('./report-cache.js'),
  ]);
  const { config, origin } = await loadConfigFile(values.config ?? env.FUNNELCAST_CONFIG);
  logger.info({ config: origin }, 'configuration loaded');
  // The default target's report; a database that does not exist yet is refused by withWarehouse: a 500, logged here.
  const latestReport = cachedReport({
    productionRunId: () => withWarehouse(config, undefined, async (warehouse) => (await warehouse.productionRun())?.runId ?? null),
    render: () => withWarehouse(config, undefined, (warehouse) => buildReport(warehouse)),
  });
  const worker = await createFunnelcastWorker({
    config,
    refresh,
    redisUrl: env.REDIS_URL,
    logger,
    concurrency: env.FUNNELCAST_WORKER_CONCURRENCY,
    port: env.FUNNELCAST_WORKER_PORT,
    host: env.FUNNELCAST_WORKER_HOST,
    bullBoard: env.FUNNELCAST_BULL_BOARD === '1' || env.FUNNELCAST_BULL_BOARD === 'true',
    ...(env.FUNNELCAST_BULL_BOARD_TOKEN !== undefined ? { bullBoardToken: env.FUNNELCAST_BULL_BOARD_TOKEN } : {}),
    scheduleCheckIntervalMs: env.FUNNELCAST_SCHEDULE_CHECK_INTERVAL_MS,
    shutdownTimeoutMs: env.FUNNELCAST_SHUTDOWN_TIMEOUT_MS,
    lockDurationMs: env.FUNNELCAST_WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.FUNNELCAST_WORKER_STALLED_INTERVAL_MS,
    targetLockTtlMs: env.FUNNELCAST_TARGET_LOCK_TTL_MS,
    report: () =>
      latestReport().catch((error: unknown) => {
        logger.error({ err: error }, 'report failed');
        throw error;
      }),
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    worker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  logger.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
}
