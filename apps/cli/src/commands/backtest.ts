import { writeFile } from 'node:fs/promises';
import { MSTL_ETS, SEASONAL_NAIVE, V1_AUTO_ARIMA, V3_RIDGE } from '@funnelcast/core/terms';
import type { Argv, CommandModule } from 'yargs';
import type { BacktestReport, BacktestTable } from '@funnelcast/pipeline';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit, note, printable } from '../output.js';
import { createProgressDisplay } from '../progress.js';
import { renderCostPlan } from '../render-cost-plan.js';
import { threadsOption } from '../threads-option.js';

/** Options of `funnelcast backtest`. */
export interface BacktestArgs extends GlobalOptions {
  readonly origins?: number;
  readonly from?: string;
  readonly to?: string;
  readonly period: 'month' | 'quarter';
  readonly models?: string;
  readonly out?: string;
  readonly dryRun: boolean;
  readonly threads: number;
}

/**
 * A table for a terminal: columns aligned on their plain text, the best value of each column in bold on a TTY,
 * marked with a trailing `*` elsewhere (logs, pipes) so the highlight survives without colour.
 */
function renderTable(table: BacktestTable, tty: boolean): string {
  const cells = table.rows.map((row) => row.map((cell) => ({ ...cell, text: printable(cell.text) })));
  const widths = table.header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.text.length ?? 0)));
  const marker = tty ? 0 : 1;
  const pad = (text: string, i: number) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!));
  const header = table.header.map((h, i) => `${pad(h, i)}${' '.repeat(i === 0 ? 0 : marker)}`).join('  ');
  const rule = widths.map((w, i) => '─'.repeat(w + (i === 0 ? 0 : marker))).join('  ');
  const rows = cells.map((row) =>
    row
      .map((cell, i) => {
        const text = pad(cell.text, i);
        if (i === 0) return text;
        if (tty) return cell.best ? `\x1b[1m${text}\x1b[22m` : text;
        return `${text}${cell.best ? '*' : ' '}`;
      })
      .join('  ')
      .trimEnd(),
  );
  return [printable(table.title), header.trimEnd(), rule, ...rows].join('\n');
}

/** The report for a terminal: what was compared, every table, the warnings and where the results are stored. */
function renderReport(report: BacktestReport, tables: readonly BacktestTable[], tty: boolean): string {
  const intro = [
    `Backtest ${report.backtestId}: ${report.origins.length} origin(s) from ${report.origins[0]} to ${report.origins.at(-1)}, ` +
      `each forecasting the rest of its ${report.period}; models ${report.models.join(', ')}.`,
    `Metrics are means over the origins; the best of each column is ${tty ? 'in bold' : 'marked *'}. ` +
      'Stored in backtest_runs / backtest_results.',
  ];
  const warnings = report.warnings.length > 0 ? ['', 'Warnings:', ...report.warnings.map((w) => `  - ${printable(w)}`)] : [];
  return [...intro, ...tables.flatMap((t) => ['', renderTable(t, tty)]), ...warnings].join('\n');
}

/**
 * The origins the flags ask for: a count, a month range, or the default. Checked here rather than with yargs'
 * `conflicts`/`implies`, so a wrong combination is a usage error (exit 2) with a message saying what to give.
 */
async function originsFrom(args: BacktestArgs): Promise<readonly string[] | number | undefined> {
  if (args.from === undefined && args.to === undefined) return args.origins;
  if (args.origins !== undefined) throw new CommandFailure('give either --origins N or --from YYYY-MM --to YYYY-MM, not both', ExitCode.usage);
  const { monthStart, periodsBetween } = await import('@funnelcast/pipeline');
  const problems: string[] = [];
  const parse = (flag: string, value: string | undefined) => {
    const day = value === undefined ? null : monthStart(value);
    if (day === null) problems.push(value === undefined ? `--${flag} is missing` : `--${flag} ${JSON.stringify(value)} is not a YYYY-MM month`);
    return day;
  };
  const from = parse('from', args.from);
  const to = parse('to', args.to);
  if (from === null || to === null) throw new CommandFailure(`${problems.join('; ')}: give both --from and --to as YYYY-MM months`, ExitCode.usage);
  if (from > to) throw new CommandFailure(`--from ${args.from} is after --to ${args.to}`, ExitCode.usage);
  return periodsBetween(from, to, args.period);
}

