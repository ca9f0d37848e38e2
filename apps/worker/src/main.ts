#!/usr/bin/env node
/**
 * `funnelcast-worker`: the only module that touches `process` — arguments, environment, signals and the exit code.
 * Usage: `funnelcast-worker [--config funnelcast.config.yaml] [--version] [--help]`; see the README for the environment
 * variables.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_WORKER_PORT } from './health-server.js';
import { urlSecrets } from './connection.js';
import { createLogger } from './logger.js';
import { readWorkerEnv, workerEnvSchema } from './settings.js';

const USAGE = [
  'Usage: funnelcast-worker [--config <file>] [--version] [--help]',
  '',
  'Runs the refreshes queued with `funnelcast enqueue` and the scheduled ones (config `schedule`), and the scheduled',
  '`funnelcast train` of each BigQuery target (config `training.cron`), from the BullMQ queue of the config',
  '(`queue.name`, `queue.prefix`) on Redis. SIGTERM or SIGINT: finish the running refresh, exit 0.',
  '',
  'Options: --config <file> (default FUNNELCAST_CONFIG, else funnelcast.config.{yaml,yml,json}), --version, --help.',
  `Environment: ${Object.keys(workerEnvSchema.shape).join(', ')}.`,
  `Health at http://127.0.0.1:${DEFAULT_WORKER_PORT}/healthz, metrics at /metrics. Defaults and details: README.md, "Running the worker".`,
  '',
].join('\n');

const OPTIONS = { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } as const;

// Edit distance, to suggest the flag a typo meant (`--conifg` → `--config`).
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function parseCommandLine() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (error) {
    // A mistyped flag (`--conifg`) is the user's to fix: say which and how to call it, not a stack trace; exit 2 as the CLI does.
    const typed = /'--?([^']+)'/.exec((error as Error).message)?.[1];
    const meant = typed ? Object.keys(OPTIONS).find((name) => distance(typed, name) <= 2) : undefined;
    process.stderr.write(`funnelcast-worker: ${(error as Error).message}${meant ? ` (did you mean --${meant}?)` : ''}\n\n${USAGE}`);
    process.exit(2);
  }
}

const values = parseCommandLine();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.version) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
  process.exit(0);
}

// Read raw, before the environment is checked, so even a rejected REDIS_URL never reaches a line.
const secrets = [...urlSecrets(process.env.REDIS_URL ?? ''), process.env.FUNNELCAST_BULL_BOARD_TOKEN ?? ''];
let logger = createLogger({ secrets });
try {
  const env = readWorkerEnv(process.env);
  logger = createLogger({ level: env.FUNNELCAST_LOG_LEVEL, secrets });
  // Loaded after --help and the environment check, so both answer at once (BullMQ and the models load slowly).
  const [{ buildReport, loadConfigFile, refresh, train, withWarehouse }, { createFunnelcastWorker }, { cachedReport }] = await Promise.all([
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
    refresh: (config, options) => refresh(config, { ...options, threads: env.FUNNELCAST_FIT_THREADS }),
    train,
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
