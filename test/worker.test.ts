import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type FunnelcastConfig } from '@funnelcast/core';
import { createRedisConnection, createRefreshQueueEvents, refreshJobId } from '@funnelcast/worker';
import { runCli, runCliJson, tempDir } from './support/cli.js';
import { startControlledRedis } from './support/redis-control.js';
import { obliterateQueue, startRedis, startWorkerProcess, workerPath, type TestRedis, type WorkerProcess } from '@funnelcast/worker/testing';

/** The demo data's published forecast: history before 2025-06-01. */
const OLD_AS_OF = '2025-06-01';
// The demo's leads end the day before OLD_AS_OF (a Sunday). A later as-of must not be far past them, or the refresh
// rightly reads the silence as stale data and forecasts from OLD_AS_OF instead: the Monday after a quiet Sunday.
const NEW_AS_OF = '2025-06-02';

interface RunRow {
  run_id: string;
  as_of: string;
  status: string;
  row_count: number | null;
  owner: string | null;
  request_id: string | null;
}

let redis: TestRedis;
let dir: { path: string; cleanup: () => Promise<void> };
const workers: WorkerProcess[] = [];
const configs: FunnelcastConfig[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = await tempDir('funnelcast-worker-e2e-');
});
afterAll(async () => {
  await redis?.stop();
  await dir?.cleanup();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  for (const config of configs.splice(0)) await obliterateQueue(config, redis.url);
});

/**
 * The Redis URL the worker processes get, with a password they must never print: the URL's own, or else one the
 * password-less test server accepts with a warning.
 */
function withSecret(url: string): { url: string; secret: string } {
  const parsed = new URL(url);
  if (!parsed.password) parsed.password = `s3cret-${randomUUID()}`;
  return { url: parsed.toString(), secret: decodeURIComponent(parsed.password) };
}

/** The job's progress phases and its completion, from the queue's event stream. */
async function watchJob(config: FunnelcastConfig, jobId: string) {
  const connection = createRedisConnection(redis.url);
  const events = createRefreshQueueEvents(config, connection);
  await events.waitUntilReady();
  const phaseSeen = (phase: string) =>
    new Promise<void>((resolve) =>
      events.on('progress', ({ jobId: id, data }) => {
        if (id === jobId && (data as { phase?: string }).phase === phase) resolve();
      }),
    );
  const completed = new Promise<{ runId: string }>((resolve) =>
    events.on('completed', (event) => {
      if (event.jobId === jobId) resolve(event.returnvalue as unknown as { runId: string });
    }),
  );
  const active = new Promise<void>((resolve) =>
    events.on('active', ({ jobId: id }) => {
      if (id === jobId) resolve();
    }),
  );
  return {
    active,
    fitting: phaseSeen('fit_mqls'),
    completed,
    close: async () => {
      await events.close();
      connection.disconnect();
    },
  };
}

/** A DuckDB file with the demo leads and their forecast as of OLD_AS_OF, and a config file with its own queue. */
async function setup(name: string): Promise<{ configPath: string; config: FunnelcastConfig; env: Record<string, string>; secret: string }> {
  const db = join(dir.path, `${name}.duckdb`);
  const demo = await runCli(['demo', '--db', db, '--as-of', OLD_AS_OF, '--json']);
  expect(demo.code, demo.stderr).toBe(0);
  const raw = { targets: { local: { type: 'duckdb', path: db } }, queue: { name: `e2e-${name}-${randomUUID()}`, prefix: 'fce2e' } };
  const configPath = join(dir.path, `${name}.config.json`);
  await writeFile(configPath, JSON.stringify(raw));
  const config = parseConfig(raw);
  configs.push(config);
  const { url, secret } = withSecret(redis.url);
  return { configPath, config, env: { REDIS_URL: url, FUNNELCAST_WORKER_PORT: '0' }, secret };
}

function worker(configPath: string, env: Record<string, string>): WorkerProcess {
  const started = startWorkerProcess(['--config', configPath], env);
  workers.push(started);
  return started;
}

/** A worker process that has logged `worker started`. */
async function startedWorker(configPath: string, env: Record<string, string>): Promise<WorkerProcess> {
  const started = worker(configPath, env);
  await started.waitForLog((l) => l.msg === 'worker started');
  return started;
}

/**
 * Starts a worker and a long (365-day) refresh of NEW_AS_OF on it; resolves once the refresh is fitting models, and
 * `meanwhile` (started as soon as the worker holds the job, e.g. a standby worker: a refresh takes a few seconds,
 * about what a worker takes to start) is done.
 */
