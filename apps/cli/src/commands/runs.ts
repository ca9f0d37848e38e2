import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit, table } from '../output.js';

/** Options of `funnelcast runs`. */
export interface RunsArgs extends GlobalOptions {
  readonly limit: number;
}

/** `funnelcast runs`: the run history of a target. */
export const runsCommand: CommandModule<GlobalOptions, RunsArgs> = {
  command: 'runs',
  describe: 'List forecast runs, newest first: status, as-of date, models, rows and timings',
  builder: (yargs) =>
    yargs
      .option('limit', { type: 'number', default: 20, describe: 'How many runs to show' })
      .example('$0 runs', 'The last 20 runs')
      .example('$0 runs --json | jq ".[0].status"', 'Status of the newest run') as unknown as Argv<RunsArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { withWarehouse } = await import('@funnelcast/pipeline');
    const runs = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      return warehouse.listRuns(args.limit);
    });
    emit(args, runs, () =>
      runs.length === 0
        ? 'No runs yet: run `funnelcast refresh` (or `funnelcast demo`).'
        : table(
            ['run_id', 'as_of', 'status', 'models', 'rows', 'started_at', 'error'],
            runs.map((run) => [
              run.run_id,
              run.as_of,
              run.status,
              `${run.mql_model} / ${run.sql_model}`,
              run.row_count === null ? '' : String(run.row_count),
              run.started_at.replace('T', ' ').slice(0, 19),
              (run.error ?? '').split('\n')[0]!.slice(0, 60),
            ]),
          ),
    );
  },
};
