import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode, UsageError } from '../exit-codes.js';
import { emit } from '../output.js';

/** Options of `funnelcast report`. */
export interface ReportArgs extends GlobalOptions {
  readonly out: string;
  readonly run?: string;
  readonly by?: 'channel' | 'segment';
  readonly top: number;
}

/** `funnelcast report`: the forecast as one self-contained HTML page of fan charts and tables. */
export const reportCommand: CommandModule<GlobalOptions, ReportArgs> = {
  command: 'report',
  describe: 'Write the forecast as one self-contained HTML page: fan charts, landings, mapping, how past runs did, the run',
  builder: (yargs) =>
    yargs
      .option('out', { type: 'string', default: 'report.html', describe: 'HTML file to write' })
      .option('run', { type: 'string', describe: 'A published run id', defaultDescription: 'the production run' })
      .option('by', { choices: ['channel', 'segment'] as const, describe: 'Small multiples by super-segment or by Channel × Source only', defaultDescription: 'both' })
      .option('top', { type: 'number', default: 5, describe: 'How many Channel × Source combinations get a chart (the most forecast SQLs)' })
      .example('$0 report', 'report.html for the production run')
      .example(
        `$0 report --run "$($0 runs --json | jq -r '[.[] | select(.status == "published")] | last | .run_id')" --out oldest.html`,
        'The report of another published run (here the oldest; any run_id of `funnelcast runs`)',
      )
      .example('$0 report --by segment', 'Only the super-segment charts besides the total') as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    if (!Number.isInteger(args.top) || args.top < 0) throw new UsageError(`--top must be a whole number ≥ 0, got ${String(args.top)}`);
    const config = await loadConfig(args);
    const { buildReport, withWarehouse } = await import('@funnelcast/pipeline');
    const started = performance.now();
    const report = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      return buildReport(warehouse, { ...(args.run ? { runId: args.run } : {}), ...(args.by ? { by: args.by } : {}), top: args.top });
    });
    if (!report) throw new CommandFailure('No forecast is published yet: run `funnelcast refresh` (or `funnelcast demo`) first.', ExitCode.validation);
    const path = resolve(args.out);
    await writeFile(path, report.html);
    const summary = { path, runId: report.runId, asOf: report.asOf, bytes: Buffer.byteLength(report.html), ms: Math.round(performance.now() - started) };
    emit(args, summary, () => `Wrote ${path} (${(summary.bytes / 1e6).toFixed(1)} MB): run ${report.runId}, as of ${report.asOf}, in ${summary.ms} ms`);
  },
};
