#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { buildCli } from './cli.js';
import { CommandFailure, errorJson, exitCodeFor, UsageError } from './exit-codes.js';
import { printable } from './output.js';

// The only module that touches the process: argv in, exit code out.
const argv = process.argv.slice(2);
const json = argv.includes('--json');
// The package's own manifest, found from its entry point: this module may run from dist/ or from the bundle below it.
const manifest = new URL('../package.json', import.meta.resolve('@funnelcast/cli'));
const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
// Ctrl-C or SIGTERM aborts the command: BigQuery jobs in flight are cancelled before it exits; a second one exits at once.
const interrupt = new AbortController();
const stop = (signal: NodeJS.Signals) => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write(`funnelcast: ${signal} received, stopping (cancelling jobs in flight; press Ctrl-C again to quit at once)\n`);
  interrupt.abort(new Error(`interrupted by ${signal}: nothing more was sent, jobs in flight were cancelled`));
  // A command that never looks at the signal (or a step that cannot stop) must not outlive the interrupt for long.
  setTimeout(() => process.exit(130), 10_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
try {
  await buildCli(argv, version).parseAsync(argv, { signal: interrupt.signal });
} catch (error) {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  if (json && !(error instanceof CommandFailure && error.reported)) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`);
  process.stderr.write(`funnelcast: ${printable(message, true)}\n`);
  if (error instanceof UsageError) process.stderr.write('Run with --help to see the commands and their options.\n');
  if (code === 4 && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = interrupt.signal.aborted ? 130 : code;
}
