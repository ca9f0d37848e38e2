import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { startHealthServer } from './health-server.js';
import { enqueueRefresh } from './queue.js';
import { gate, nextJobEvent, stubRefresh, testConfig, workerPool } from './testing/fixtures.js';

const pool = workerPool();
afterEach(() => pool.closeAll());

describe('health and metrics server', () => {
  it('reports health, counts jobs by outcome and serves a read-only Bull Board', async () => {
    const config = testConfig(['alpha']);
    const running = await pool.start(config, { refresh: stubRefresh().refresh, port: 0, bullBoard: true });
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
    // Read-only on the server, not just in the UI: actions are refused and change nothing.
    for (const action of ['pause', 'obliterate', 'empty']) {
      expect((await fetch(`${base}/queues/api/queues/${config.queue.name}/${action}`, { method: 'PUT' })).status, action).toBe(405);
    }
    expect(await running.queue.isPaused()).toBe(false);
    expect(await running.queue.getJobCounts('completed')).toEqual({ completed: 1 });
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it('answers 503 once the worker is shutting down', async () => {
    const config = testConfig(['alpha']);
    const release = gate();
    const started = gate();
    const running = await pool.start(config, {
      port: 0,
      refresh: stubRefresh(async () => {
        started.open();
        await release.promise;
      }).refresh,
    });
    await enqueueRefresh(running.queue, config, { asOf: '2025-06-02' });
    await started.promise;
    // Bull Board is off unless asked for.
    expect((await fetch(`http://127.0.0.1:${running.port}/queues`)).status).toBe(404);
    const closing = running.close();
    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, worker: false });
    release.open();
    await closing;
  });

  it('answers 503 naming the failed check when Redis does not answer, and refuses writes', async () => {
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', registry: new Registry(), health: async () => ({ redis: false, worker: true }) });
    try {
      const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, redis: false, worker: true });
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
