/**
 * `@funnelcast/worker/testing`: what the worker's tests, the end-to-end tests and `bench/queue.bench.mjs` share — a
 * Redis, the built worker as a process, and the cleanup of a queue.
 */
export { freePort, launchRedisServer, startRedis, setup, type TestRedis } from './redis-server.js';
export { startWorkerProcess, workerPath, type LogLine, type WorkerProcess } from './worker-process.js';
export { obliterateQueue } from './queue-cleanup.js';
