import yargs, { type Argv } from 'yargs';
import { commands } from './commands/index.js';
import type { GlobalOptions } from './context.js';
import { UsageError } from './exit-codes.js';

/**
 * The `funnelcast` command line: strict parsing, suggestions for typos, global `--config`, `--target`, `--db` and
 * `--json`. Usage errors throw a {@link UsageError} so the entry point maps every failure to an exit code in one place.
 * `version` is what `--version` prints (yargs' own guess finds no package.json from a bin launcher).
 */
export function buildCli(argv: readonly string[], version = 'unknown'): Argv<GlobalOptions> {
  let cli = yargs([...argv])
    .scriptName('funnelcast')
    // The CLI speaks English; yargs' translations of its own headings would read oddly around it, and its locale files
    // are not beside the bundle that carries yargs (its English strings need none).
    .locale('en')
    .usage('$0 <command> [options]\n\nKeeps a B2B sales-funnel forecast (MQL → SQL → SQO by Channel × Source) in production.')
    .option('config', { type: 'string', global: true, describe: 'Config file (JSON or YAML)', defaultDescription: 'funnelcast.config.{yaml,yml,json} if present' })
    .option('target', { type: 'string', global: true, describe: 'Configured target (warehouse) to use', defaultDescription: 'config defaultTarget, "local"' })
    .option('db', { type: 'string', global: true, describe: 'DuckDB file of the target (only import, demo and refresh create it)', defaultDescription: '.funnelcast/funnelcast.duckdb' })
    .option('json', { type: 'boolean', global: true, default: false, describe: 'Print pure JSON on stdout' })
    .demandCommand(1, 'Name a command; `funnelcast --help` lists them.')
    .strict()
    .recommendCommands()
    .fail((message, error) => {
      // yargs reports its own validation as a message and a handler's failure as an error: keep them apart.
      throw error ?? new UsageError(message);
    })
    // yargs writes a bash/zsh script that asks this same program for the completions of the words typed so far.
    .completion('completion', 'Print the shell completion script (bash, zsh): funnelcast completion >> ~/.bashrc')
    .help()
    .alias('h', 'help')
    .version(version)
    .wrap(Math.min(120, yargs().terminalWidth()))
    .epilogue(
      'Exit codes: 0 ok · 1 input or forecast failed validation (nothing published) · 2 usage or config error, ' +
        'a missing database · 3 environment (warehouse, Redis, a file in use, read-only, not DuckDB, a full disk) · ' +
        '4 internal error · 130 interrupted (Ctrl-C; BigQuery jobs in flight are cancelled).\nDocs: README.md',
    )
    .example('$0 demo', 'Generate demo leads and publish a forecast in .funnelcast/funnelcast.duckdb')
    .example('$0 import leads.csv && $0 refresh', 'Forecast your own leads')
    .example('$0 forecast --by quarter --total', 'Where each stage lands this quarter and the next') as Argv<GlobalOptions>;
  for (const command of commands) cli = cli.command(command);
  return cli;
}
