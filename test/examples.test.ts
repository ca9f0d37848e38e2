/**
 * Every example users are shown — the `funnelcast …` lines of README.md's `sh` blocks and of every command's `--help` —
 * runs here against the demo, as a shell runs it (pipes to jq, `&&`, redirects), and must exit 0; every `--json`
 * output along the way must parse with its command's schema (the zod schemas docs/json is generated from).
 *
 * How each runs:
 * - in a folder of its own holding a copy of the demo database at the default path, and `leads.csv`, `crm.csv`,
 *   `export.parquet` and `changed-today.csv` for the import examples; the lines of one README block share a folder
 *   and run in order;
 * - `npx funnelcast` is the built CLI (a `funnelcast` on PATH that also keeps each call's output for the schema check);
 *   `/tmp/` paths become the folder's own, and a bracketed optional flag (`[--project P]`) is left out;
 * - `enqueue` and `queue` run against a test Redis (`@funnelcast/worker/testing`) with a `funnelcast-worker` on it, in
 *   one folder whose config names two DuckDB targets, `local` and `prod`;
 * - a `lookml --check` or `docs --check` runs after the same command without `--check` wrote the folder, as a repository
 *   would hold it;
 * - a line piped to `jq` needs jq (.ci/run installs it): without it, that line is skipped, saying so.
 * A `--help` example that is also a README line runs once, in its README block.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { JSON_OUTPUTS, type JsonOutputName } from '@funnelcast/cli';
import { parseConfig } from '@funnelcast/core';
import { obliterateQueue, startRedis, startWorkerProcess, type TestRedis, type WorkerProcess } from '@funnelcast/worker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli, tempDir } from './support/cli.js';
import { helpExamples, jsonOutputOf, readmeExamples, type Example } from './support/examples.js';

/** The demo's leads end the day before; examples with an as-of date (2025-10-01, 2026-11-01) have history before it. */
const DEMO_AS_OF = '2026-11-01';
const LEADS_CSV = [
  'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date',
  'EX-1,Paid Search,google,Inbound_Marketing,2026-10-05,2026-10-09,',
  'EX-2,Outbound,sales_prospecting,Outbound,2026-10-06,,',
  'EX-3,Partners,reseller,Partnerships_Referrals,2026-10-07,2026-10-08,2026-10-20',
];
/** A daily load for `import changed-today.csv --upsert`: EX-2 moved on to an SQL, EX-4 is new. */
const CHANGED_CSV = [LEADS_CSV[0], 'EX-2,Outbound,sales_prospecting,Outbound,2026-10-06,2026-10-12,', 'EX-4,Outbound,sales_prospecting,Outbound,2026-10-13,,'];
/** The same leads as a CRM writes them, dates month first (`import crm.csv --date-format '%m/%d/%Y'`), ids of their own. */
const CRM_CSV = LEADS_CSV.map((line, i) => (i === 0 ? line : `CRM-${line.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$2/$3/$1')}`));

const fromReadme = readmeExamples(await readFile(join(repoRoot, 'README.md'), 'utf8'));
const inReadme = new Set(fromReadme.map((example) => example.line));
const fromHelp = await helpExamples();
const examples = [...fromReadme, ...fromHelp.filter((example) => !inReadme.has(example.line))];
const hasJq = spawnSync('jq', ['--version']).status === 0;

const usesQueue = (example: Example) => /^funnelcast (enqueue|queue)\b/.test(example.line);

let root: { path: string; cleanup: () => Promise<void> };
let bin: string;
let redis: TestRedis | undefined;
let worker: WorkerProcess | undefined;
let queueConfig: ReturnType<typeof parseConfig> | undefined;
const folders = new Map<string, string>();

/** What one `funnelcast` call of an example printed, from the PATH shim. */
interface Call {
  readonly args: string[];
  readonly stdout: string;
  readonly code: number;
}

async function calls(capture: string): Promise<Call[]> {
  const names = (await readdir(capture)).filter((name) => name.endsWith('.args')).sort();
  return Promise.all(
    names.map(async (name) => {
      const base = join(capture, name.slice(0, -'.args'.length));
      const args = (await readFile(`${base}.args`, 'utf8')).split('\0').slice(0, -1);
      const code = existsSync(`${base}.code`) ? Number((await readFile(`${base}.code`, 'utf8')).trim()) : -1;
      return { args, stdout: await readFile(`${base}.out`, 'utf8'), code };
    }),
  );
}

/** A folder holding the demo database at the default path and the import fixtures. */
async function demoFolder(name: string): Promise<string> {
  const folder = join(root.path, name);
  await mkdir(join(folder, '.funnelcast'), { recursive: true });
  await copyFile(join(root.path, 'demo.duckdb'), join(folder, '.funnelcast', 'funnelcast.duckdb'));
  await copyFile(join(root.path, 'leads.csv'), join(folder, 'leads.csv'));
  await copyFile(join(root.path, 'export.parquet'), join(folder, 'export.parquet'));
  await copyFile(join(root.path, 'crm.csv'), join(folder, 'crm.csv'));
  await copyFile(join(root.path, 'changed-today.csv'), join(folder, 'changed-today.csv'));
  return folder;
}

