import { randomUUID } from 'node:crypto';
import type { Job, Worker } from 'bullmq';
import { parseConfig, type FunnelcastConfig } from '@funnelcast/core';
import type { RefreshOptions, RefreshSummary } from '@funnelcast/pipeline';
import { pino } from 'pino';
import type { RefreshFunction } from '../processor.js';
import { createFunnelcastWorker, type FunnelcastWorker, type FunnelcastWorkerOptions } from '../worker.js';
import { obliterateQueue } from './queue-cleanup.js';

/** The Redis of the test run (set by the global setup in ./redis-server.ts). */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the tests through vitest (global setup src/testing/redis-server.ts)');
  return url;
}

/** A config with DuckDB targets named `targets` and a queue of its own, so tests never share Redis keys. */
export function testConfig(targets: readonly string[] = ['local'], schedule = { cron: '0 6 * * *', tz: 'UTC' }, queueName = `test-${randomUUID()}`): FunnelcastConfig {
  return parseConfig({
    targets: Object.fromEntries(targets.map((t) => [t, { type: 'duckdb', path: `/nonexistent/${t}.duckdb` }])),
    defaultTarget: targets[0],
    schedule,
    queue: { name: queueName, prefix: 'fctest' },
  });
}


/** A logger that writes nothing (tests assert on behaviour, not on log lines). */
export const silentLogger = pino({ level: 'silent' });

/** One call of the stub refresh, with wall-clock start and end (ms). */
export interface StubCall {
  readonly target: string;
  readonly asOf: string;
  readonly options: RefreshOptions;
  readonly started: number;
  ended?: number;
}

/**
 * A refresh that does no work: it records its calls and runs `behaviour` (which may wait, fail or check the
 * abort signal) before returning a minimal summary.
 */
export function stubRefresh(behaviour: (call: StubCall, index: number) => Promise<void> | void = () => undefined): { refresh: RefreshFunction; calls: StubCall[] } {
  const calls: StubCall[] = [];
  const refresh: RefreshFunction = async (_config, options) => {
    const call: StubCall = { target: options.target ?? 'local', asOf: options.asOf ?? '', options, started: Date.now() };
    calls.push(call);
    try {
      options.onProgress?.({ phase: 'aggregate', done: 1, total: 1 });
      await behaviour(call, calls.length - 1);
    } finally {
      call.ended = Date.now();
    }
    return { runId: `stub_${call.asOf}`, target: call.target, asOf: call.asOf, horizon: options.horizon ?? 90, published: !options.dryRun, production: !options.dryRun, alreadyPublished: false, rows: 0, warnings: [] } as unknown as RefreshSummary;
  };
  return { refresh, calls };
}

/** A promise with its resolve exposed: a gate tests open when they choose. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves with the next job for which the worker emits `event` and `predicate` holds. */
export function nextJobEvent(worker: Worker, event: 'completed' | 'failed' | 'active', predicate: (job: Job) => boolean = () => true): Promise<Job> {
  return new Promise((resolve) => {
    const listener = (job: Job | undefined) => {
      if (job && predicate(job)) {
        worker.off(event, listener);
        resolve(job);
      }
    };
    worker.on(event, listener);
  });
}

/** Workers started by a test file, on the test Redis, quiet and without schedules unless asked. */
export interface WorkerPool {
  /** Every worker started and not yet closed, oldest first. */
  readonly started: readonly FunnelcastWorker[];
  start(config: FunnelcastConfig, options: Omit<FunnelcastWorkerOptions, 'config' | 'redisUrl'>): Promise<FunnelcastWorker>;
  /** Closes every worker and deletes their queues; for `afterEach`. */
  closeAll(): Promise<void>;
}

/** A {@link WorkerPool}. */
export function workerPool(): WorkerPool {
  const started: FunnelcastWorker[] = [];
  const configs = new Set<FunnelcastConfig>();
  return {
    started,
    async start(config, options) {
      configs.add(config);
      const worker = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, schedules: false, ...options });
      started.push(worker);
      return worker;
    },
    async closeAll() {
      await Promise.all(started.splice(0).map((w) => w.close()));
      await Promise.all([...configs].map((config) => obliterateQueue(config, testRedisUrl())));
      configs.clear();
    },
  };
}
