import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { backtestCommand } from './backtest.js';
import { demoCommand } from './demo.js';
import { docsCommand } from './docs.js';
import { doctorCommand } from './doctor.js';
import { enqueueCommand } from './enqueue.js';
import { forecastCommand } from './forecast.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { lookmlCommand } from './lookml.js';
import { mappingCommand } from './mapping.js';
import { modelsCommand } from './models.js';
import { queueCommand } from './queue.js';
import { refreshCommand } from './refresh.js';
import { reportCommand } from './report.js';
import { runsCommand } from './runs.js';
import { trainCommand } from './train.js';

/** Every command, listed explicitly (no directory scanning), in the order `--help` shows them. */
// Each module narrows its own argument type; yargs only needs the shared global options here.
export const commands = [
  initCommand,
  demoCommand,
  importCommand,
  refreshCommand,
  forecastCommand,
  reportCommand,
  mappingCommand,
  modelsCommand,
  runsCommand,
  backtestCommand,
  trainCommand,
  doctorCommand,
  lookmlCommand,
  docsCommand,
  enqueueCommand,
  queueCommand,
] as unknown as readonly CommandModule<GlobalOptions, GlobalOptions>[];
