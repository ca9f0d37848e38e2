import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type FunnelcastConfig } from '@funnelcast/core';
import type { TrainSummary } from '@funnelcast/pipeline';
import { createRedisConnection } from './connection.js';
import { createRefreshQueue, REFRESH_JOB_OPTIONS } from './queue.js';
import type { TrainFunction } from './processor.js';
import { listSchedules, schedulerId, trainSchedulerId } from './schedules.js';
import { createFunnelcastWorker } from './worker.js';
import { gate, nextJobEvent, silentLogger, stubRefresh, testConfig, testRedisUrl } from './testing/fixtures.js';
import { obliterateQueue } from './testing/queue-cleanup.js';

const configs: FunnelcastConfig[] = [];
afterEach(async () => {
  await Promise.all(configs.splice(0).map((config) => obliterateQueue(config, testRedisUrl())));
});

/** Starts a worker with schedules on, as `main.ts` does, and stops it. */
async function restart(config: FunnelcastConfig): Promise<void> {
  const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh: stubRefresh().refresh });
  await worker.close();
}

async function schedulesOf(config: FunnelcastConfig) {
  const redis = createRedisConnection(testRedisUrl(), { blocking: false });
  const queue = createRefreshQueue(config, redis);
  try {
    return await listSchedules(queue);
  } finally {
    await queue.close();
    await redis.quit();
  }
}

describe('schedules', () => {
  it('registers one scheduler per target across restarts and concurrent workers', async () => {
    const config = testConfig(['alpha', 'beta'], { cron: '0 6 * * *', tz: 'Europe/Paris' });
    configs.push(config);
    await restart(config);
    await restart(config);
    await Promise.all([restart(config), restart(config)]);
    const schedules = await schedulesOf(config);
    expect(schedules.map((s) => s.id).sort()).toEqual([schedulerId('alpha'), schedulerId('beta')]);
    for (const s of schedules) {
      expect(s).toMatchObject({ pattern: '0 6 * * *', tz: 'Europe/Paris' });
      expect(s.next).toBeGreaterThan(Date.now());
    }
  });

  it('updates a changed schedule in place and drops the schedules of removed targets', async () => {
    const before = testConfig(['alpha', 'beta']);
    configs.push(before);
    await restart(before);
    const after = testConfig(['alpha'], { cron: '30 5 * * 1-5', tz: 'UTC' }, before.queue.name);
    await restart(after);
    expect(await schedulesOf(after)).toEqual([expect.objectContaining({ id: schedulerId('alpha'), pattern: '30 5 * * 1-5', tz: 'UTC' })]);
  });

  it('runs a scheduled refresh of each target, as of the day it runs, with the retry policy of queued ones', async () => {
    // Every second (cron with seconds), so the first run comes within the test.
    const config = testConfig(['alpha'], { cron: '* * * * * *', tz: 'UTC' });
    configs.push(config);
    const { refresh, calls } = stubRefresh();
    const now = () => new Date('2025-03-04T06:00:00Z');
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh, now });
    try {
      const job = await nextJobEvent(worker.worker, 'completed');
      expect(job.id).toMatch(/^repeat:refresh:alpha:/);
      expect(job.data).toEqual({ target: 'alpha' });
      expect(job.opts).toMatchObject({ attempts: REFRESH_JOB_OPTIONS.attempts, backoff: REFRESH_JOB_OPTIONS.backoff });
      expect(calls[0]).toMatchObject({ target: 'alpha', asOf: '2025-03-04' });
    } finally {
      await worker.close();
    }
  });
});