async function workerMidRefresh<T>(
  configPath: string,
  env: Record<string, string>,
  watch: { active: Promise<void>; fitting: Promise<void> },
  meanwhile: () => Promise<T>,
): Promise<{ busy: WorkerProcess; meanwhile: T }> {
  const busy = await startedWorker(configPath, env);
  const enqueued = await runCli(['enqueue', '--config', configPath, '--as-of', NEW_AS_OF, '--horizon', '365', '--json'], { env: { REDIS_URL: redis.url } });
  expect(enqueued.code, enqueued.stderr).toBe(0);
  await watch.active;
  const [done] = await Promise.all([meanwhile(), watch.fitting]);
  return { busy, meanwhile: done };
}

async function runs(configPath: string): Promise<RunRow[]> {
  const { code, json, stderr } = await runCliJson<RunRow[]>(['runs', '--config', configPath]);
  expect(code, stderr).toBe(0);
  return json;
}

describe('funnelcast-worker end to end', () => {
  it('round trip: enqueue --wait → worker → forecast published in DuckDB; health, metrics, failures; SIGTERM exits 0', async () => {
    const { configPath, env, secret } = await setup('roundtrip');
    const w = await startedWorker(configPath, env);
    const { port } = (await w.waitForLog((l) => l.msg === 'worker started')) as { port: number };
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true, redis: true, worker: true, schedules: { expected: 1, registered: 1, missing: [] } });
    expect((await fetch(`http://127.0.0.1:${port}/queues`)).status).toBe(404);

    const enqueued = await runCli(['enqueue', '--config', configPath, '--as-of', NEW_AS_OF, '--horizon', '30', '--wait', '--json'], { env: { REDIS_URL: redis.url } });
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const result = JSON.parse(enqueued.stdout) as { job_id: string; status: string; state: string; result: { run_id: string; published: boolean; rows: number } };
    expect(result).toMatchObject({ job_id: refreshJobId('local', NEW_AS_OF, 30), status: 'added', state: 'completed', result: { published: true } });

    const published = (await runs(configPath)).find((r) => r.run_id === result.result.run_id);
    expect(published).toMatchObject({ as_of: NEW_AS_OF, status: 'published', row_count: result.result.rows });

    const again = await runCli(['enqueue', '--config', configPath, '--as-of', NEW_AS_OF, '--horizon', '30', '--json'], { env: { REDIS_URL: redis.url } });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'done', job_id: result.job_id, finished_at: expect.any(String) });
    const human = await runCli(['enqueue', '--config', configPath, '--as-of', NEW_AS_OF, '--horizon', '30'], { env: { REDIS_URL: redis.url } });
    expect(human.stdout).toContain('Already ran at');
    expect(human.stdout).toContain('--force');

    // A refresh with nothing to forecast from fails at once, not retried, and keeps its reason for `queue status`.
    const doomed = await runCli(['enqueue', '--config', configPath, '--as-of', '2000-01-03', '--wait', '--json'], { env: { REDIS_URL: redis.url } });
    expect(doomed.code, doomed.stderr).toBe(1);
    expect(doomed.stderr).toContain('no history before the as-of date 2000-01-03');

    const status = await runCli(['queue', 'status', '--config', configPath, '--json'], { env: { REDIS_URL: redis.url } });
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { counts: Record<string, number>; schedules: { id: string; next: string | null }[]; workers: number; failures: { job_id: string; attempts: number; reason: string }[] };
    expect(json.counts).toMatchObject({ completed: 1, failed: 1, active: 0 });
    expect(json.schedules).toEqual([expect.objectContaining({ id: 'refresh:local', next: expect.any(String) })]);
    expect(json.workers).toBeGreaterThanOrEqual(1);
    expect(json.failures).toEqual([expect.objectContaining({ job_id: refreshJobId('local', '2000-01-03', 90), attempts: 1, reason: expect.stringContaining('INPUT_INVALID') })]);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('funnelcast_worker_jobs_total{target="local",outcome="completed"} 1');
    expect(metrics).toContain('funnelcast_worker_jobs_total{target="local",outcome="failed"} 1');

    for (const jobId of [result.job_id, refreshJobId('local', '2000-01-03', 90)]) {
      const jobLines = w.logs.filter((l) => l.jobId === jobId);
      expect(jobLines.length).toBeGreaterThan(0);
      expect(jobLines.every((l) => l.target === 'local')).toBe(true);
    }
    expect(await w.stop('SIGTERM')).toBe(0);
    expect(w.logs.every((l) => !l.notJson)).toBe(true);
    expect(JSON.stringify(w.logs)).not.toContain(secret);
  });

  it('SIGTERM mid-refresh lets it publish and exits 0; a restart adds no second schedule; SIGINT exits 0 too', async () => {
    const { configPath, config, env } = await setup('graceful');
    const jobId = refreshJobId('local', NEW_AS_OF, 365);
    const watch = await watchJob(config, jobId);
    try {
      const { busy: first } = await workerMidRefresh(configPath, env, watch, async () => undefined);
      expect(await first.stop('SIGTERM')).toBe(0);

      const done = await watch.completed;
      const signalAt = first.logs.findIndex((l) => l.msg === 'signal received');
      const completedAt = first.logs.findIndex((l) => l.msg === 'refresh completed' && l.jobId === jobId);
      expect(signalAt).toBeGreaterThanOrEqual(0);
      expect(completedAt).toBeGreaterThan(signalAt);
      expect((await runs(configPath)).find((r) => r.run_id === done.runId)).toMatchObject({ status: 'published', as_of: NEW_AS_OF });

      const second = await startedWorker(configPath, env);
      const status = await runCli(['queue', 'status', '--config', configPath, '--json'], { env: { REDIS_URL: redis.url } });
      expect((JSON.parse(status.stdout) as { schedules: unknown[] }).schedules).toEqual([expect.objectContaining({ id: 'refresh:local', pattern: '0 6 * * *', tz: 'UTC' })]);
      expect(await second.stop('SIGINT')).toBe(0);
      expect(second.logs.find((l) => l.msg === 'signal received')).toMatchObject({ signal: 'SIGINT' });
    } finally {
      await watch.close();
    }
  });

  it('SIGKILL mid-refresh keeps the old forecast; another worker picks the stalled job and publishes it once', async () => {
    const { configPath, config, env } = await setup('sigkill');
    // Short locks so the killed worker's job is found stalled within seconds instead of the production 30 s.
    const fast = { ...env, FUNNELCAST_WORKER_LOCK_DURATION_MS: '1500', FUNNELCAST_WORKER_STALLED_INTERVAL_MS: '500', FUNNELCAST_TARGET_LOCK_TTL_MS: '1500' };
    const before = await runs(configPath);
    const oldRun = before.find((r) => r.as_of === OLD_AS_OF && r.status === 'published');
    expect(oldRun).toBeDefined();

    const jobId = refreshJobId('local', NEW_AS_OF, 365);
    const watch = await watchJob(config, jobId);
    try {
      const { busy: first, meanwhile: second } = await workerMidRefresh(configPath, fast, watch, () => startedWorker(configPath, fast));
      const firstOwner = `:${first.child.pid}`;
      const killedAt = Date.now();
      expect(await first.stop('SIGKILL')).toBeNull();

      // Recovery within the README's bound: max(lock duration + stalled interval, target lock TTL + 5 s lock retry).
      await second.waitForLog((l) => l.jobId === jobId && l.msg === 'refresh started');
      expect(Date.now() - killedAt).toBeLessThan(Math.max(1_500 + 500, 1_500 + 5_000) + 1_000);
      const newRunId = (await watch.completed).runId;
      // Read once the standby's refresh is done: while it runs it holds the DuckDB file, and `runs` would be refused.
      const final = await runs(configPath);
      // The killed refresh published nothing, and the old forecast is still published.
      expect(final.filter((r) => r.owner?.endsWith(firstOwner) && r.status === 'published')).toEqual([]);
      expect(final.find((r) => r.run_id === oldRun!.run_id)?.status).toBe('published');
      expect(final.filter((r) => r.run_id === newRunId)).toEqual([expect.objectContaining({ status: 'published', as_of: NEW_AS_OF })]);
      expect(final.filter((r) => r.request_id === jobId && r.status === 'published').map((r) => r.run_id)).toEqual([newRunId]);
      expect(second.logs.filter((l) => l.jobId === jobId && l.msg === 'refresh completed')).toHaveLength(1);
      expect(second.logs.find((l) => l.msg?.startsWith('job stalled'))).toMatchObject({ jobId, target: 'local', stalls: 1, msg: expect.stringContaining('it will run again (stall 1 of at most 2)') });
      expect(first.logs.filter((l) => l.msg === 'refresh completed')).toHaveLength(0);
      expect(await second.stop('SIGTERM')).toBe(0);
    } finally {
      await watch.close();
    }
  });
});

