import type { Argv, CommandModule } from 'yargs';
import { NotFoundError } from '@funnelcast/core/terms';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit, formatNumber, table } from '../output.js';

/** Options of `funnelcast mapping`. */
export interface MappingArgs extends GlobalOptions {
  readonly segment?: string;
}

/** `funnelcast mapping`: the published super-segment → Channel × Source weights. */
export const mappingCommand: CommandModule<GlobalOptions, MappingArgs> = {
  command: 'mapping',
  describe: 'Show how each super-segment forecast is shared among Channel × Source combinations',
  builder: (yargs) =>
    yargs
      .option('segment', { type: 'string', describe: 'Only this super-segment' })
      .example('$0 mapping', 'All weights of the published run')
      .example('$0 mapping --segment Outbound --json', 'One segment, as JSON') as unknown as Argv<MappingArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { withWarehouse } = await import('@funnelcast/pipeline');
    const rows = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      const all = await warehouse.readMapping();
      if (all.length === 0) throw new CommandFailure('No forecast is published yet: run `funnelcast refresh` (or `funnelcast demo`) first.', ExitCode.validation);
      if (args.segment === undefined) return all;
      const known = [...new Set(all.map((row) => row.super_segment))].sort();
      if (!known.includes(args.segment)) throw new NotFoundError('super-segment', args.segment, known);
      return all.filter((row) => row.super_segment === args.segment);
    });
    emit(args, rows, () =>
      [
        `Run ${rows[0]!.run_id}: shares over ${rows[0]!.window_start} – ${rows[0]!.window_end} (end exclusive)`,
        table(
          ['super_segment', 'channel', 'source', 'SQLs', 'segment total', 'share', 'method'],
          rows.map((row) => [
            row.super_segment,
            row.Channel_Grouping_Name,
            row.Original_source,
            formatNumber(row.sql_count),
            formatNumber(row.super_segment_total),
            `${(row.normalized_fraction * 100).toFixed(1)}%`,
            row.weight_method,
          ]),
        ),
      ].join('\n'),
    );
  },
};
