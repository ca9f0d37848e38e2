import { Worker } from 'node:worker_threads';
import type { Forecaster, ForecastRequest, PredictiveSeries, Problem } from '@funnelcast/core';
import type { FitReply, FitTask } from './fit-protocol.js';

/**
 * Worker threads that fit the embedded models, so a refresh's many independent fits (each candidate at each
 * selection origin) use every core. A fit is a pure function of its model name and series, and structured cloning
 * copies numbers exactly, so a forecast from the pool is the forecast the model gives in-process.
 */
export interface FitPool {
  /** The embedded model, fitted on the pool's threads (by name: each thread creates its own). */
  forecaster(model: Forecaster): Forecaster;
  /** Stops the threads; fits still running fail. */
  close(): Promise<void>;
}

interface Pending {
  readonly task: FitTask;
  readonly request: ForecastRequest;
  readonly resolve: (forecast: PredictiveSeries[]) => void;
  readonly reject: (error: Error) => void;
}

/** More fitting threads than any machine here has cores only cost memory. */
const MAX_THREADS = 64;

/** What is wrong with a number of fitting threads a user asked for, if anything. */
export function threadsProblem(threads: number): Problem | null {
  return Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS
    ? null
    : { where: 'threads', message: `${threads} is out of range: a whole number of threads from 1 to ${MAX_THREADS}` };
}

/** A request of an independent-series model is split only into parts of at least this many series. */
const MIN_PART_SERIES = 32;

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
  const running = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  // A request's signal is any object with `aborted` (not always an AbortSignal to listen to): while fits run, their
  // signals are polled and an abort is passed on through the task's shared flag.
  let polling: NodeJS.Timeout | undefined;
  const pollAborts = () => {
    for (const pending of running.values()) {
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
      running.set(pending.task.id, pending);
      worker.postMessage(pending.task);
    }
    if (running.size > 0 && polling === undefined) polling = setInterval(pollAborts, ABORT_POLL_MS).unref();
  };

  const failAll = (error: Error) => {
    for (const pending of running.values()) pending.reject(error);
    running.clear();
    for (const pending of queue.splice(0)) pending.reject(error);
  };

  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(workerUrl);
    worker.on('message', (reply: FitReply) => {
      const pending = running.get(reply.id);
      if (!pending) return;
      if (reply.kind === 'progress') {
        pending.request.onProgress?.(reply.done, reply.total);
        return;
      }
      running.delete(reply.id);
      idle.push(worker);
      if (reply.kind === 'done') pending.resolve(reply.forecast);
      else pending.reject(Object.assign(new Error(reply.message), { name: reply.name }));
      dispatch();
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => {
      if (!closed) failAll(new Error(`a model-fitting thread stopped (exit code ${code})`));
    });
    idle.push(worker);
    return worker;
  });

  const fit = (model: string, request: ForecastRequest): Promise<PredictiveSeries[]> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the model-fitting threads are closed'));
      const abort = new SharedArrayBuffer(4);
      const task: FitTask = { id: nextId++, model, asOf: request.asOf, horizon: request.horizon, series: request.series, abort };
      queue.push({ task, request, resolve, reject });
      dispatch();
    });

  // A model whose series are independent has a large request split into a part per thread, so the last fit of a
  // stage (the winner at the as-of date, say) does not leave the other threads idle. The parts' forecasts, in order,
  // are the whole request's.
  const forecast = async (forecaster: Forecaster, request: ForecastRequest): Promise<PredictiveSeries[]> => {
    const total = request.series.length;
    const count = forecaster.independentSeries ? Math.min(workers.length, Math.floor(total / MIN_PART_SERIES)) : 1;
    // Duplicate keys are left whole, for the model to refuse with its own message.
    if (count < 2 || new Set(request.series.map((s) => s.key)).size < total) return fit(forecaster.name, request);
    const size = Math.ceil(total / count);
    const parts = Array.from({ length: count }, (_, i) => request.series.slice(i * size, (i + 1) * size));
    const done = parts.map(() => 0);
    const forecasts = await Promise.all(
      parts.map((series, i) =>
        fit(forecaster.name, {
          ...request,
          series,
          onProgress: (partDone) => {
            done[i] = partDone;
            request.onProgress?.(done.reduce((a, b) => a + b, 0), total);
          },
        }),
      ),
    );
    return forecasts.flat();
  };

  return {
    forecaster: (model) => ({ ...model, forecast: (request) => forecast(model, request) }),
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
