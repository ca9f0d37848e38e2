import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { creatingDatabase, loadConfig } from '../context.js';
import { emit } from '../output.js';
import { createProgressDisplay } from '../progress.js';

/** Options of `funnelcast import`. */
export interface ImportArgs extends GlobalOptions {
  readonly file: string;
  readonly replace: boolean;
  readonly 'date-format'?: string;
}

/** `funnelcast import FILE`: load leads into the embedded warehouse. */
export const importCommand: CommandModule<GlobalOptions, ImportArgs> = {
  command: 'import <file>',
  describe: 'Import leads (CSV or Parquet) into the embedded DuckDB warehouse; a file with any bad row imports nothing',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'Leads file: lead_id, channel_grouping_name, original_source, super_segment, mql_date, sql_date, sqo_date (ISO dates; empty = not reached)' })
      .option('replace', { type: 'boolean', default: false, describe: 'Replace all leads instead of adding to them' })
      .option('date-format', {
        type: 'string',
        describe: "Dates written another way than YYYY-MM-DD (a time after it is fine), as a strptime format, e.g. '%d/%m/%Y'",
      })
      .example('$0 import leads.csv', 'Add the leads in leads.csv')
      .example("$0 import crm.csv --date-format '%m/%d/%Y'", 'Add leads whose dates are written 01/31/2026')
      .example('$0 import export.parquet --replace', 'Replace every lead with the Parquet export') as unknown as Argv<ImportArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { importLeadsFile } = await import('@funnelcast/pipeline');
    const progress = createProgressDisplay(process.stderr);
    const summary = await creatingDatabase(config, args.target, () =>
      importLeadsFile(config, args.file, {
        ...(args.target ? { target: args.target } : {}),
        ...(args['date-format'] ? { dateFormat: args['date-format'] } : {}),
        replace: args.replace,
        onProgress: progress.update,
      }),
    ).finally(progress.stop);
    emit(args, summary, () =>
      `Imported ${summary.imported.toLocaleString('en-US')} leads from ${summary.source}` +
        `${summary.replaced ? ' (replacing the previous leads)' : ''}; the warehouse now holds ` +
        `${summary.totalLeads.toLocaleString('en-US')}. Next: funnelcast refresh`,
    );
  },
};