describe('train schedules', () => {
  /** A config with a DuckDB target `local` and a BigQuery target `bq` (never connected to: train and refresh are stubs). */
  function trainingConfig(refreshCron: string, trainCron: string): FunnelcastConfig {
    const base = testConfig(['local']);
    return parseConfig({
      targets: { local: base.targets.local, bq: { type: 'bigquery', projectId: 'test-project', dataset: 'fc', leads: { table: 'leads' } } },
      schedule: { cron: refreshCron, tz: 'UTC' },
      training: { cron: trainCron },
      queue: base.queue,
    });
  }

  /** A train that records its targets and waits for `until` before returning. */
  function stubTrain(until: Promise<void> = Promise.resolve()) {
    const calls: { target: string; started: number; ended?: number }[] = [];
    const train: TrainFunction = async (_config, options) => {
      const call: { target: string; started: number; ended?: number } = { target: options.target ?? '', started: Date.now() };
      calls.push(call);
      await until;
      call.ended = Date.now();
      return { trainId: 'tr_stub', target: call.target, warehouse: 'bigquery', skipped: null, asOf: '2025-03-04', since: '2023-03-05', dryRun: false, pricePerTib: 6.25, models: [], evaluations: [] } satisfies TrainSummary;
    };
    return { train, calls };
  }

  it('schedules a weekly train of each BigQuery target beside the daily refreshes, and none without a train function', async () => {
    const config = trainingConfig('0 6 * * *', '0 5 * * 1');
    configs.push(config);
    await restart(config);
    expect((await schedulesOf(config)).map((s) => s.id).sort()).toEqual([schedulerId('bq'), schedulerId('local')]);
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh: stubRefresh().refresh, train: stubTrain().train });
    await worker.close();
    const schedules = await schedulesOf(config);
    expect(schedules.map((s) => s.id).sort()).toEqual([schedulerId('bq'), schedulerId('local'), trainSchedulerId('bq')]);
    expect(schedules.find((s) => s.id === trainSchedulerId('bq'))).toMatchObject({ pattern: '0 5 * * 1', tz: 'UTC' });
  });

  it('fails a train job at once, without retrying, on a worker started without a train function', async () => {
    const config = trainingConfig('0 6 * * *', '0 5 * * 1');
    configs.push(config);
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh: stubRefresh().refresh, schedules: false });
    try {
      const failed = nextJobEvent(worker.worker, 'failed');
      await worker.queue.add('train', { target: 'bq' });
      const job = await failed;
      expect(job.failedReason).toContain('without a train function');
      expect(job.attemptsMade).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('runs a scheduled train as its own job under the target lock: a refresh of the target waits for it', async () => {
    // Both every second, so both come within the test; the train holds the target until the gate opens.
    const config = trainingConfig('* * * * * *', '* * * * * *');
    configs.push(config);
    const open = gate();
    const { train, calls: trains } = stubTrain(open.promise);
    const { refresh, calls: refreshes } = stubRefresh();
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh, train, lockRetryMs: 100 });
    try {
      const trained = nextJobEvent(worker.worker, 'completed', (job) => job.name === 'train');
      await vi.waitFor(() => expect(trains).toHaveLength(1), { timeout: 10_000, interval: 50 });
      const trainStarted = trains[0]!.started;
      // While the train runs, the refreshes of `bq` wait; the DuckDB target's keep running (a later tick passed).
      await vi.waitFor(() => expect(refreshes.some((c) => c.target === 'local' && c.started > trainStarted + 1_000)).toBe(true), { timeout: 10_000, interval: 50 });
      const overlapping = (c: (typeof refreshes)[number]) => c.target === 'bq' && (c.ended ?? Infinity) > trainStarted;
      expect(refreshes.filter(overlapping)).toEqual([]);
      open.open();
      const job = await trained;
      expect(job.data).toEqual({ target: 'bq' });
      expect(job.returnvalue).toEqual({ trainId: 'tr_stub', target: 'bq', models: [] });
      // Then they run, after it.
      await vi.waitFor(() => expect(refreshes.some((c) => c.target === 'bq' && c.started >= trains[0]!.ended!)).toBe(true), { timeout: 10_000, interval: 50 });
      expect(refreshes.filter((c) => c.target === 'bq' && c.started < trains[0]!.ended! && (c.ended ?? Infinity) > trainStarted)).toEqual([]);
    } finally {
      open.open();
      await worker.close();
    }
  });
});

describe('schedules lost from Redis', () => {
  /** The worker's `/healthz` status and JSON, and its `funnelcast_worker_schedules_missing` value. */
  async function probe(port: number | undefined) {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return { status: health.status, body: (await health.json()) as Record<string, unknown>, missing: Number(/^funnelcast_worker_schedules_missing (\S+)$/m.exec(metrics)?.[1]) };
  }

  it('are reported by /healthz and the metric, and registered again when the worker reconnects', async () => {
    const config = testConfig(['alpha', 'beta']);
    configs.push(config);
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh: stubRefresh().refresh, port: 0, scheduleCheckIntervalMs: 3_600_000 });
    try {
      expect(await probe(worker.port)).toEqual({ status: 200, body: { ok: true, redis: true, worker: true, schedules: { expected: 2, registered: 2, missing: [] } }, missing: 0 });
      // What the worker sees when Redis restarts empty: its queue's keys are gone.
      await obliterateQueue(config, testRedisUrl());
      expect(await probe(worker.port)).toEqual({
        status: 503,
        body: { ok: false, redis: true, worker: true, schedules: { expected: 2, registered: 0, missing: [schedulerId('alpha'), schedulerId('beta')] } },
        missing: 2,
      });
      // A restarted Redis drops the worker's connections; on reconnecting it registers the schedules again.
      const killer = createRedisConnection(testRedisUrl(), { blocking: false });
      try {
        const list = (await killer.client('LIST')) as string;
        const ids = list.split('\n').filter((line) => line.includes(` name=funnelcast-worker:${config.queue.name} `)).map((line) => /\bid=(\d+)/.exec(line)![1]!);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) await killer.client('KILL', 'ID', id);
      } finally {
        await killer.quit();
      }
      await vi.waitFor(async () => expect((await probe(worker.port)).status).toBe(200), { timeout: 10_000, interval: 100 });
      expect((await schedulesOf(config)).map((s) => s.id).sort()).toEqual([schedulerId('alpha'), schedulerId('beta')]);
      expect((await probe(worker.port)).missing).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('are registered again by the periodic check, without a reconnection', async () => {
    const config = testConfig(['alpha']);
    configs.push(config);
    const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, refresh: stubRefresh().refresh, scheduleCheckIntervalMs: 200 });
    try {
      await obliterateQueue(config, testRedisUrl());
      expect(await schedulesOf(config)).toEqual([]);
      await vi.waitFor(async () => expect((await schedulesOf(config)).map((s) => s.id)).toEqual([schedulerId('alpha')]), { timeout: 5_000, interval: 100 });
    } finally {
      await worker.close();
    }
  });
});
