import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit } from '../output.js';

/** Options of `funnelcast docs`. */
export interface DocsArgs extends GlobalOptions {
  readonly out: string;
  readonly check: boolean;
}

/**
 * `funnelcast docs`: write the reference documents generated from the declarations (the output columns, the leads
 * contract), or check a folder against them. Other files in the folder (design.md) are left alone.
 */
export const docsCommand: CommandModule<GlobalOptions, DocsArgs> = {
  command: 'docs',
  describe: 'Generate docs/columns.md (every output column and its meaning) and docs/leads-contract.md from the declarations',
  builder: (yargs) =>
    yargs
      .option('out', { type: 'string', default: 'docs', describe: 'Folder to write them to' })
      .option('check', { type: 'boolean', default: false, describe: 'Write nothing; exit 1 naming the files that differ from what would be generated' })
      .example('$0 docs', 'Regenerate docs/columns.md and docs/leads-contract.md')
      .example('$0 docs --check', 'In CI: fail when the committed docs drifted from the code') as unknown as Argv<DocsArgs>,
  handler: async (args) => {
    const { referenceDocs } = await import('@funnelcast/pipeline');
    const out = resolve(args.out);
    const docs = referenceDocs();
    const current = await Promise.all(docs.map((doc) => readFile(join(out, doc.file), 'utf8').catch(() => undefined)));
    const stale = docs.filter((doc, i) => current[i] !== doc.content).map((doc) => doc.file);
    const files = docs.map((doc) => doc.file);
    if (args.check) {
      if (stale.length > 0) {
        throw new CommandFailure(
          [`${args.out} differs from the docs funnelcast generates; run \`funnelcast docs --out ${args.out}\`:`, ...stale.map((f) => `  ${f}`)].join('\n'),
          ExitCode.validation,
          { out, stale },
        );
      }
      emit(args, { out, inSync: true, files }, () => `${args.out} is up to date (${files.length} generated files).`);
      return;
    }
    await mkdir(out, { recursive: true });
    for (const doc of docs.filter((d) => stale.includes(d.file))) await writeFile(join(out, doc.file), doc.content);
    emit(args, { out, files, written: stale }, () =>
      [`Wrote ${stale.length} of ${files.length} generated docs to ${args.out}.`, ...stale.map((f) => `  ${f}`)].join('\n'),
    );
  },
};