/** `funnelcast backtest`: rolling-origin accuracy of the production pipeline against per-combination peers. */
export const backtestCommand: CommandModule<GlobalOptions, BacktestArgs> = {
  command: 'backtest',
  describe: 'Backtest the forecast by rolling origin: production vs v1 (per-combination) vs naive, at every level and stage',
  builder: (yargs) =>
    threadsOption(yargs)
      .option('origins', { type: 'number', describe: 'How many of the last full periods to backtest', defaultDescription: '6' })
      .option('from', { type: 'string', describe: 'First period to backtest (YYYY-MM), with --to; instead of --origins' })
      .option('to', { type: 'string', describe: 'Last period to backtest (YYYY-MM), with --from' })
      .option('period', { choices: ['month', 'quarter'] as const, default: 'month' as const, describe: 'Each origin forecasts the rest of its month or quarter' })
      .option('models', { type: 'string', describe: `Models to compare, comma-separated: production, v1, naive or a registry model (${MSTL_ETS}, ${V3_RIDGE}, ${SEASONAL_NAIVE}, ${V1_AUTO_ARIMA})`, defaultDescription: 'production,v1,naive' })
      .option('out', { type: 'string', describe: 'Also write the report as Markdown to this file' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'BigQuery only: send only dry-run jobs and print what each statement would scan and cost (nothing runs or is stored)' })
      .example('$0 backtest', 'The last 6 full months: production vs v1 vs naive')
      .example('$0 backtest --from 2025-04 --to 2025-09 --out backtest.md', 'April–September 2025, with a Markdown report')
      .example('$0 backtest --period quarter --origins 4 --models production,v1', 'The last 4 quarters, two models')
      .example('$0 backtest --json | jq \'.summary[] | select(.level=="channel_source" and .metric=="wape")\'', 'WAPE at Channel × Source, as JSON') as unknown as Argv<BacktestArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const origins = await originsFrom(args);
    if (args.dryRun) {
      const { resolveTarget } = await import('@funnelcast/core');
      if (resolveTarget(config, args.target).target.type !== 'bigquery') {
        throw new CommandFailure('--dry-run prices the jobs of a BigQuery target; a backtest on DuckDB costs nothing, so run it without --dry-run', ExitCode.usage);
      }
      const { planBacktestCost } = await import('@funnelcast/pipeline');
      const plan = await planBacktestCost(config, {
        ...(args.target ? { target: args.target } : {}),
        ...(origins !== undefined ? { origins } : {}),
        period: args.period,
        ...(args.signal ? { signal: args.signal } : {}),
      });
      emit(args, plan, () => renderCostPlan(plan, `a backtest of ${plan.target} at ${plan.origins.length} origin(s) from ${plan.origins[0]} to ${plan.origins.at(-1)}, by ${plan.period}`));
      return;
    }
    const { backtest, backtestMarkdown, backtestTables } = await import('@funnelcast/pipeline');
    const models = args.models?.split(',').map((m) => m.trim()).filter(Boolean);
    const progress = createProgressDisplay(process.stderr);
    let report: BacktestReport;
    try {
      report = await backtest(config, {
        ...(args.target ? { target: args.target } : {}),
        ...(origins !== undefined ? { origins } : {}),
        period: args.period,
        ...(models ? { models } : {}),
        threads: args.threads,
        onProgress: progress.update,
      });
    } finally {
      progress.stop();
    }
    if (args.out) {
      await writeFile(args.out, backtestMarkdown(report));
      note(`Wrote the Markdown report to ${args.out}`);
    }
    // The report escapes what it takes from the data itself, so its bold survives.
    emit(args, report, () => renderReport(report, backtestTables(report), process.stdout.isTTY === true), true);
  },
};
