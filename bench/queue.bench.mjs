// Queue benchmark (issue 5), on a real Redis: REDIS_URL when set, else a private redis-server on a free port.
// Part 1: the queue's own overhead — 1,000 jobs through the worker's real BullMQ code (validation, target lock,
// progress, metrics, JSON logs) with a refresh that does nothing: jobs per second, and enqueue-to-start latency
// (job.timestamp → the refresh being called), once as a burst (addBulk, a backfill) and once enqueued one at a time
// the way `funnelcast enqueue` does. Part 2: 20 real refreshes of the demo data by 2 worker processes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addDays, parseConfig } from '@funnelcast/core';
import { seedDemo } from '@funnelcast/pipeline';
import { createDuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import {
  createFunnelcastWorker,
  createLogger,
  createRedisConnection,
  createRefreshQueue,
  createRefreshQueueEvents,
  enqueueRefresh,
  REFRESH_JOB_NAME,
  refreshJobId,
} from '@funnelcast/worker';
import { obliterateQueue, startRedis, startWorkerProcess } from '@funnelcast/worker/testing';
import { percentile, round, scratch, time, writeResult } from './support.mjs';

const STUB_JOBS = 1_000;
// 100 targets × 10 as-of dates, enqueued date by date: the two jobs a worker runs at once are always different
// targets, so the per-target lock never makes a job wait (that wait is lockRetryMs by design, not overhead).
const STUB_TARGETS = 100;
const REFRESHES = 20;
const DEMO_END = '2025-10-01';

const redis = await startRedis();
const ms = (value) => round(value, 2);
const latencySummary = (values) => ({ p50: ms(percentile(values, 0.5)), p99: ms(percentile(values, 0.99)), max: ms(Math.max(...values)) });

/** A config whose queue is its own, for one measurement (`obliterateQueue` deletes it afterwards). */
function benchConfig(targets, label) {
  return parseConfig({
    targets: Object.fromEntries(targets.map(([name, path]) => [name, { type: 'duckdb', path }])),
    defaultTarget: targets[0][0],
    queue: { name: `bench-${label}-${randomUUID()}`, prefix: 'fcbench' },
  });
}

/** Part 1, one mode: `enqueue(queue, config, jobs)` adds every job; the worker runs them with a no-op refresh. */
async function stubRun(mode, enqueue) {
  const targets = Array.from({ length: STUB_TARGETS }, (_, i) => [`t${String(i).padStart(3, '0')}`, `/nonexistent/t${i}.duckdb`]);
  const config = benchConfig(targets, `stub-${mode}`);
  const jobs = [];
  for (let d = 0; d < STUB_JOBS / STUB_TARGETS; d++) for (const [target] of targets) jobs.push({ target, asOf: addDays('2025-01-01', d), horizon: 90 });
  const refreshStarted = new Map();
  const refresh = async (_config, options) => {
    refreshStarted.set(refreshJobId(options.target, options.asOf, options.horizon), Date.now());
    options.onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
    return { runId: `stub_${options.asOf}`, target: options.target, asOf: options.asOf, horizon: 90, published: true, rows: 0, warnings: [] };
  };
  // Logs are formatted as in production and thrown away, so their cost is part of the overhead.
  const logger = createLogger({ destination: { write: () => undefined } });
  const fw = await createFunnelcastWorker({ config, refresh, redisUrl: redis.url, logger, schedules: false });
  try {
    const allDone = new Promise((resolve, reject) => {
      let completed = 0;
      fw.worker.on('completed', () => ++completed === STUB_JOBS && resolve());
      fw.worker.on('failed', (job, error) => reject(new Error(`stub job ${job?.id} failed: ${error.message}`)));
    });
    const { ms: wallMs } = await time(async () => {
      await enqueue(fw.queue, config, jobs);
      await allDone;
    });
    const finished = await fw.queue.getJobs(['completed'], 0, -1);
    const toStart = finished.map((job) => refreshStarted.get(job.id) - job.timestamp);
    const toPickup = finished.map((job) => job.processedOn - job.timestamp);
    // A job that found its target busy was started more than once.
    const lockWaits = finished.filter((job) => job.attemptsStarted > 1).length;
    return {
      how: mode === 'burst' ? 'all jobs added in one addBulk, then drained' : 'enqueueRefresh one job after another (getJob + add, as the CLI does): the enqueuer bounds the rate',
      jobs: finished.length,
      concurrency: fw.worker.concurrency,
      wallSeconds: round(wallMs / 1000, 2),
      jobsPerSecond: round((finished.length / wallMs) * 1000, 1),
      enqueueToStartMs: latencySummary(toStart),
      enqueueToPickupMs: latencySummary(toPickup),
      lockWaits,
    };
  } finally {
    await fw.close();
    await obliterateQueue(config, redis.url);
  }
}

/** A `funnelcast-worker` process (the built binary, one refresh at a time) with its JSON log lines. */
function workerProcess(configPath) {
  return startWorkerProcess(['--config', configPath], { REDIS_URL: redis.url, FUNNELCAST_WORKER_PORT: '0', FUNNELCAST_WORKER_CONCURRENCY: '1' });
}

/**
 * Part 2. "2 workers" here means two `funnelcast-worker` processes (concurrency 1 each) over two targets, each its
 * own DuckDB file of the demo data, with 10 as-of dates each. Why: a refresh fits its models on Node's one thread,
 * so two Worker objects in one process would share one core and measure nothing; and a DuckDB file is opened by one
 * process at a time, which the per-target lock already guarantees — two workers on a single target would take
 * turns and measure the lock, not the workers. Two targets let both processes refresh at once while each file
 * still sees one refresh at a time; `parallelism` (refresh-seconds per wall-second) says how close to 2 they get.
 */
async function realRun() {
  const dir = scratch('queue');
  try {
    const targets = ['alpha', 'beta'].map((name) => [name, join(dir.path, `${name}.duckdb`)]);
    const config = benchConfig(targets, 'real');
    const configPath = join(dir.path, 'funnelcast.config.json');
    writeFileSync(configPath, JSON.stringify({ targets: config.targets, defaultTarget: 'alpha', queue: config.queue }));
    let leads = 0;
    for (const [target] of targets) leads = (await seedDemo(config, { end: DEMO_END, seed: 42, target })).leads;

    const workers = [workerProcess(configPath), workerProcess(configPath)];
    const connection = createRedisConnection(redis.url, { blocking: false });
    const eventsConnection = createRedisConnection(redis.url);
    const queue = createRefreshQueue(config, connection);
    const events = createRefreshQueueEvents(config, eventsConnection);
    try {
      await Promise.all([...workers.map((w) => w.waitForLog((l) => l.msg === 'worker started')), events.waitUntilReady()]);
      const ids = new Set();
      const allDone = new Promise((resolve, reject) => {
        events.on('completed', ({ jobId }) => ids.delete(jobId) && ids.size === 0 && resolve());
        events.on('failed', ({ jobId, failedReason }) => reject(new Error(`refresh ${jobId} failed: ${failedReason}`)));
      });
      const { ms: wallMs } = await time(async () => {
        for (let week = 0; week < REFRESHES / targets.length; week++) {
          for (const [target] of targets) ids.add((await enqueueRefresh(queue, config, { target, asOf: addDays(DEMO_END, -7 * week) })).jobId);
        }
        await allDone;
      });
      const jobs = await queue.getJobs(['completed'], 0, -1);
      const refreshSeconds = jobs.map((job) => (job.finishedOn - job.processedOn) / 1000);
      const busy = refreshSeconds.reduce((a, b) => a + b, 0);
      const perWorker = workers.map((w) => w.logs.filter((l) => l.msg === 'refresh completed').length);
      const lockWaits = workers.reduce((n, w) => n + w.logs.filter((l) => l.msg === 'target busy; delaying').length, 0);
      const exitCodes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
      const published = {};
      for (const [target, path] of targets) {
        const warehouse = await createDuckDbWarehouse({ path });
        published[target] = (await warehouse.listRuns()).filter((run) => run.status === 'published').length;
        await warehouse.close();
      }
      return {
        data: { generator: '@funnelcast/demo', seed: 42, end: DEMO_END, leadsPerTarget: leads, horizon: config.horizon },
        setup: '2 funnelcast-worker processes (concurrency 1) × 2 targets (own DuckDB files) × 10 as-of dates',
        refreshes: jobs.length,
        wallSeconds: round(wallMs / 1000, 2),
        refreshesPerMinute: round((jobs.length / wallMs) * 60_000, 1),
        refreshSeconds: { p50: round(percentile(refreshSeconds, 0.5), 2), p90: round(percentile(refreshSeconds, 0.9), 2), max: round(Math.max(...refreshSeconds), 2) },
        parallelism: round(busy / (wallMs / 1000), 2),
        refreshesPerWorker: perWorker,
        lockWaits,
        publishedRuns: published,
        workerExitCodes: exitCodes,
      };
    } finally {
      await Promise.all(workers.map((w) => w.stop('SIGTERM')));
      await events.close();
      eventsConnection.disconnect();
      await queue.close();
      await connection.quit();
      await obliterateQueue(config, redis.url);
    }
  } finally {
    dir.cleanup();
  }
}

try {
  const server = createRedisConnection(redis.url, { blocking: false });
  const redisVersion = (await server.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown';
  await server.quit();

  console.log(`stub pipeline: ${STUB_JOBS} jobs, burst…`);
  const burst = await stubRun('burst', (queue, _config, jobs) =>
    queue.addBulk(jobs.map((data) => ({ name: REFRESH_JOB_NAME, data, opts: { jobId: refreshJobId(data.target, data.asOf, data.horizon) } }))),
  );
  console.log(burst);
  console.log(`stub pipeline: ${STUB_JOBS} jobs, one enqueue at a time…`);
  const steady = await stubRun('steady', async (queue, config, jobs) => {
    for (const job of jobs) await enqueueRefresh(queue, config, job);
  });
  console.log(steady);
  console.log(`demo data: ${REFRESHES} real refreshes, 2 workers…`);
  const real = await realRun();
  console.log(real);
  writeResult('queue', {
    redis: { version: redisVersion, private: !process.env.REDIS_URL },
    stub: { jobs: STUB_JOBS, targets: STUB_TARGETS, burst, steady },
    real,
  });
} finally {
  await redis.stop();
}
