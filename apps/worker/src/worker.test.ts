import { Worker } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransientError, InputError } from '@funnelcast/core';
import { createRedisConnection } from './connection.js';
import { createLogger } from './logger.js';
import { REFRESH_JOB_NAME, createRefreshQueue, enqueueRefresh, refreshJobId } from './queue.js';
import { gate, nextJobEvent, stubRefresh, testConfig, testRedisUrl, workerPool, type StubCall } from './testing/fixtures.js';

const pool = workerPool();
const startWorker = pool.start;
afterEach(() => pool.closeAll());

describe('refresh worker on a real Redis', () => {
  it('runs a duplicate enqueue once and says so', async () => {
    const config = testConfig();
    const { refresh, calls } = stubRefresh();
    const { worker, queue } = await startWorker(config, { refresh });
    const done = nextJobEvent(worker, 'completed');
    const first = await enqueueRefresh(queue, config, { asOf: '2025-06-02' });
    const second = await enqueueRefresh(queue, config, { asOf: '2025-06-02' });
    expect(first).toMatchObject({ status: 'added', jobId: 'refresh:local:2025-06-02_h90' });
    expect(second).toMatchObject({ status: 'duplicate', jobId: first.jobId });
    const job = await done;
    expect(job.returnvalue).toMatchObject({ runId: 'stub_2025-06-02', asOf: '2025-06-02' });
    expect(await enqueueRefresh(queue, config, { asOf: '2025-06-02' })).toMatchObject({ status: 'done', jobId: first.jobId, finishedAt: new Date(job.finishedOn!).toISOString() });
    expect(await queue.getJobCounts('wait', 'active', 'delayed')).toEqual({ wait: 0, active: 0, delayed: 0 });
    expect(calls).toHaveLength(1);
  });

  it('tells racing enqueues of one refresh that exactly one of them added it', async () => {
    const config = testConfig();
    const connection = createRedisConnection(testRedisUrl(), { blocking: false });
    const queue = createRefreshQueue(config, connection);
    try {
      for (let round = 0; round < 5; round++) {
        const asOf = `2025-06-0${round + 1}`;
        const results = await Promise.all(Array.from({ length: 8 }, () => enqueueRefresh(queue, config, { asOf })));
        expect(new Set(results.map((r) => r.jobId)).size).toBe(1);
        expect(results.filter((r) => r.status === 'added')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(7);
      }
      expect(await queue.getJobCounts('wait')).toEqual({ wait: 5 });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });

  it('tells a refresh of another horizon apart, and runs one that already ran again when forced', async () => {
    const config = testConfig();
    const { refresh, calls } = stubRefresh();
    const { worker, queue } = await startWorker(config, { refresh, concurrency: 1 });
    const first = nextJobEvent(worker, 'completed');
    const h90 = await enqueueRefresh(queue, config, { asOf: '2025-06-02' });
    await first;
    const h30 = await enqueueRefresh(queue, config, { asOf: '2025-06-02', horizon: 30 });
    expect(h30).toMatchObject({ status: 'added', jobId: 'refresh:local:2025-06-02_h30', data: { horizon: 30 } });
    expect(h90).toMatchObject({ jobId: 'refresh:local:2025-06-02_h90', data: { horizon: 90 } });
    await nextJobEvent(worker, 'completed', (job) => job.id === h30.jobId);

    // After a re-import the same day's refresh must be able to run again: --force.
    const forced = await enqueueRefresh(queue, config, { asOf: '2025-06-02', force: true });
    expect(forced.status).toBe('added');
    expect(forced.jobId).toMatch(/^refresh:local:2025-06-02_h90_f[0-9a-z]+$/);
    await nextJobEvent(worker, 'completed', (job) => job.id === forced.jobId);
    const again = await enqueueRefresh(queue, config, { asOf: '2025-06-02', force: true });
    expect(again.jobId).not.toBe(forced.jobId);
    await nextJobEvent(worker, 'completed', (job) => job.id === again.jobId);
    expect(calls.map((c) => c.options.horizon)).toEqual([90, 30, 90, 90]);
  });

  it('runs a dry run beside the real refresh of the same day instead of deduplicating it', async () => {
    const config = testConfig();
    const { refresh, calls } = stubRefresh();
    const { worker, queue } = await startWorker(config, { refresh, concurrency: 1 });
    const both = new Promise<void>((resolve) => {
      let completed = 0;
      worker.on('completed', () => ++completed === 2 && resolve());
    });
    const real = await enqueueRefresh(queue, config, { asOf: '2025-06-02' });
    const dry = await enqueueRefresh(queue, config, { asOf: '2025-06-02', dryRun: true });
    expect(dry).toMatchObject({ status: 'added', jobId: refreshJobId('local', '2025-06-02', 90, true) });
    expect(dry.jobId).not.toBe(real.jobId);
    await both;
    expect(calls.map((c) => c.options.dryRun).sort()).toEqual([false, true]);
  });

  it('resolves the as-of date at enqueue time: today in UTC', async () => {
    const config = testConfig();
    const { refresh } = stubRefresh();
    const { queue } = await startWorker(config, { refresh });
    const result = await enqueueRefresh(queue, config, {}, new Date('2025-03-04T23:59:00Z'));
    expect(result.jobId).toBe(refreshJobId('local', '2025-03-04', 90));
  });

  it('retries a transient fault, then succeeds; every attempt is the same request, so it publishes once', async () => {
    const config = testConfig();
    const { refresh, calls } = stubRefresh((_call, index) => {
      if (index === 0) throw new TransientError('warehouse timed out');
    });
    const { worker, queue } = await startWorker(config, { refresh });
    const done = nextJobEvent(worker, 'completed');
    await queue.add(REFRESH_JOB_NAME, { target: 'local', asOf: '2025-06-02' }, { jobId: refreshJobId('local', '2025-06-02', 90), attempts: 3, backoff: { type: 'fixed', delay: 20 } });
    const job = await done;
    expect(calls).toHaveLength(2);
    expect(calls.map((call) => call.options.requestId)).toEqual([job.id, job.id]);
    expect(job.attemptsMade).toBe(2);
    expect(await job.getState()).toBe('completed');
  });

  it('fails bad job data at once, without retry, keeping the reason', async () => {
    const config = testConfig(['local']);
    const { refresh, calls } = stubRefresh();
    const { worker, queue } = await startWorker(config, { refresh });
    const failed = nextJobEvent(worker, 'failed');
    await queue.add(REFRESH_JOB_NAME, { target: 'elsewhere', horizon: 0 } as never, { jobId: 'bad-data', attempts: 5 });
    const job = await failed;
    expect(job.attemptsMade).toBe(1);
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toContain('job.data.target: names no configured target');
    expect(job.failedReason).toContain('job.data.horizon');
    expect(calls).toHaveLength(0);
  });

  it('fails a job naming an inherited property as target at once, as an unknown target, never a TypeError', async () => {
    const config = testConfig(['local']);
    const { refresh, calls } = stubRefresh();
    const { worker, queue } = await startWorker(config, { refresh, concurrency: 3 });
    const names = ['constructor', '__proto__', 'toString'];
    const failed = names.map((name) => nextJobEvent(worker, 'failed', (job) => job.id === `bad-${name}`));
    // JSON keeps `__proto__` as an own key, as a job sent by any client would.
    for (const name of names) await queue.add(REFRESH_JOB_NAME, JSON.parse(`{"target":"${name}"}`) as never, { jobId: `bad-${name}`, attempts: 5 });
    for (const job of await Promise.all(failed)) {
      expect(job.attemptsMade, job.id).toBe(1);
      expect(job.failedReason).toContain('job.data.target: names no configured target');
    }
    expect(calls).toHaveLength(0);
    await expect(enqueueRefresh(queue, config, { target: 'constructor' })).rejects.toThrow('names no configured target');
  });

  it('fails a refresh that rejects its input without retrying it', async () => {
    const config = testConfig();
    const { refresh, calls } = stubRefresh(() => {
      throw new InputError([{ where: 'leads row 3', message: 'sql_date before mql_date' }]);
    });
    const { worker, queue } = await startWorker(config, { refresh });
    const failed = nextJobEvent(worker, 'failed');
    await enqueueRefresh(queue, config, { asOf: '2025-06-02' });
    const job = await failed;
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('INPUT_INVALID');
    expect(job.failedReason).toContain('sql_date before mql_date');
    expect(calls).toHaveLength(1);
  });

  it('never refreshes one target in two workers at once, while different targets overlap', async () => {
    const config = testConfig(['alpha', 'beta']);
    const betaStarted = gate();
    const { refresh, calls } = stubRefresh(async (call) => {
      if (call.target === 'beta') betaStarted.open();
      // The first alpha refresh holds until a beta one runs: the test only ends if different targets overlap.
      if (call.target === 'alpha') await betaStarted.promise;
      await new Promise((resolve) => setTimeout(resolve, 25));
    });
    const options = { refresh, concurrency: 3, lockRetryMs: 20 };
    const one = await startWorker(config, options);
    await startWorker(config, options);
    const dates = ['2025-06-01', '2025-06-02', '2025-06-03'];
    const all = new Set([...dates.map((d) => refreshJobId('alpha', d, 90)), ...dates.map((d) => refreshJobId('beta', d, 90))]);
    const finished = new Promise<void>((resolve) => {
      const check = async () => {
        const counts = await one.queue.getJobCounts('completed');
        if (counts.completed === all.size) resolve();
      };
      for (const w of pool.started) w.worker.on('completed', () => void check());
    });
    for (const asOf of dates) {
      await enqueueRefresh(one.queue, config, { target: 'alpha', asOf });
      await enqueueRefresh(one.queue, config, { target: 'beta', asOf });
    }
    await finished;
    expect(calls).toHaveLength(6);
    const overlapping = (a: StubCall, b: StubCall) => a.started < b.ended! && b.started < a.ended!;
    for (const target of ['alpha', 'beta']) {
      const mine = calls.filter((c) => c.target === target);
      for (const [i, a] of mine.entries()) for (const b of mine.slice(i + 1)) expect(overlapping(a, b), `${target} ${a.asOf} vs ${b.asOf}`).toBe(false);
    }
    const alpha = calls.filter((c) => c.target === 'alpha');
    const beta = calls.filter((c) => c.target === 'beta');
    expect(alpha.some((a) => beta.some((b) => overlapping(a, b)))).toBe(true);
  });

  it('lets the running refresh finish on shutdown and takes no new job', async () => {
    const config = testConfig();
    const release = gate();
    const running = gate();
    const { refresh, calls } = stubRefresh(async () => {
      running.open();
      await release.promise;
    });
    const fw = await startWorker(config, { refresh });
    const completed = nextJobEvent(fw.worker, 'completed');
    await enqueueRefresh(fw.queue, config, { asOf: '2025-06-02' });
    await running.promise;
    let closed = false;
    const closing = fw.close().then(() => (closed = true));
    await enqueueRefresh(fw.queue, config, { asOf: '2025-06-03' }).catch(() => undefined);
    expect(closed).toBe(false);
    release.open();
    const job = await completed;
    await closing;
    expect(job.id).toBe(refreshJobId('local', '2025-06-02', 90));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.ended).toBeDefined();
  });

  it('stops a refresh whose target lock was lost, and runs it again once the target is free', async () => {
    const config = testConfig();
    const running = gate();
    const { refresh, calls } = stubRefresh(async (call, index) => {
      if (index > 0) return;
      running.open();
      const signal = call.options.signal!;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      throw signal.reason;
    });
    const { worker, queue } = await startWorker(config, { refresh, targetLockTtlMs: 60, lockRetryMs: 20 });
    const done = nextJobEvent(worker, 'completed');
    await queue.add(REFRESH_JOB_NAME, { target: 'local', asOf: '2025-06-02' }, { jobId: refreshJobId('local', '2025-06-02', 90), attempts: 2, backoff: { type: 'fixed', delay: 20 } });
    await running.promise;
    // The lock expired during a stall and another worker took the target for a while.
    const redis = createRedisConnection(testRedisUrl(), { blocking: false });
    try {
      await redis.set(`${config.queue.prefix}:${config.queue.name}:lock:local`, 'another-worker', 'PX', 200);
    } finally {
      await redis.quit();
    }
    const job = await done;
    expect(String(calls[0]!.options.signal!.reason)).toContain('lost the lock on target local');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.started).toBeGreaterThanOrEqual(calls[0]!.ended!);
    expect(job.attemptsMade).toBe(2);
  });

  it('aborts a refresh that outlives the shutdown timeout, before it publishes', async () => {
    const config = testConfig();
    const running = gate();
    let sawAbort = false;
    const { refresh } = stubRefresh(async (call) => {
      running.open();
      await new Promise<void>((resolve) => call.options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort = true;
      throw new Error('refresh aborted before publishing');
    });
    const fw = await startWorker(config, { refresh, shutdownTimeoutMs: 50 });
    await enqueueRefresh(fw.queue, config, { asOf: '2025-06-02' });
    await running.promise;
    await fw.close();
    expect(sawAbort).toBe(true);
  });

  it('stops waiting for a refresh that ignores the abort, within twice the shutdown timeout', async () => {
    const config = testConfig();
    const running = gate();
    const stuck = gate();
    const { refresh } = stubRefresh(async () => {
      running.open();
      await stuck.promise;
    });
    const fw = await startWorker(config, { refresh, shutdownTimeoutMs: 50 });
    await enqueueRefresh(fw.queue, config, { asOf: '2025-06-02' });
    await running.promise;
    const started = Date.now();
    await fw.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    // Left active, not completed or failed: its lock runs out and another worker takes it as a stalled job.
    const redis = createRedisConnection(testRedisUrl(), { blocking: false });
    const queue = createRefreshQueue(config, redis);
    try {
      expect(await queue.getJobState(refreshJobId('local', '2025-06-02', 90))).toBe('active');
    } finally {
      stuck.open();
      // The abandoned refresh can no longer release its target lock: its Redis connection is gone.
      await redis.del(`${config.queue.prefix}:${config.queue.name}:lock:local`);
      await queue.close();
      await redis.quit();
    }
  });
});

describe('stalled jobs', () => {
  it('says a stalled job will run again while it will, and that it fails (and why) once past the limit', async () => {
    const config = testConfig(['alpha', 'beta']);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    const busy = gate();
    const { refresh } = stubRefresh(async (call) => {
      if (call.target === 'beta') await busy.promise;
    });
    // Busy with beta (concurrency 1), the worker only watches for stalls while a bare BullMQ worker takes the alpha
    // job and never renews its lock, as a worker killed mid-refresh would.
    const fw = await startWorker(config, { refresh, logger, concurrency: 1, stalledIntervalMs: 100, lockRetryMs: 20 });
    const betaActive = nextJobEvent(fw.worker, 'active');
    await enqueueRefresh(fw.queue, config, { target: 'beta', asOf: '2025-06-02' });
    await betaActive;
    const connection = createRedisConnection(testRedisUrl());
    const thief = new Worker(config.queue.name, null, { connection, prefix: config.queue.prefix, lockDuration: 100, autorun: false });
    try {
      const { jobId } = await enqueueRefresh(fw.queue, config, { target: 'alpha', asOf: '2025-06-02' });
      for (let stall = 1; stall <= 3; stall++) {
        const stalled = new Promise<void>((resolve) => fw.worker.once('stalled', () => resolve()));
        expect((await thief.getNextJob('thief-token'))?.id).toBe(jobId);
        await stalled;
      }
      const failed = nextJobEvent(fw.worker, 'failed', (job) => job.id === jobId);
      busy.open();
      expect((await failed).failedReason).toBe('job stalled more than allowable limit');
      await vi.waitFor(() => expect(lines.filter((l) => l.jobId === jobId).map((l) => l.msg)).toHaveLength(4));
      const messages = lines.filter((l) => l.jobId === jobId).map((l) => l.msg as string);
      expect(messages[0]).toMatch(/it will run again \(stall 1 of at most 2\)/);
      expect(messages[1]).toMatch(/it will run again \(stall 2 of at most 2\)/);
      expect(messages[2]).toMatch(/3 times, more than the limit of 2: it will fail, not run again/);
      expect(messages[3]).toMatch(/^refresh failed without running again: its workers stopped/);
      expect(lines.filter((l) => l.jobId === jobId).every((l) => l.target === 'alpha')).toBe(true);
    } finally {
      await thief.close();
      connection.disconnect();
    }
  });
});
