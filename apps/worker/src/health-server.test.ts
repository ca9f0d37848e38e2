import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { ConfigError, InputError } from '@funnelcast/core';
import { startHealthServer } from './health-server.js';
import { enqueueRefresh } from './queue.js';
import { gate, nextJobEvent, stubRefresh, testConfig, workerPool } from './testing/fixtures.js';

const pool = workerPool();
afterEach(() => pool.closeAll());

describe('health and metrics server', () => {
  it('reports health, counts jobs by outcome and serves a read-only Bull Board', async () => {
    const config = testConfig(['alpha']);
    const running = await pool.start(config, { refresh: stubRefresh().refresh, port: 0, bullBoard: true, schedules: true });
    const base = `http://127.0.0.1:${running.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, redis: true, worker: true, schedules: { expected: 1, registered: 1, missing: [] } });

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

  it('serves the report page at /report: 200 HTML, 404 while nothing is published, 500 without details on failure', async () => {
    let page: string | null | Error = '<!doctype html><title>report</title>';
    const server = await startHealthServer({
      port: 0,
      registry: new Registry(),
      health: async () => ({ redis: true, worker: true }),
      report: async () => {
        if (page instanceof Error) throw page;
        return page;
      },
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const ok = await fetch(`${base}/report`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await ok.text()).toBe('<!doctype html><title>report</title>');
      page = null;
      const none = await fetch(`${base}/report`);
      expect(none.status).toBe(404);
      expect(await none.text()).toContain('no forecast is published yet');
      page = new Error('secret path /srv/db.duckdb');
      const failed = await fetch(`${base}/report`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).not.toContain('secret');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
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

  it('listens on loopback only unless told otherwise', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    const server = await startHealthServer({ port: 0, registry: new Registry(), health: async () => ({ redis: true, worker: true }) });
    try {
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      // Without a network interface there is nothing to be exposed on; with one, nothing answers there.
      if (external) await expect(fetch(`http://${external.address}:${server.port}/healthz`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('refuses to serve Bull Board off loopback without a token, naming the variable', async () => {
    const config = testConfig(['alpha']);
    await expect(pool.start(config, { refresh: stubRefresh().refresh, port: 0, host: '0.0.0.0', bullBoard: true })).rejects.toThrow(ConfigError);
    await expect(pool.start(config, { refresh: stubRefresh().refresh, port: 0, host: '0.0.0.0', bullBoard: true })).rejects.toThrow(/FUNNELCAST_BULL_BOARD_TOKEN/);
  });

  it('serves Bull Board only with its token (bearer or basic auth), and never a stack trace', async () => {
    const config = testConfig(['alpha']);
    const token = 'board-token-0123456789';
    const { refresh } = stubRefresh(() => {
      throw new InputError([{ where: 'leads', message: 'no history' }]);
    });
    const running = await pool.start(config, { refresh, port: 0, host: '0.0.0.0', bullBoard: true, bullBoardToken: token });
    const base = `http://127.0.0.1:${running.port}`;
    const failed = nextJobEvent(running.worker, 'failed');
    const { jobId } = await enqueueRefresh(running.queue, config, { asOf: '2025-06-02' });
    await failed;

    const board = `${base}/queues/api/queues/${encodeURIComponent(config.queue.name)}/${encodeURIComponent(jobId)}`;
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${token}x`, `Basic ${Buffer.from('admin:nope').toString('base64')}`, token]) {
      const response = await fetch(board, authorization ? { headers: { authorization } } : {});
      expect(response.status, authorization ?? 'no header').toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    }
    for (const authorization of [`Bearer ${token}`, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`]) {
      const response = await fetch(board, { headers: { authorization } });
      expect(response.status, authorization).toBe(200);
      const body = await response.text();
      expect(body).toContain('no history');
      // The failure's reason, but no stack frame (`file.js:line:column`).
      expect(body).not.toMatch(/\.[jt]s:\d+:\d+/);
    }
    // Health and metrics stay open to probes.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });
});
