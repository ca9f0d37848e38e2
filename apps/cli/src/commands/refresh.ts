import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_HORIZON, MAX_HORIZON } from '@funnelcast/core/terms';
import type { GlobalOptions } from '../context.js';
import { creatingDatabase, loadConfig } from '../context.js';
import { emit } from '../output.js';
import { createProgressDisplay } from '../progress.js';
import { renderCostPlan } from '../render-cost-plan.js';
import { renderRefreshSummary, summaryJson } from '../render-summary.js';
import { threadsOption } from '../threads-option.js';

/** Options of `funnelcast refresh`. */
export interface RefreshArgs extends GlobalOptions {
  readonly asOf?: string;
  readonly horizon?: number;
  readonly dryRun: boolean;
  readonly threads: number;
}

/** Adds the options a refresh takes (shared by `refresh` and `demo`). */
export function refreshOptions<T>(yargs: Argv<T>) {
  return threadsOption(yargs)
    .option('as-of', { type: 'string', describe: 'History is every event before this day (YYYY-MM-DD); the forecast starts on it, or on the day after the last day of data that stopped before it (stale data)', defaultDescription: 'today (UTC)' })
    .option('horizon', { type: 'number', describe: `Days to forecast, 1–${MAX_HORIZON}`, defaultDescription: `config horizon, ${DEFAULT_HORIZON}` })
    .option('dry-run', {
      type: 'boolean',
      default: false,
      describe: 'Publish nothing. DuckDB: compute and validate the forecast. BigQuery: send only dry-run jobs and print what each statement would scan and cost (nothing runs, no forecast)',
    });
}

/** `funnelcast refresh`: recompute and publish the forecast. */
export const refreshCommand: CommandModule<GlobalOptions, RefreshArgs> = {
  command: 'refresh',
  describe: 'Recompute the forecast from the leads and publish it as vw_production_forecast',
  builder: (yargs) =>
    refreshOptions(yargs)
      .example('$0 refresh', 'Forecast the next 90 days from everything before today, each stage by the models its own backtest prefers')
      .example('$0 refresh --as-of 2025-10-01 --horizon 31', 'Forecast October 2025 from history before it')
      .example('$0 refresh --dry-run --json', 'Validate a forecast without publishing it; JSON summary (on BigQuery: the cost plan)') as unknown as Argv<RefreshArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    // Loaded here, not at the top: --help must not load the config schema.
    const { resolveTarget } = await import('@funnelcast/core');
    if (args.dryRun && resolveTarget(config, args.target).target.type === 'bigquery') {
      const { planRefreshCost } = await import('@funnelcast/pipeline');
      const plan = await planRefreshCost(config, {
        ...(args.target ? { target: args.target } : {}),
        ...(args.asOf ? { asOf: args.asOf } : {}),
        ...(args.horizon !== undefined ? { horizon: args.horizon } : {}),
        ...(args.signal ? { signal: args.signal } : {}),
      });
      emit(args, plan, () => renderCostPlan(plan, `a refresh of ${plan.target} as of ${plan.asOf}, ${plan.horizon} days`));
      return;
    }
    const { refresh } = await import('@funnelcast/pipeline');
    const progress = createProgressDisplay(process.stderr);
    try {
      const summary = await creatingDatabase(config, args.target, () =>
        refresh(config, {
          ...(args.target ? { target: args.target } : {}),
          ...(args.asOf ? { asOf: args.asOf } : {}),
          ...(args.horizon !== undefined ? { horizon: args.horizon } : {}),
          dryRun: args.dryRun,
          threads: args.threads,
          onProgress: progress.update,
          ...(args.signal ? { signal: args.signal } : {}),
        }),
      );
      progress.stop();
      emit(args, summaryJson(summary), () => renderRefreshSummary(summary));
    } finally {
      progress.stop();
    }
  },
};
