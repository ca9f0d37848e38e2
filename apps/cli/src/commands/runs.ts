import type { Argv, CommandModule } from 'yargs';
import type { RunRecord } from '@funnelcast/core';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit, formatTimings, table, totalSeconds } from '../output.js';

/** Options of `funnelcast runs`. */
export interface RunsArgs extends GlobalOptions {
  readonly limit: number;
}

/**
 * A run as `runs --json` prints it: the stored record with its warnings (an array) and timings (milliseconds per
 * phase, an object) as JSON values instead of JSON text, and whether it is the production run (the one the views show).
 */
export type RunListing = Omit<RunRecord, 'warnings_json' | 'timings_json'> & {
  readonly warnings: string[];
  readonly timings: Record<string, number> | null;
  readonly production: boolean;
};

async function listing({ warnings_json, timings_json, ...run }: RunRecord, productionRunId: string | undefined): Promise<RunListing> {
  // The JSON columns are parsed by core's zod schemas, loaded only when a command runs (not for --help).
  const { runTimings, runWarnings } = await import('@funnelcast/core');
  return { ...run, warnings: runWarnings({ warnings_json }), timings: runTimings({ timings_json }), production: run.run_id === productionRunId };
}


/** `funnelcast runs`: the run history of a target. */
export const runsCommand: CommandModule<GlobalOptions, RunsArgs> = {
  command: 'runs',
  describe:
    'List forecast runs, newest first: status (running, published, failed, abandoned), as-of date, models, rows, timings and warnings; ' +
    'runs whose lease expired are stored as abandoned first',
  builder: (yargs) =>
    yargs
      .option('limit', { type: 'number', default: 20, describe: 'How many runs to show' })
      .example('$0 runs', 'The last 20 runs, each with its phase timings and warnings indented under it')
      .example('$0 runs --json | jq ".[0].warnings"', 'Warnings of the newest run') as unknown as Argv<RunsArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { reapAbandonedRuns, withWarehouse } = await import('@funnelcast/pipeline');
    // A run whose process died is shown as what it is, abandoned, not as running forever.
    await reapAbandonedRuns(config, args.target);
    const runs = await withWarehouse(config, args.target, async (warehouse) => {
      const production = await warehouse.productionRun();
      return Promise.all((await warehouse.listRuns(args.limit)).map((run) => listing(run, production?.runId)));
    });
    emit(args, runs, () => {
      if (runs.length === 0) return 'No runs yet: run `funnelcast refresh` (or `funnelcast demo`).';
      const [header, rule, ...lines] = table(
        ['run_id', 'as_of', 'status', 'models', 'rows', 'started_at', 'time', 'error'],
        runs.map((run) => [
          run.run_id,
          run.as_of,
          run.production ? `${run.status} *` : run.status,
          `${run.mql_model} / ${run.sql_model}`,
          run.row_count === null ? '' : String(run.row_count),
          run.started_at.replace('T', ' ').slice(0, 19),
          run.timings === null ? '' : `${totalSeconds(run.timings)}s`,
          (run.error ?? '').split('\n')[0]!.slice(0, 60),
        ]),
      ).split('\n');
      // Each run's phase timings and warnings go under its own line, indented, so a table row never wraps around them.
      const body = lines.flatMap((line, i) => {
        const { timings, warnings } = runs[i]!;
        const phases = timings === null ? [] : [`    ${formatTimings(timings)}`];
        return [line, ...phases, ...warnings.map((warning) => `    ! ${warning.replaceAll('\n', ' ')}`)];
      });
      const legend = runs.some((run) => run.production) ? ['', '* production: the run the views show (newest as-of date, latest publish)'] : [];
      return [header!, rule!, ...body, ...legend].join('\n');
    });
  },
};
