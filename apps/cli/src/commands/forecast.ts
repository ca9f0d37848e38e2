import type { Argv, CommandModule } from 'yargs';
import { LANDING_PERIODS, periodStart, STAGE_LABELS, STAGES, type LandingPeriod, type Stage } from '@funnelcast/core/terms';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode, UsageError } from '../exit-codes.js';
import { forecastRows, selectRows, type ForecastRow } from '../forecast-rows.js';
import { snakeCase } from '../json-keys.js';
import { csv, emit, formatNumber, table } from '../output.js';

/** Options of `funnelcast forecast`. */
export interface ForecastArgs extends GlobalOptions {
  readonly by: LandingPeriod;
  readonly channel?: string;
  readonly source?: string;
  readonly segment?: string;
  readonly stage?: Stage;
  readonly total: boolean;
  readonly csv: boolean;
  readonly chart: boolean;
}

const COLUMNS = ['period', 'periodStart', 'partial', 'channel', 'source', 'stage', 'actual', 'forecast', 'landing', 'lower50', 'upper50', 'lower95', 'upper95'] as const;

/** The rows as CSV: the JSON keys as header, figures to three decimals. */
function rowsCsv(rows: readonly ForecastRow[]): string {
  return csv(
    COLUMNS.map(snakeCase),
    rows.map((row) => COLUMNS.map((column) => {
      const value = row[column];
      return typeof value === 'number' ? Number(value.toFixed(3)) : typeof value === 'boolean' ? String(value) : value;
    })),
  );
}

function rowsTable(rows: readonly ForecastRow[], total: boolean): string {
  const interval = (row: ForecastRow, lower: number, upper: number) => (row.forecast > 0 ? `${formatNumber(lower)} – ${formatNumber(upper)}` : '');
  return table(
    ['period', ...(total ? [] : ['channel', 'source']), 'stage', 'actual', 'forecast', 'landing', '50% interval', '95% interval'],
    rows.map((row) => [
      `${row.period}${row.partial ? ' *' : ''}`,
      ...(total ? [] : [row.channel ?? '', row.source ?? '']),
      STAGE_LABELS[row.stage],
      formatNumber(row.actual, 0),
      formatNumber(row.forecast),
      formatNumber(row.landing),
      interval(row, row.lower50, row.upper50),
      interval(row, row.lower95, row.upper95),
    ]),
  );
}

/** `funnelcast forecast`: per period, Channel × Source and stage, actual to date plus forecast, from the published run. */
export const forecastCommand: CommandModule<GlobalOptions, ForecastArgs> = {
  command: 'forecast',
  describe:
    'MQLs, SQLs and SQOs per Channel × Source and period (day, week, month, quarter) from the period of the as-of date on: ' +
    'actual to date plus forecast, with 50% and 95% intervals',
  builder: (yargs) =>
    yargs
      .option('by', { choices: LANDING_PERIODS, default: 'month' as const, describe: 'Period to sum over (weeks are ISO weeks, from Monday)' })
      .option('channel', { type: 'string', describe: 'Only this Channel_Grouping_Name' })
      .option('source', { type: 'string', describe: 'Only this Original_source' })
      .option('segment', { type: 'string', describe: "Only the Channel × Source combinations this super-segment's SQLs are shared among" })
      .option('stage', { choices: STAGES, describe: 'Only this stage' })
      .option('total', { type: 'boolean', default: false, describe: 'One row per period and stage, summed over the selected combinations' })
      .option('csv', { type: 'boolean', default: false, describe: 'Print CSV (the JSON keys as header) instead of a table' })
      .option('chart', { type: 'boolean', default: false, describe: 'Print a terminal chart of the next weeks per stage (sparklines with the 95% band)' })
      .example('$0 forecast --by day --channel "Paid Search" --stage sqls', 'SQLs of each Paid Search source, day by day')
      .example('$0 forecast --total', 'Where each stage lands each month of the horizon, all combinations summed')
      .example('$0 forecast --by quarter --segment Outbound --total', 'Quarterly landing of the combinations Outbound SQLs are shared among')
      .example('$0 forecast --by week --csv > weekly.csv', 'Weekly figures per Channel × Source for a spreadsheet')
      .example("$0 forecast --by quarter --json | jq '.[] | select(.stage == \"sqos\")'", 'SQO rows of this quarter and the next, as JSON') as unknown as Argv<ForecastArgs>,
  handler: async (args) => {
    if (args.csv && args.json) throw new UsageError('--csv and --json are mutually exclusive: pick one output format');
    const config = await loadConfig(args);
    const { withWarehouse } = await import('@funnelcast/pipeline');
    const read = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      const run = await warehouse.productionRun();
      if (!run) return null;
      const [published, mapping] = await Promise.all([
        warehouse.readPublished({ from: periodStart(run.asOf, args.by) }),
        args.segment === undefined ? [] : warehouse.readMapping(),
      ]);
      return { run, published, mapping };
    });
    if (!read) throw new CommandFailure('No forecast is published yet: run `funnelcast refresh` (or `funnelcast demo`) first.', ExitCode.validation);
    const selected = selectRows(read.published, read.mapping, args);
    if (args.chart) {
      const { forecastChart } = await import('../forecast-chart.js');
      process.stdout.write(`${forecastChart(selected)}\n`);
      return;
    }
    const rows = forecastRows(selected, args.by, args);
    if (args.csv) {
      process.stdout.write(`${rowsCsv(rows)}\n`);
      return;
    }
    const filters = [
      ...(args.segment ? [`super-segment ${args.segment}`] : []),
      ...(args.channel ? [`channel ${args.channel}`] : []),
      ...(args.source ? [`source ${args.source}`] : []),
    ];
    emit(args, rows, () =>
      [
        `Run ${read.run.runId}, as of ${read.run.asOf}${filters.length ? `, ${filters.join(', ')}` : ''}`,
        rowsTable(rows, args.total),
        ...(rows.some((row) => row.partial) ? ['* the forecast horizon ends before the period does: its last days are not counted'] : []),
      ].join('\n'),
    );
  },
};
