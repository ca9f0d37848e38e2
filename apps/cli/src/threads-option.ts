import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';

/**
 * A fitting thread per core but one, up to 8. The main thread, V8's garbage collection and DuckDB's own threads
 * keep one core busy: on two cores, two fitting threads measured no faster than fitting in the main thread (their
 * cold starts and per-thread JIT cost about what the second core gave).
 */
function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

/** `--threads`, of the commands that fit models (refresh, demo, backtest). */
export function threadsOption<T>(yargs: Argv<T>) {
  return yargs.option('threads', {
    type: 'number',
    default: defaultThreads(),
    defaultDescription: 'the cores but one, 1 to 8',
    describe: 'Threads fitting the models side by side; 1 fits them in the main thread. The forecast is the same either way',
  });
}
