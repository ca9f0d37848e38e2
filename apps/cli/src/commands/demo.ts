import type { Argv, CommandModule } from 'yargs';
import { asOfOrToday } from '@funnelcast/core/terms';
import type { DemoSeedOptions } from '@funnelcast/pipeline';
import type { GlobalOptions } from '../context.js';
import { creatingDatabase, loadConfig } from '../context.js';
import { emit, note } from '../output.js';
import { createProgressDisplay } from '../progress.js';
import { renderRefreshSummary, summaryJson } from '../render-summary.js';
import { refreshOptions, type RefreshArgs } from './refresh.js';

type Profile = NonNullable<DemoSeedOptions['profile']>;

// Every profile of @funnelcast/demo must be described here (the Record is checked against its list).
const PROFILES: Record<Profile, string> = {
  small: '≈ 6 MQLs and 2 SQLs a day, 19 combinations (18 active: one retired eight months before the end), two years',
  large: '≈ 70 MQLs and 25 SQLs a day, the same combinations',
  ramp: 'messy: 300 days, a quiet month then MQLs ×4 two months before the as-of, conversion rising, channels launched days ago',
  sparse: 'messy: 240 combinations, most under a lead a week, channels launched and retired throughout, a few big ones',
};

/** Options of `funnelcast demo`. */
export interface DemoArgs extends RefreshArgs {
  readonly seed: number;
  readonly profile: Profile;
}

/** `funnelcast demo`: generate a realistic data set, import it and run the whole job on it. */
export const demoCommand: CommandModule<GlobalOptions, DemoArgs> = {
  command: 'demo',
  describe: 'Generate realistic demo leads (a clean or a messy funnel), import them and refresh: the whole job, no cloud account',
  builder: (yargs) =>
    refreshOptions(yargs)
      .option('seed', { type: 'number', default: 42, describe: 'Seed of the generator: the same seed gives the same leads' })
      .option('profile', {
        choices: Object.keys(PROFILES) as Profile[],
        default: 'small' as Profile,
        describe: `The demo funnel: ${Object.entries(PROFILES).map(([name, what]) => `${name} (${what})`).join('; ')}`,
      })
      .example('$0 demo', 'Demo data in .funnelcast/funnelcast.duckdb, forecast published')
      .example("$0 demo --db /tmp/demo.duckdb --seed 7 --profile large", "A larger team in another file")
      .example('$0 demo --db /tmp/ramp.duckdb --profile ramp', 'A young, messy funnel to test forecasts against') as unknown as Argv<DemoArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { refresh, seedDemo } = await import('@funnelcast/pipeline');
    const asOf = asOfOrToday(args.asOf, new Date());
    const target = args.target ? { target: args.target } : {};
    const progress = createProgressDisplay(process.stderr);
    try {
      progress.update({ phase: 'Generating demo leads', done: 0, total: 1 });
      const seeded = await creatingDatabase(config, args.target, () => seedDemo(config, { ...target, seed: args.seed, end: asOf, profile: args.profile }));
      progress.stop();
      const summary = await refresh(config, {
        ...target,
        asOf,
        ...(args.horizon !== undefined ? { horizon: args.horizon } : {}),
        dryRun: args.dryRun,
        threads: args.threads,
        onProgress: progress.update,
      });
      progress.stop();
      // Said after the refresh, so the two counts of combinations are told apart where they differ.
      const inactive = seeded.combinations - summary.combinations;
      if (!args.json) {
        note(`Generated ${seeded.leads.toLocaleString('en-US')} leads (${seeded.sqls.toLocaleString('en-US')} SQLs, ` +
          `${seeded.sqos.toLocaleString('en-US')} SQOs) over ${seeded.combinations} Channel × Source combinations, ` +
          `${seeded.firstDate} to ${asOf}, seed ${args.seed}` +
          (inactive > 0 ? `; ${summary.combinations} are forecast, the other ${inactive} had no lead in the last ${config.mapping.windowDays} days (mapping.windowDays).` : '.'));
      }
      emit(args, { demo: seeded, refresh: summaryJson(summary) }, () =>
        [renderRefreshSummary(summary), '', 'Next: funnelcast forecast --by day · funnelcast forecast --total · funnelcast models · funnelcast mapping · funnelcast runs · funnelcast lookml'].join('\n'),
      );
    } finally {
      progress.stop();
    }
  },
};
