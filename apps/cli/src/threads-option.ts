import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';

/** One fitting thread per core: the selection backtest's fits are independent. Beyond 8 they gain little. */
function defaultThreads(): number {
  return Math.min(8, availableParallelism());
}

/** `--threads`, of the commands that fit models (refresh, demo, backtest). */
export function threadsOption<T>(yargs: Argv<T>) {
  return yargs.option('threads', {
    type: 'number',
    default: defaultThreads(),
    defaultDescription: 'the cores, up to 8',
    describe: 'Threads fitting the models side by side; 1 fits them in the main thread. The forecast is the same either way',
  });
}
