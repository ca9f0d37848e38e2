import { writeFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit } from '../output.js';

/** Options of `funnelcast init`. */
export interface InitArgs extends GlobalOptions {
  readonly file: string;
  readonly force: boolean;
}

/** `funnelcast init`: write a commented config file with every key at its default. */
export const initCommand: CommandModule<GlobalOptions, InitArgs> = {
  command: 'init [file]',
  describe: 'Write a commented config file: every key at its default, with a one-line meaning',
  builder: (yargs) =>
    yargs
      .positional('file', { type: 'string', default: 'funnelcast.config.yaml', describe: 'Where to write it' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite the file if it exists' })
      .example('$0 init', 'Write funnelcast.config.yaml in the working directory')
      .example('$0 init prod.yaml --force', 'Write (or overwrite) another file') as unknown as Argv<InitArgs>,
  handler: async (args) => {
    // The template renders YAML from the config schema: both load only when init runs.
    const { configTemplate } = await import('../config-template.js');
    try {
      // `wx` refuses an existing file in the same call that creates it, so nothing is overwritten by a race either.
      await writeFile(args.file, configTemplate(), { flag: args.force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      throw new CommandFailure(`${args.file} exists; nothing was written (add --force to overwrite it)`, ExitCode.usage);
    }
    emit(args, { file: args.file }, () => `Wrote ${args.file}. Next: edit superSegments and targets, then funnelcast import LEADS.csv`);
  },
};
