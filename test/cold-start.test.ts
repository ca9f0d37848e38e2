import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, tempDir } from './support/cli.js';

// A module hook that names on stderr every module the process loads (hooks see ESM imports, and a CommonJS package's
// entry point as it is imported).
const HOOK = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function load(url, context, next) { if (!url.startsWith('node:')) process.stderr.write('LOADED ' + url + '\\\\n'); return next(url, context); }",
));
`;

let dir: { path: string; cleanup: () => Promise<void> };
let hook: string;

beforeAll(async () => {
  dir = await tempDir('funnelcast-cold-start-');
  hook = join(dir.path, 'hook.mjs');
  await writeFile(hook, HOOK);
});
afterAll(() => dir.cleanup());

// The CLI runs as an esbuild bundle: its chunks are named by hash, and the bundle's metafile says which modules each
// one holds (paths relative to apps/cli, where the bundle script builds).
const cliDir = join(repoRoot, 'apps', 'cli');
const bundle = JSON.parse(readFileSync(join(cliDir, 'dist', 'bundle', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };

/** The source files a loaded URL stands for: every module bundled into it for a chunk of the bundle, else itself. */
function sources(url: string): string[] {
  if (!url.startsWith('file:')) return [url];
  const file = fileURLToPath(url);
  const chunk = bundle.outputs[relative(cliDir, file)];
  return chunk ? Object.keys(chunk.inputs).map((input) => resolve(cliDir, input)) : [file];
}

/** The files `funnelcast ...args` loaded as modules. */
async function loadedUrls(args: readonly string[]): Promise<string[]> {
  const result = await runCli(args, { cwd: dir.path, env: { NODE_OPTIONS: `--import=${hook}` } });
  const urls = result.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice('LOADED '.length));
  expect(urls.length).toBeGreaterThan(0);
  return urls;
}

/** The packages (under node_modules, or funnelcast's own) whose modules `funnelcast ...args` loaded, bundled or not. */
async function loadedPackages(args: readonly string[]): Promise<Set<string>> {
  const files = (await loadedUrls(args)).flatMap(sources);
  return new Set(
    files.map((file) => file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? file.match(/\/(?:packages|apps)\/([^/]+)\//)?.[1] ?? file),
  );
}

describe('cold start', () => {
  it('--help runs the bundle: a handful of files, where the unbundled build loaded some ninety modules', async () => {
    const urls = await loadedUrls(['--help']);
    expect(urls).toContain(pathToFileURL(join(cliDir, 'dist', 'bundle', 'main.js')).href);
    expect(urls.length).toBeLessThan(10);
  });

  it('--help loads the command line and its vocabulary only: no config schema, driver, model or chart library', async () => {
    const loaded = await loadedPackages(['--help']);
    expect(loaded).toContain('yargs');
    for (const heavy of ['zod', 'yaml', 'pipeline', 'models', '@duckdb/node-api', '@google-cloud/bigquery', '@bsull/augurs', 'bullmq', 'ioredis', 'echarts']) {
      expect(loaded, heavy).not.toContain(heavy);
    }
  });

  it('a refresh on DuckDB loads DuckDB, and neither the BigQuery client, the queue nor the report renderer', async () => {
    const loaded = await loadedPackages(['refresh', '--db', join(dir.path, 'empty.duckdb'), '--as-of', '2025-10-01']);
    expect(loaded).toContain('@duckdb/node-api');
    for (const unused of ['@google-cloud/bigquery', 'warehouse-bigquery', 'bullmq', 'ioredis', 'echarts', 'report']) {
      expect(loaded, unused).not.toContain(unused);
    }
  });
});
