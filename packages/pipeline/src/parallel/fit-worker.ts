// A fit pool's worker thread: forecasts with the embedded models by name, one task at a time.
import { parentPort } from 'node:worker_threads';
import type { Forecaster } from '@funnelcast/core';
import { createForecaster } from '@funnelcast/models';
import type { FitReply, FitTask } from './fit-protocol.js';

/** Progress is posted at most this often: a thousand series would otherwise be a thousand messages per fit. */
const PROGRESS_EVERY_MS = 100;

const port = parentPort!;
const forecasters = new Map<string, Forecaster>();
const reply = (message: FitReply) => port.postMessage(message);

port.on('message', async (task: FitTask) => {
  const flag = new Int32Array(task.abort);
  let lastProgress = 0;
  try {
    let forecaster = forecasters.get(task.model);
    if (!forecaster) forecasters.set(task.model, (forecaster = createForecaster(task.model)));
    const forecast = await forecaster.forecast({
      asOf: task.asOf,
      horizon: task.horizon,
      series: task.series,
      signal: { get aborted() { return Atomics.load(flag, 0) === 1; } },
      onProgress: (done, total) => {
        const now = performance.now();
        if (done < total && now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        reply({ id: task.id, kind: 'progress', done, total });
      },
    });
    reply({ id: task.id, kind: 'done', forecast });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    reply({ id: task.id, kind: 'failed', name: failure.name, message: failure.message });
  }
});
