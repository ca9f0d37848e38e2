import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

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

/** The packages (under node_modules, or funnelcast's own) whose modules `funnelcast ...args` loaded. */
async function loadedPackages(args: readonly string[]): Promise<Set<string>> {
  const result = await runCli(args, { cwd: dir.path, env: { NODE_OPTIONS: `--import=${hook}` } });
  const urls = result.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice('LOADED '.length));
  expect(urls.length).toBeGreaterThan(0);
  return new Set(
    urls.map((url) => url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? url.match(/\/(?:packages|apps)\/([^/]+)\//)?.[1] ?? url),
  );
}

describe('cold start', () => {
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