/** Runs the built worker until it exits or `ms` pass (then SIGTERM), with everything it printed. */
async function runWorkerFor(args: readonly string[], env: Record<string, string>, ms: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [workerPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const timer = setTimeout(() => child.kill('SIGTERM'), ms);
  const code = await exited;
  clearTimeout(timer);
  return { code, output };
}

describe('credentials never printed', () => {
  it('by the worker, enqueue or queue status: wrong password, ?password= in the URL, malformed URL', async () => {
    const password = `pw-${randomUUID()}`;
    const wrong = `wrong-${randomUUID()}`;
    const locked = await startControlledRedis(['--requirepass', password]);
    try {
      const { configPath } = await setup('secrets');
      const everything: string[] = [];
      const cli = async (args: string[], url: string) => {
        const run = await runCli([...args, '--config', configPath], { env: { REDIS_URL: url } });
        everything.push(run.stdout, run.stderr);
        return run;
      };
      const secretsOf = (url: string) => [password, wrong, url].filter((s) => url.includes(s));

      // A wrong password, in the user info and as a query parameter: the worker keeps retrying and logging.
      for (const url of [`redis://:${wrong}@127.0.0.1:${locked.port}`, `redis://127.0.0.1:${locked.port}/?password=${wrong}`]) {
        const run = await runWorkerFor(['--config', configPath], { REDIS_URL: url, FUNNELCAST_WORKER_PORT: '0' }, 2_500);
        expect(run.output).toContain('WRONGPASS');
        everything.push(run.output);
        for (const args of [['enqueue', '--as-of', NEW_AS_OF], ['enqueue', '--as-of', NEW_AS_OF, '--json'], ['queue', 'status'], ['queue', 'status', '--json']]) {
          expect((await cli(args, url)).code).toBe(3);
        }
        for (const text of everything) for (const secret of secretsOf(url)) expect(text).not.toContain(secret);
      }

      // The right password as a query parameter: the worker starts and logs its Redis; the CLI prints it.
      const good = `redis://127.0.0.1:${locked.port}/?password=${password}`;
      const started = await runWorkerFor(['--config', configPath], { REDIS_URL: good, FUNNELCAST_WORKER_PORT: '0' }, 4_000);
      expect(started.output).toContain('worker started');
      everything.push(started.output);
      expect((await cli(['enqueue', '--as-of', NEW_AS_OF], good)).stdout).toContain('Queued');
      expect((await cli(['queue', 'status'], good)).stdout).toContain('password=***');
      expect((await cli(['queue', 'status', '--json'], good)).code).toBe(0);

      // A malformed URL: refused at start, without quoting it.
      const malformed = `redis://:${password}@127.0.0.1:notaport`;
      const refused = await runWorkerFor(['--config', configPath], { REDIS_URL: malformed, FUNNELCAST_WORKER_PORT: '0' }, 10_000);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('REDIS_URL');
      everything.push(refused.output);
      for (const args of [['enqueue'], ['queue', 'status', '--json']]) expect((await cli(args, malformed)).code).toBe(2);

      const all = everything.join('\n');
      expect(all).not.toContain(password);
      expect(all).not.toContain(wrong);
    } finally {
      await locked.stop();
    }
  });
});

describe('queue commands', () => {
  it('refuse --db, pointing at --target and the target\'s path', async () => {
    for (const args of [['enqueue', '--db', './elsewhere.duckdb', '--as-of', '2026-11-05'], ['queue', 'status', '--db', './elsewhere.duckdb']]) {
      const run = await runCli(args, { env: { REDIS_URL: redis.url } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('does not take --db');
      expect(run.stderr).toContain('--target');
    }
  });
});

describe('shutdown', () => {
  it('stops within the shutdown timeout on SIGTERM when its Redis is gone', async () => {
    const own = await startControlledRedis();
    try {
      const { configPath } = await setup('redis-gone');
      const w = await startedWorker(configPath, { REDIS_URL: `redis://127.0.0.1:${own.port}`, FUNNELCAST_WORKER_PORT: '0', FUNNELCAST_SHUTDOWN_TIMEOUT_MS: '3000' });
      await own.stop();
      await w.waitForLog((l) => l.msg === 'queue error' || l.msg === 'worker error');
      const signalled = Date.now();
      expect(await w.stop('SIGTERM')).toBe(0);
      // Within the timeout plus slack for a busy machine; the old shutdown waited twice the timeout.
      expect(Date.now() - signalled).toBeLessThan(3_000 + 2_500);
      expect(w.logs.at(-1)).toMatchObject({ msg: 'worker stopped' });
    } finally {
      await own.stop();
    }
  });
});