/** The folder of the queue examples: its config, a test Redis and a worker refreshing both targets. */
async function queueFolder(): Promise<string> {
  const folder = await demoFolder('queue');
  await copyFile(join(root.path, 'demo.duckdb'), join(folder, 'prod.duckdb'));
  const raw = {
    targets: { local: { type: 'duckdb', path: join(folder, '.funnelcast', 'funnelcast.duckdb') }, prod: { type: 'duckdb', path: join(folder, 'prod.duckdb') } },
    queue: { name: `examples-${randomUUID()}`, prefix: 'fcexamples' },
  };
  await writeFile(join(folder, 'funnelcast.config.json'), JSON.stringify(raw));
  queueConfig = parseConfig(raw);
  redis = await startRedis();
  worker = startWorkerProcess(['--config', join(folder, 'funnelcast.config.json')], { REDIS_URL: redis.url, FUNNELCAST_WORKER_PORT: '0' });
  await worker.waitForLog((line) => line.msg === 'worker started');
  return folder;
}

async function folderOf(example: Example, index: number): Promise<string> {
  const key = usesQueue(example) ? 'queue' : example.block;
  let folder = folders.get(key);
  if (!folder) folders.set(key, (folder = key === 'queue' ? await queueFolder() : await demoFolder(`example-${index}`)));
  return folder;
}

/** Runs a shell line in `folder` with the shim first on PATH; resolves with its exit code, output and the calls it made. */
async function shell(line: string, folder: string) {
  const capture = await mkdtemp(join(root.path, 'calls-'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FUNNELCAST_CAPTURE: capture, HOME: root.path, ...(redis ? { REDIS_URL: redis.url } : {}) };
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile('bash', ['-o', 'pipefail', '-c', line], { cwd: folder, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
  return { ...result, calls: await calls(capture) };
}

/** The line as run: `/tmp/` is the folder's own, a bracketed optional flag is left out. */
const runnable = (line: string) => line.replaceAll('/tmp/', './').replace(/\s\[--[^\]]*\]/g, '');

beforeAll(async () => {
  root = await tempDir('funnelcast-examples-');
  bin = join(root.path, 'bin');
  await mkdir(bin);
  // `npx funnelcast` runs the built CLI; the shim also keeps each call's arguments, stdout and exit code.
  await writeFile(
    join(bin, 'funnelcast'),
    [
      '#!/usr/bin/env bash',
      'set -o pipefail',
      'call="$FUNNELCAST_CAPTURE/$(date +%s%N)-$$"',
      'printf \'%s\\0\' "$@" > "$call.args"',
      `"${process.execPath}" "${cliPath}" "$@" | tee "$call.out"`,
      'code=$?',
      'echo "$code" > "$call.code"',
      'exit "$code"',
      '',
    ].join('\n'),
  );
  await chmod(join(bin, 'funnelcast'), 0o755);
  const demo = await runCli(['demo', '--db', join(root.path, 'demo.duckdb'), '--as-of', DEMO_AS_OF]);
  expect(demo.code, demo.stderr).toBe(0);
  await writeFile(join(root.path, 'leads.csv'), `${LEADS_CSV.join('\n')}\n`);
  await writeFile(join(root.path, 'crm.csv'), `${CRM_CSV.join('\n')}\n`);
  await writeFile(join(root.path, 'changed-today.csv'), `${CHANGED_CSV.join('\n')}\n`);
  const instance = await DuckDBInstance.create(join(root.path, 'demo.duckdb'));
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT lead_id, channel_grouping_name, original_source, super_segment, mql_date, sql_date, sqo_date FROM leads)
     TO '${join(root.path, 'export.parquet')}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
});

afterAll(async () => {
  await worker?.stop('SIGKILL');
  if (queueConfig && redis) await obliterateQueue(queueConfig, redis.url);
  await redis?.stop();
  await root?.cleanup();
});

describe('the examples users are shown', () => {
  it('are found: the README blocks and every command’s --help, the README’s forecast | jq line among them', () => {
    expect(fromReadme.length).toBeGreaterThanOrEqual(10);
    for (const command of ['demo', 'import', 'refresh', 'forecast', 'mapping', 'models', 'runs', 'backtest', 'lookml', 'enqueue', 'queue status']) {
      expect(fromHelp.some((example) => example.from === `funnelcast ${command} --help`), command).toBe(true);
    }
    expect(examples.map((example) => example.line)).toContain(`funnelcast forecast --by quarter --json | jq '.[] | select(.stage == "sqos")'`);
  });

  examples.forEach((example, index) => {
    const skip = !hasJq && /\|\s*jq\b/.test(example.line);
    it.skipIf(skip)(`${example.from}: ${example.line}`, { timeout: 600_000 }, async () => {
      const folder = await folderOf(example, index);
      const line = runnable(example.line);
      if (/\b(lookml|docs)\b.*--check/.test(line)) {
        const written = await shell(line.replace(/\s--check\b/, ''), folder);
        expect(written.code, written.stderr).toBe(0);
      }
      const result = await shell(line, folder);
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
      expect(result.calls.length, 'the line ran funnelcast').toBeGreaterThan(0);
      if (/\|\s*jq\b/.test(line)) expect(result.stdout.trim(), 'jq printed the selection').not.toBe('');
      for (const call of result.calls.filter((c) => c.args.includes('--json'))) {
        const name = call.code === 0 ? jsonOutputOf(call.args) : 'error';
        expect(Object.keys(JSON_OUTPUTS), `a schema for ${name}`).toContain(name);
        const parsed = JSON_OUTPUTS[name as JsonOutputName].safeParse(JSON.parse(call.stdout));
        expect(parsed.success ? [] : parsed.error.issues, `funnelcast ${call.args.join(' ')}`).toEqual([]);
      }
    });
  });
});
