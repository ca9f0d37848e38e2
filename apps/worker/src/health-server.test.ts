import { afterEach, describe, expect, it } from 'vitest';
import type { FunnelcastConfig } from '@funnelcast/core';
import { enqueueRefresh } from './queue.js';
import { createFunnelcastWorker, type FunnelcastWorker } from './worker.js';
import { gate, nextJobEvent, obliterateQueue, silentLogger, stubRefresh, testConfig, testRedisUrl } from './testing/fixtures.js';

let running: FunnelcastWorker | undefined;
let config: FunnelcastConfig | undefined;
afterEach(async () => {
  await running?.close();
  if (config) await obliterateQueue(config);
  running = undefined;
  config = undefined;
});

describe('health and metrics server', () => {
  it('reports health, counts jobs by outcome and serves a read-only Bull Board', async () => {
    config = testConfig(['alpha']);
    running = await createFunnelcastWorker({ config, redisUrl: testRedisUrl(), logger: silentLogger, schedules: false, refresh: stubRefresh().refresh, port: 0, bullBoard: true });
    const base = `http://127.0.0.1:${running.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, redis: true, worker: true });

    const done = nextJobEvent(running.worker, 'completed');
    await enqueueRefresh(running.queue, config, { asOf: '2025-06-02' });
    await done;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('funnelcast_worker_jobs_total{target="alpha",outcome="completed"} 1');
    expect(metrics).toMatch(/funnelcast_worker_refresh_duration_seconds_count\{target="alpha",outcome="completed"\} 1/);
    expect(metrics).toMatch(/funnelcast_worker_last_success_timestamp_seconds\{target="alpha"\} \d/);

    const board = await fetch(`${base}/queues/api/queues`);
    expect(board.status).toBe(200);
    const queues = (await board.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(queues.queues).toEqual([expect.objectContaining({ name: config.queue.name, readOnlyMode: true })]);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('answers 503 once the worker is shutting down', async () => {
    config = testConfig(['alpha']);
    const release = gate();
    const started = gate();
    running = await createFunnelcastWorker({
      config,
      redisUrl: testRedisUrl(),
      logger: silentLogger,
      schedules: false,
      port: 0,
      refresh: stubRefresh(async () => {
        started.open();
        await release.promise;
      }).refresh,
    });
    await enqueueRefresh(running.queue, config, { asOf: '2025-06-02' });
    await started.promise;
    const closing = running.close();
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, worker: false });
    release.open();
    await closing;
  });
});
