import type { Argv, CommandModule } from 'yargs';
import { todayUtc } from '@funnelcast/core';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit, note } from '../output.js';
import { createProgressDisplay } from '../progress.js';
import { renderRefreshSummary } from '../render-summary.js';
import { refreshOptions, type RefreshArgs } from './refresh.js';

/** Options of `funnelcast demo`. */
export interface DemoArgs extends RefreshArgs {
  readonly seed: number;
  readonly profile: 'small' | 'large';
}

/** `funnelcast demo`: generate a realistic data set, import it and run the whole job on it. */
export const demoCommand: CommandModule<GlobalOptions, DemoArgs> = {
  command: 'demo',
  describe: 'Generate two years of realistic demo leads, import them and refresh: the whole job, no cloud account',
  builder: (yargs) =>
    refreshOptions(yargs)
      .option('seed', { type: 'number', default: 42, describe: 'Seed of the generator: the same seed gives the same leads' })
      .option('profile', { choices: ['small', 'large'] as const, default: 'small' as const, describe: 'small ≈ 6 MQLs and 2 SQLs a day; large ≈ tens of SQLs a day' })
      .example('$0 demo', 'Demo data in .funnelcast/funnelcast.duckdb, forecast published')
      .example("$0 demo --db /tmp/demo.duckdb --seed 7 --profile large", "A larger team in another file") as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { refresh, seedDemo } = await import('@funnelcast/pipeline');
    const asOf = args.asOf ?? todayUtc(new Date());
    const target = args.target ? { target: args.target } : {};
    const progress = createProgressDisplay(process.stderr);
    try {
      progress.update({ phase: 'Generating demo leads', done: 0, total: 1 });
      const seeded = await seedDemo(config, { ...target, seed: args.seed, end: asOf, profile: args.profile });
      progress.stop();
      if (!args.json) {
        note(`Generated ${seeded.leads.toLocaleString('en-US')} leads (${seeded.sqls.toLocaleString('en-US')} SQLs, ` +
          `${seeded.sqos.toLocaleString('en-US')} SQOs) over ${seeded.combinations} Channel × Source combinations, ` +
          `${seeded.firstDate} to ${asOf}, seed ${args.seed}.`);
      }
      const summary = await refresh(config, {
        ...target,
        asOf,
        ...(args.horizon !== undefined ? { horizon: args.horizon } : {}),
        dryRun: args.dryRun,
        onProgress: progress.update,
      });
      progress.stop();
      emit(args, { demo: seeded, refresh: summary }, () =>
        [renderRefreshSummary(summary), '', 'Next: funnelcast forecast · funnelcast mapping · funnelcast runs · funnelcast lookml'].join('\n'),
      );
    } finally {
      progress.stop();
    }
  },
};
