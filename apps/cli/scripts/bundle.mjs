#!/usr/bin/env node
// Bundles the built CLI (dist/main.js, after tsc) into dist/bundle/, so a cold process loads a handful of files
// instead of some 750 modules of our packages, zod, yargs, yaml and the DuckDB client. Commands still load what only
// they need: code splitting keeps every dynamic import a chunk of its own, loaded when a command asks for it.
//
// Usage: node scripts/bundle.mjs   (apps/cli's build runs it after tsc)
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('..', import.meta.url));
const outdir = 'dist/bundle';

// Chunk names carry content hashes: a folder left from an earlier build would keep chunks that nothing loads.
await rm(`${cli}/${outdir}`, { recursive: true, force: true });

const result = await build({
  absWorkingDir: cli,
  entryPoints: {
    main: 'dist/main.js',
    // The fit pool starts `./fit-worker.js` beside its own module as a worker thread: bundled, that module is a chunk
    // of outdir, so the worker is an entry point of its own there (chunks and entries share the folder).
    'fit-worker': '../../packages/pipeline/dist/parallel/fit-worker.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Left to Node, resolved from node_modules at run time: packages that load native code or WASM (the DuckDB bindings,
  // augurs) or files beside their own modules (Bull Board's UI, pino's transport threads), the BigQuery client and
  // the queue's (large, and loaded only by the commands that use them), and the rest of the worker's server side that
  // the queue commands import with it. ECharts is not imported at all: the report reads its one-file build at run time.
  external: ['@duckdb/node-bindings', '@bsull/augurs', '@google-cloud/bigquery', 'bullmq', 'ioredis', '@bull-board/*', 'pino', 'prom-client'],
  // Bundled CommonJS (the DuckDB client, yaml) requires Node's built-ins, which an ES module has no `require` for.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Which chunk holds which modules: the cold-start test reads it to name the packages a command loaded.
  metafile: true,
  logLevel: 'warning',
});
await writeFile(`${cli}/${outdir}/meta.json`, JSON.stringify(result.metafile));
