import type { Argv, CommandModule } from 'yargs';
import { landings as landingsOf, NotFoundError, type LandingPeriod } from '@funnelcast/core';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode, UsageError } from '../exit-codes.js';
import { csv, emit, formatNumber, table } from '../output.js';

/** Options of `funnelcast forecast`. */
export interface ForecastArgs extends GlobalOptions {
  readonly by: LandingPeriod;
  readonly channel?: string;
  readonly source?: string;
  readonly csv: boolean;
  readonly chart: boolean;
}

/** `funnelcast forecast`: where we land, per period and stage, from the published forecast. */
export const forecastCommand: CommandModule<GlobalOptions, ForecastArgs> = {
  command: 'forecast',
  describe: 'Where we land: actual to date plus forecast per period and stage, with 50% and 95% intervals',
  builder: (yargs) =>
    yargs
      .option('by', { choices: ['week', 'month', 'quarter'] as const, default: 'month' as const, describe: 'Period to sum over' })
      .option('channel', { type: 'string', describe: 'Only this Channel_Grouping_Name' })
      .option('source', { type: 'string', describe: 'Only this Original_source' })
      .option('csv', { type: 'boolean', default: false, describe: 'Print CSV instead of a table' })
      .option('chart', { type: 'boolean', default: false, describe: 'Print a terminal chart of the next weeks per stage (sparklines with the 95% band)' })
      .example('$0 forecast', 'Monthly landing of MQLs, SQLs and SQOs')
      .example('$0 forecast --by quarter --channel "Paid Search"', 'Quarterly landing of one channel')
      .example('$0 forecast --by week --csv > weekly.csv', 'Weekly figures for a spreadsheet') as unknown as Argv<ForecastArgs>,
  handler: async (args) => {
    if (args.csv && args.json) throw new UsageError('--csv and --json are mutually exclusive: pick one output format');
    const config = await loadConfig(args);
    const { withWarehouse } = await import('@funnelcast/pipeline');
    const rows = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      return warehouse.readPublished({ ...(args.channel ? { channel: args.channel } : {}), ...(args.source ? { source: args.source } : {}) });
    });
    if (rows.length === 0) {
      if (args.channel || args.source) {
        throw new NotFoundError('Channel × Source filter', [args.channel, args.source].filter(Boolean).join(' / '), ['see `funnelcast mapping` for the combinations']);
      }
      throw new CommandFailure('No forecast is published yet: run `funnelcast refresh` (or `funnelcast demo`) first.', ExitCode.validation);
    }
    if (args.chart) {
      const { forecastChart } = await import('../forecast-chart.js');
      process.stdout.write(`${forecastChart(rows)}\n`);
      return;
    }
    const landings = landingsOf(rows, args.by);
    const first = rows[0]!;
    const header = ['period', 'stage', 'actual', 'forecast', 'landing', 'lower_50', 'upper_50', 'lower_95', 'upper_95', 'partial'];
    const values = landings.map((l) => [l.periodStart, l.stage, l.actualToDate, l.forecast, l.landing, l.lower50, l.upper50, l.lower95, l.upper95, String(l.partial)] as const);
    if (args.csv) {
      process.stdout.write(`${csv(header, values.map((v) => v.map((x) => (typeof x === 'number' ? Number(x.toFixed(3)) : x))))}\n`);
      return;
    }
    emit(args, { runId: first.run_id, asOf: first.as_of, by: args.by, landings }, () =>
      [
        `Run ${first.run_id}, as of ${first.as_of}${args.channel ? `, channel ${args.channel}` : ''}${args.source ? `, source ${args.source}` : ''}`,
        table(
          ['period', 'stage', 'actual', 'forecast', 'landing', '50% interval', '95% interval'],
          landings.map((l) => [
            `${l.periodStart}${l.partial ? ' *' : ''}`,
            l.stage,
            formatNumber(l.actualToDate, 0),
            formatNumber(l.forecast),
            formatNumber(l.landing),
            l.forecast > 0 ? `${formatNumber(l.lower50)} – ${formatNumber(l.upper50)}` : '',
            l.forecast > 0 ? `${formatNumber(l.lower95)} – ${formatNumber(l.upper95)}` : '',
          ]),
        ),
        ...(landings.some((l) => l.partial) ? ['* the forecast horizon ends before the period does: its last days are not counted'] : []),
      ].join('\n'),
    );
  },
};
