/**
 * The chaos suite: what an operator's bad day does to funnelcast, in bounded loops — refreshes SIGKILLed at random
 * moments, workers SIGKILLed mid-job, Redis restarted empty and frozen, duplicate and racing enqueues, a CLI refresh
 * racing the worker. After every fault it checks the production rules on the DuckDB file: nothing half-published,
 * production the newest as-of, every job published exactly once, and no run left `running`.
 *
 * `FUNNELCAST_CHAOS_ROUNDS` (default 1) multiplies the loops; `FUNNELCAST_CHAOS_REPORT=<file>` writes what was tried
 * and survived as JSON (`npm run chaos` in this folder writes bench/results/chaos.json for the README).
 */
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type FunnelcastConfig } from '@funnelcast/core';
import { createRedisConnection, createRefreshQueue, listSchedules } from '@funnelcast/worker';
import { obliterateQueue, startWorkerProcess, type WorkerProcess } from '@funnelcast/worker/testing';
import { cliPath, repoRoot, runCli, tempDir } from './support/cli.js';
import { startControlledRedis, type ControlledRedis } from './support/redis-control.js';
import { productionProblems, readWarehouseState, type WarehouseState } from './support/warehouse-state.js';

const ROUNDS = Math.max(1, Number(process.env.FUNNELCAST_CHAOS_ROUNDS ?? 1));
const TIMEOUT_MS = 180_000 * ROUNDS;
/** The demo's forecast is as of DEMO_AS_OF; the refreshes below go back (backfills) and one day forward. */
const DEMO_AS_OF = '2025-06-01';
const NEWEST_AS_OF = '2025-06-02';
const BACKFILLS = ['2025-05-04', '2025-05-11', '2025-05-18', '2025-05-25'];
/** Run leases and BullMQ locks short enough that a killed process is noticed within seconds. */
const LEASE_SECONDS = 1;
const FAST_WORKER_ENV = {
  FUNNELCAST_WORKER_PORT: '0',
  FUNNELCAST_WORKER_LOCK_DURATION_MS: '1500',
  FUNNELCAST_WORKER_STALLED_INTERVAL_MS: '500',
  FUNNELCAST_TARGET_LOCK_TTL_MS: '1500',
  FUNNELCAST_SHUTDOWN_TIMEOUT_MS: '5000',
};

/** Faults tried and survived, by kind, for the report. */
const tally: Record<string, { tried: number; survived: number }> = {};
function tried(kind: string): void {
  (tally[kind] ??= { tried: 0, survived: 0 }).tried += 1;
}
function survived(kind: string): void {
  tally[kind]!.survived += 1;
}

let redis: ControlledRedis;
let dir: { path: string; cleanup: () => Promise<void> };
const workers: WorkerProcess[] = [];
const configs: FunnelcastConfig[] = [];

