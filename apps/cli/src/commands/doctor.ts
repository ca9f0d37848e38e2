import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit } from '../output.js';

/** `funnelcast doctor`: is the target ready for refresh and train? One line per check, exit 3 when one fails. */
export const doctorCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'doctor',
  describe: 'Check the target is ready: credentials, dataset and location, permissions, leads, models (BigQuery); file, schema, leads (DuckDB)',
  builder: (yargs) =>
    yargs
      .example('$0 doctor', 'Check the default target; exit 0 when every check passes, 3 when one fails')
      .example('$0 doctor --json', 'The same as JSON, one entry per check (run it with --target T for a BigQuery target)') as unknown as Argv<GlobalOptions>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { doctor } = await import('@funnelcast/pipeline');
    const report = await doctor(config, args.target);
    const width = Math.max(...report.checks.map((c) => c.check.length));
    emit(args, report, () => [`${report.target} (${report.warehouse})`, ...report.checks.map((c) => `  ${c.check.padEnd(width)}  ${c.message}`)].join('\n'));
    const failed = report.checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      throw new CommandFailure(`${failed.length} of ${report.checks.length} checks failed (${failed.map((c) => c.check).join(', ')}): see above`, ExitCode.environment, report, true);
    }
  },
};
