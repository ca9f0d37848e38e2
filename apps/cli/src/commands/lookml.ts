import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '@funnelcast/core/terms';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { CommandFailure, ExitCode } from '../exit-codes.js';
import { emit } from '../output.js';

/** Options of `funnelcast lookml`. */
export interface LookmlArgs extends GlobalOptions {
  readonly out: string;
  readonly connection?: string;
  readonly dataset?: string;
  readonly project?: string;
  readonly check: boolean;
}

/** The LookML files under `root` by `/`-separated relative path (empty when `root` does not exist yet). */
async function readLookmlDir(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const paths = entries.filter((entry) => entry.isFile() && /\.(lkml|lookml)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  return new Map(await Promise.all(paths.map(async (path) => [relative(root, path).split(sep).join('/'), await readFile(path, 'utf8')] as const)));
}

// A flag that overrides the config is named as the flag in errors, so the user fixes the right thing.
const FLAG_OF: Readonly<Record<string, keyof LookmlArgs>> = { 'lookml.connection': 'connection', 'lookml.dataset': 'dataset', 'lookml.project': 'project' };

/** `funnelcast lookml`: write the LookML project generated from the column declarations, or check a folder against it. */
export const lookmlCommand: CommandModule<GlobalOptions, LookmlArgs> = {
  command: 'lookml',
  describe: 'Generate the LookML project (views, explores, model, dashboard, data tests) for the published views',
  builder: (yargs) =>
    yargs
      .option('out', { type: 'string', default: 'lookml', describe: 'Folder of the LookML project' })
      .option('connection', { type: 'string', describe: 'Looker connection name', defaultDescription: 'config lookml.connection, "funnelcast_bigquery"' })
      .option('dataset', { type: 'string', describe: 'BigQuery dataset of the views', defaultDescription: 'config lookml.dataset, "funnelcast"' })
      .option('project', { type: 'string', describe: 'BigQuery project of the views', defaultDescription: "config lookml.project, the connection's project" })
      .option('check', { type: 'boolean', default: false, describe: 'Write nothing; exit 1 listing the files when the folder differs from what would be generated' })
      .example('$0 lookml', 'Write the LookML project to ./lookml')
      .example('$0 lookml --out ../looker-repo/funnelcast --connection bq_prod --dataset revops', 'Generate into the BI repository')
      .example('$0 lookml --check --out ../looker-repo/funnelcast', "In the BI team's CI: fail when the LookML drifted") as Argv<LookmlArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { diffLookml, generateLookml, isInSync } = await import('@funnelcast/lookml');
    const project = args.project ?? config.lookml.project;
    let files;
    try {
      files = generateLookml({
        connection: args.connection ?? config.lookml.connection,
        dataset: args.dataset ?? config.lookml.dataset,
        ...(project !== undefined ? { project } : {}),
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const problems = error.problems.map((p) => {
        const flag = FLAG_OF[p.where];
        return flag && args[flag] !== undefined ? { ...p, where: `--${flag}` } : p;
      });
      throw new ConfigError(problems, 'Invalid LookML settings:');
    }
    const out = resolve(args.out);
    const drift = diffLookml(await readLookmlDir(out), files);
    const paths = files.map((file) => file.path);

    if (args.check) {
      if (!isInSync(drift)) {
        const lines = [
          ...drift.changed.map((path) => `  changed  ${path}`),
          ...drift.missing.map((path) => `  missing  ${path}`),
          ...drift.extra.map((path) => `  stale    ${path}`),
        ];
        throw new CommandFailure(
          [`${args.out} differs from the LookML funnelcast generates; run \`funnelcast lookml --out ${args.out}\`:`, ...lines].join('\n'),
          ExitCode.validation,
          { out, ...drift },
        );
      }
      emit(args, { out, inSync: true, files: paths }, () => `${args.out} is up to date (${paths.length} generated files).`);
      return;
    }

    const toWrite = files.filter((file) => drift.changed.includes(file.path) || drift.missing.includes(file.path));
    for (const file of toWrite) {
      await mkdir(dirname(join(out, file.path)), { recursive: true });
      await writeFile(join(out, file.path), file.contents);
    }
    // Stale generated files (a renamed view) would break Looker's validation with duplicate or dangling fields.
    for (const path of drift.extra) await rm(join(out, path));
    const written = toWrite.map((file) => file.path);
    emit(args, { out, files: paths, written, removed: drift.extra }, () =>
      [
        `Wrote ${written.length} of ${paths.length} LookML files to ${args.out}${written.length < paths.length ? ' (the rest were up to date)' : ''}.`,
        ...written.map((path) => `  ${path}`),
        ...drift.extra.map((path) => `  removed stale ${path}`),
      ].join('\n'),
    );
  },
};