beforeAll(async () => {
  redis = await startControlledRedis();
  dir = await tempDir('funnelcast-chaos-');
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop('SIGKILL')));
  for (const config of configs.splice(0)) await obliterateQueue(config, redis.url).catch(() => undefined);
});
afterAll(async () => {
  await redis?.stop();
  await dir?.cleanup();
  const report = process.env.FUNNELCAST_CHAOS_REPORT;
  if (report) {
    const path = resolve(repoRoot, report);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ rounds: ROUNDS, faults: tally }, null, 2)}\n`);
  }
});

interface Scene {
  readonly db: string;
  readonly configPath: string;
  readonly config: FunnelcastConfig;
}

/** A DuckDB file with the demo's leads and forecast, and a config with a short run lease and a queue of its own. */
async function scene(name: string, extra: Record<string, unknown> = {}): Promise<Scene> {
  const db = join(dir.path, `${name}.duckdb`);
  const demo = await runCli(['demo', '--db', db, '--as-of', DEMO_AS_OF, '--json']);
  expect(demo.code, demo.stderr).toBe(0);
  const raw = { targets: { local: { type: 'duckdb', path: db } }, runLeaseSeconds: LEASE_SECONDS, queue: { name: `chaos-${name}-${randomUUID()}`, prefix: 'fcchaos' }, ...extra };
  const configPath = join(dir.path, `${name}.config.json`);
  await writeFile(configPath, JSON.stringify(raw));
  const config = parseConfig(raw);
  configs.push(config);
  return { db, configPath, config };
}

async function expectProductionRules(db: string, after: string): Promise<WarehouseState> {
  const state = await readWarehouseState(db);
  expect(productionProblems(state), `after ${after}`).toEqual([]);
  return state;
}

/**
 * Once the leases have expired, `runs` (or `queue status`) stores the runs left `running` by killed processes as
 * abandoned; then none may be `running`, and `queue status` names exactly those it stored.
 */
async function expectNoRunLeftRunning(scene: Scene, via: 'runs' | 'queue status' = 'runs'): Promise<WarehouseState> {
  await sleep(LEASE_SECONDS * 1000 + 500);
  const before = (await readWarehouseState(scene.db)).runs.filter((r) => r.status === 'running').map((r) => r.run_id);
  if (via === 'runs') {
    const listed = await runCli(['runs', '--config', scene.configPath, '--limit', '1000', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
  } else {
    expect(before.length, 'a killed refresh left its run running').toBeGreaterThan(0);
    const status = await runCli(['queue', 'status', '--config', scene.configPath, '--json'], { env: { REDIS_URL: redis.url } });
    expect(status.code, status.stderr).toBe(0);
    const { abandoned_runs: abandonedRuns } = JSON.parse(status.stdout) as { abandoned_runs: { target: string; run_ids: string[]; error: string | null }[] };
    expect(abandonedRuns).toEqual([{ target: 'local', run_ids: expect.arrayContaining(before) as string[], error: null }]);
    expect(abandonedRuns[0]!.run_ids).toHaveLength(before.length);
  }
  const state = await readWarehouseState(scene.db);
  expect(state.runs.filter((r) => r.status === 'running')).toEqual([]);
  expect(state.runs.filter((r) => before.includes(r.run_id)).every((r) => r.status === 'abandoned')).toBe(true);
  return state;
}

function startWorker(scene: Scene): WorkerProcess {
  const worker = startWorkerProcess(['--config', scene.configPath], { REDIS_URL: redis.url, ...FAST_WORKER_ENV });
  workers.push(worker);
  return worker;
}

async function enqueue(scene: Scene, asOf: string, horizon = 365): Promise<string> {
  const result = await runCli(['enqueue', '--config', scene.configPath, '--as-of', asOf, '--horizon', String(horizon), '--json'], { env: { REDIS_URL: redis.url } });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { job_id: string }).job_id;
}

/** Resolves once every job has finished; rejects naming the ones still unfinished after `timeoutMs`. */
async function jobsFinished(scene: Scene, jobIds: readonly string[], timeoutMs = 120_000): Promise<Record<string, string>> {
  const connection = createRedisConnection(redis.url, { blocking: false });
  connection.on('error', () => undefined);
  const queue = createRefreshQueue(scene.config, connection);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = Object.fromEntries(await Promise.all(jobIds.map(async (id) => [id, (await (await queue.getJob(id))?.getState()) ?? 'missing'] as const)));
      if (Object.values(states).every((s) => s === 'completed' || s === 'failed')) return states;
      if (Date.now() > deadline) throw new Error(`jobs unfinished after ${timeoutMs} ms: ${JSON.stringify(states)}`);
      await sleep(250);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** The worker that logged `refresh started` for the job, once one has. */
async function workerRunning(jobId: string, timeoutMs = 60_000): Promise<WorkerProcess> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null && w.logs.some((l) => l.jobId === jobId && l.msg === 'refresh started'));
    if (running) return running;
    if (Date.now() > deadline) throw new Error(`no worker started job ${jobId} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function publishedFor(state: WarehouseState, jobId: string) {
  return state.runs.filter((r) => r.request_id === jobId && r.status === 'published');
}

