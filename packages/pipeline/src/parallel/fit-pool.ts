import { Worker } from 'node:worker_threads';
import type { Forecaster, ForecastRequest, PredictiveSeries } from '@funnelcast/core';
import type { FitReply, FitTask } from './fit-protocol.js';

/**
 * Worker threads that fit the embedded models, so a refresh's many independent fits (each candidate at each
 * selection origin) use every core. A fit is a pure function of its model name and series, and structured cloning
 * copies numbers exactly, so a forecast from the pool is the forecast the model gives in-process.
 */
export interface FitPool {
  /** The embedded model of that name, fitted on the pool's threads. */
  forecaster(model: string): Forecaster;
  /** Stops the threads; fits still running fail. */
  close(): Promise<void>;
}

interface Pending {
  readonly task: FitTask;
  readonly request: ForecastRequest;
  readonly resolve: (forecast: PredictiveSeries[]) => void;
  readonly reject: (error: Error) => void;
}

/** How often running fits' abort signals are checked. */
const ABORT_POLL_MS = 50;

/** Where the worker script is: beside this module once built. */
const WORKER_URL = new URL('./fit-worker.js', import.meta.url);

/**
 * Starts `size` worker threads (they load the models while the caller goes on, e.g. reading history). Tasks are
 * queued and handed to whichever thread is free, in the order they were asked for.
 */
export function openFitPool(size: number, workerUrl: URL = WORKER_URL): FitPool {
  const idle: Worker[] = [];
  const queue: Pending[] = [];
  const running = new Map<number, { pending: Pending; worker: Worker }>();
  let nextId = 0;
  let closed = false;
  // A request's signal is any object with `aborted` (not always an AbortSignal to listen to): while fits run, their
  // signals are polled and an abort is passed on through the task's shared flag.
  let polling: NodeJS.Timeout | undefined;
  const pollAborts = () => {
    for (const { pending } of running.values()) {
      if (pending.request.signal?.aborted) Atomics.store(new Int32Array(pending.task.abort), 0, 1);
    }
    if (running.size === 0) {
      clearInterval(polling);
      polling = undefined;
    }
  };

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const pending = queue.shift()!;
      if (pending.request.signal?.aborted) {
        pending.reject(abortError());
        continue;
      }
      const worker = idle.pop()!;
      running.set(pending.task.id, { pending, worker });
      worker.postMessage(pending.task);
    }
    if (running.size > 0 && polling === undefined) polling = setInterval(pollAborts, ABORT_POLL_MS).unref();
  };

  const failAll = (error: Error) => {
    for (const { pending } of running.values()) pending.reject(error);
    running.clear();
    for (const pending of queue.splice(0)) pending.reject(error);
  };

  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(workerUrl);
    worker.on('message', (reply: FitReply) => {
      const entry = running.get(reply.id);
      if (!entry) return;
      if (reply.kind === 'progress') {
        entry.pending.request.onProgress?.(reply.done, reply.total);
        return;
      }
      running.delete(reply.id);
      idle.push(worker);
      if (reply.kind === 'done') entry.pending.resolve(reply.forecast);
      else entry.pending.reject(Object.assign(new Error(reply.message), { name: reply.name }));
      dispatch();
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => {
      if (!closed) failAll(new Error(`a model-fitting thread stopped (exit code ${code})`));
    });
    idle.push(worker);
    return worker;
  });

  const forecast = (model: string, request: ForecastRequest): Promise<PredictiveSeries[]> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the model-fitting threads are closed'));
      const abort = new SharedArrayBuffer(4);
      const task: FitTask = { id: nextId++, model, asOf: request.asOf, horizon: request.horizon, series: request.series, abort };
      queue.push({ task, request, resolve, reject });
      dispatch();
    });

  return {
    forecaster: (model) => ({ name: model, forecast: (request) => forecast(model, request) }),
    close: async () => {
      closed = true;
      clearInterval(polling);
      failAll(new Error('the model-fitting threads were closed'));
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

function abortError(): Error {
  return Object.assign(new Error('forecast aborted before it started'), { name: 'AbortError' });
}
