#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { buildCli } from './cli.js';
import { errorJson, exitCodeFor, UsageError } from './exit-codes.js';
import { printable } from './output.js';

// The only module that touches the process: argv in, exit code out.
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
try {
  await buildCli(argv, version).parseAsync();
} catch (error) {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`);
  process.stderr.write(`funnelcast: ${printable(message, true)}\n`);
  if (error instanceof UsageError) process.stderr.write('Run with --help to see the commands and their options.\n');
  if (code === 4 && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}