describe('chaos', () => {
  it('refresh SIGKILLed at random moments: nothing half-published, production stays the newest as-of, no run left running', async () => {
    const s = await scene('refresh-kills');
    const started = Date.now();
    const full = await runCli(['refresh', '--config', s.configPath, '--as-of', BACKFILLS[0]!]);
    expect(full.code, full.stderr).toBe(0);
    const fullMs = Date.now() - started;
    await expectProductionRules(s.db, 'a backfill');

    for (let i = 0; i < 6 * ROUNDS; i++) {
      const asOf = i % 3 === 2 ? NEWEST_AS_OF : BACKFILLS[randomInt(BACKFILLS.length)]!;
      const child = spawn(process.execPath, [cliPath, 'refresh', '--config', s.configPath, '--as-of', asOf], { stdio: 'ignore' });
      const exited = once(child, 'exit');
      const delay = randomInt(Math.max(1, Math.round(fullMs * 1.1)));
      await sleep(delay);
      tried('refresh SIGKILL');
      child.kill('SIGKILL');
      await exited;
      await expectProductionRules(s.db, `refresh --as-of ${asOf} killed after ${delay} ms`);
      survived('refresh SIGKILL');
    }

    const last = await runCli(['refresh', '--config', s.configPath, '--as-of', NEWEST_AS_OF]);
    expect(last.code, last.stderr).toBe(0);
    // One more killed well after it recorded its run, for `queue status` to find.
    const child = spawn(process.execPath, [cliPath, 'refresh', '--config', s.configPath, '--as-of', BACKFILLS[0]!], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    await sleep(Math.round(fullMs * 0.6));
    child.kill('SIGKILL');
    await exited;
    const state = await expectNoRunLeftRunning(s, 'queue status');
    expect(productionProblems(state)).toEqual([]);
    expect(state.runs.find((r) => r.run_id === Object.keys(state.forecastRows)[0])?.as_of).toBe(NEWEST_AS_OF);
  }, TIMEOUT_MS);

  it('workers SIGKILLed mid-job: every job is published exactly once, by another worker', async () => {
    const s = await scene('worker-kills');
    startWorker(s);
    const jobIds: string[] = [];
    for (let i = 0; i < 3 * ROUNDS; i++) {
      const asOf = BACKFILLS[i % BACKFILLS.length]!;
      const jobId = await enqueue(s, asOf, 300 + i);
      jobIds.push(jobId);
      // A fresh worker beside the busy one, so the killed job has somewhere to go.
      startWorker(s);
      const busy = await workerRunning(jobId);
      await sleep(randomInt(1500));
      tried('worker SIGKILL mid-job');
      await busy.stop('SIGKILL');
      const states = await jobsFinished(s, [jobId]);
      expect(states[jobId]).toBe('completed');
      await expectProductionRules(s.db, `worker killed during ${jobId}`);
      survived('worker SIGKILL mid-job');
    }

    const state = await expectNoRunLeftRunning(s);
    for (const jobId of jobIds) expect(publishedFor(state, jobId), jobId).toHaveLength(1);
    expect(productionProblems(state)).toEqual([]);
  }, TIMEOUT_MS);

  it('Redis restarted empty: the worker registers its schedule again and /healthz says so meanwhile', async () => {
    const s = await scene('redis-restart');
    const worker = startWorker(s);
    const { port } = (await worker.waitForLog((l) => l.msg === 'worker started')) as { port: number };
    const connection = createRedisConnection(redis.url, { blocking: false });
    connection.on('error', () => undefined);
    const queue = createRefreshQueue(s.config, connection);
    try {
      expect(await listSchedules(queue)).toHaveLength(1);
      for (let i = 0; i < 2 * ROUNDS; i++) {
        tried('Redis restarted empty');
        await redis.restartEmpty();
        const deadline = Date.now() + 30_000;
        let healthy = false;
        while (!healthy && Date.now() < deadline) {
          await sleep(250);
          const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
          healthy = health === 200 && (await listSchedules(queue).catch(() => [])).length === 1;
        }
        expect(healthy, 'schedule registered again and /healthz 200 within 30 s').toBe(true);
        survived('Redis restarted empty');
      }
    } finally {
      await queue.close();
      connection.disconnect();
    }
    expect(await worker.stop('SIGTERM')).toBe(0);
  }, TIMEOUT_MS);

  it('Redis frozen mid-job: the job is published once and the worker goes on', async () => {
    const s = await scene('redis-freeze');
    startWorker(s);
    const jobIds: string[] = [];
    for (let i = 0; i < 2 * ROUNDS; i++) {
      const jobId = await enqueue(s, BACKFILLS[i % BACKFILLS.length]!, 200 + i);
      jobIds.push(jobId);
      await workerRunning(jobId);
      tried('Redis frozen 4 s mid-job');
      redis.freeze();
      // Longer than the job lock and the target lock, as the campaign's 10-second freeze with production locks.
      await sleep(4_000);
      redis.thaw();
      expect((await jobsFinished(s, [jobId]))[jobId]).toBe('completed');
      await expectProductionRules(s.db, `a freeze during ${jobId}`);
      survived('Redis frozen 4 s mid-job');
    }
    const state = await expectNoRunLeftRunning(s);
    for (const jobId of jobIds) expect(publishedFor(state, jobId), jobId).toHaveLength(1);
  }, TIMEOUT_MS);

  it('duplicate enqueues queue one job; a CLI refresh racing the worker leaves the newest as-of in production', async () => {
    const s = await scene('races');
    for (let i = 0; i < ROUNDS; i++) {
      const asOf = BACKFILLS[i % BACKFILLS.length]!;
      tried('5 racing enqueues of one refresh');
      // A horizon of the round's own, so no earlier round's finished job stands in for this one.
      const results = await Promise.all(
        Array.from({ length: 5 }, () => runCli(['enqueue', '--config', s.configPath, '--as-of', asOf, '--horizon', String(90 + i), '--json'], { env: { REDIS_URL: redis.url } })),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const parsed = results.map((r) => JSON.parse(r.stdout) as { job_id: string; status: string });
      expect(new Set(parsed.map((p) => p.job_id)).size).toBe(1);
      expect(parsed.filter((p) => p.status === 'added')).toHaveLength(1);
      survived('5 racing enqueues of one refresh');

      tried('CLI refresh racing the worker');
      startWorker(s);
      const [cli] = await Promise.all([runCli(['refresh', '--config', s.configPath, '--as-of', NEWEST_AS_OF]), jobsFinished(s, [parsed[0]!.job_id])]);
      // The CLI either refreshed or found the database in use (exit 3, nothing published); never anything else.
      expect([0, 3], cli.stderr).toContain(cli.code);
      const state = await expectProductionRules(s.db, 'a CLI refresh racing the worker');
      expect(publishedFor(state, parsed[0]!.job_id)).toHaveLength(1);
      survived('CLI refresh racing the worker');
      await Promise.all(workers.splice(0).map((w) => w.stop('SIGTERM')));
    }
    await expectNoRunLeftRunning(s);
  }, TIMEOUT_MS);
});
