import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { creatingDatabase, loadConfig } from '../context.js';
import { emit } from '../output.js';
import { createProgressDisplay } from '../progress.js';

/** Options of `funnelcast import`. */
export interface ImportArgs extends GlobalOptions {
  readonly file: string;
  readonly replace?: boolean;
  readonly upsert?: boolean;
  readonly 'date-format'?: string;
}

/** `funnelcast import FILE`: load leads into the embedded warehouse. */
export const importCommand: CommandModule<GlobalOptions, ImportArgs> = {
  command: 'import <file>',
  describe: 'Import leads (CSV or Parquet) into the embedded DuckDB warehouse: add them (default), replace every lead, or upsert by lead_id; a file with any bad row imports nothing',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', demandOption: true, describe: 'Leads file: lead_id, channel_grouping_name, original_source, super_segment, mql_date, sql_date, sqo_date (ISO dates; empty = not reached)' })
      // No defaults: yargs counts a defaulted flag as given, and the two conflict.
      .option('replace', { type: 'boolean', describe: 'Replace all leads with the file (a full reload)' })
      .option('upsert', {
        type: 'boolean',
        describe: 'Add the file\'s new lead_ids and overwrite the leads whose lead_id is already there (a daily load of what changed); the other leads stay',
      })
      .conflicts('replace', 'upsert')
      .option('date-format', {
        type: 'string',
        describe: "Dates written another way than YYYY-MM-DD (a time after it is fine), as a strptime format, e.g. '%d/%m/%Y'",
      })
      .example('$0 import leads.csv', 'Add the leads in leads.csv')
      .example("$0 import crm.csv --date-format '%m/%d/%Y'", 'Add leads whose dates are written 01/31/2026')
      .example('$0 import export.parquet --replace', 'Replace every lead with the Parquet export')
      .example('$0 import changed-today.csv --upsert', 'Add new leads and update those whose stage dates moved, by lead_id') as unknown as Argv<ImportArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { importLeadsFile } = await import('@funnelcast/pipeline');
    const progress = createProgressDisplay(process.stderr);
    const summary = await creatingDatabase(config, args.target, () =>
      importLeadsFile(config, args.file, {
        ...(args.target ? { target: args.target } : {}),
        ...(args['date-format'] ? { dateFormat: args['date-format'] } : {}),
        replace: args.replace ?? false,
        upsert: args.upsert ?? false,
        onProgress: progress.update,
      }),
    ).finally(progress.stop);
    const count = (n: number) => n.toLocaleString('en-US');
    const what =
      summary.mode === 'upsert'
        ? `Upserted ${count(summary.imported + summary.unchanged)} leads from ${summary.source} (${count(summary.added)} added, ` +
          `${count(summary.updated)} updated, ${count(summary.unchanged)} unchanged)`
        : `Imported ${count(summary.imported)} leads from ${summary.source}${summary.mode === 'replace' ? ' (replacing the previous leads)' : ''}`;
    emit(args, summary, () => `${what}; the warehouse now holds ${count(summary.totalLeads)}. Next: funnelcast refresh`);
  },
};
