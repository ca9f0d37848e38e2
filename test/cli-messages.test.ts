import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '@funnelcast/core';
import { loadConfigFile } from '@funnelcast/pipeline';
import { createRedisConnection, createRefreshQueue } from '@funnelcast/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, runCliJson, tempDir, type CliResult } from './support/cli.js';
import { startControlledRedis, type ControlledRedis } from './support/redis-control.js';

const HEADER = 'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date';

let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('funnelcast-messages-');
});

afterAll(async () => {
  await dir.cleanup();
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, text);
  return path;
}

const leads = (name: string, rows: readonly string[]) => file(name, `${[HEADER, ...rows].join('\n')}\n`);

function runWorker(args: readonly string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [join(repoRoot, 'apps', 'worker', 'bin', 'funnelcast-worker.js'), ...args], { cwd: dir.path }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('import messages that name the fix', () => {
  it('counts the rows of a file with 500 bad rows and each rule, and shows the first 20', async () => {
    const db = join(dir.path, 'count.duckdb');
    const bad = Array.from({ length: 500 }, (_, i) => `b${i},Web,organic,Other,2024-01-05,2024-01-01,`);
    const csv = await leads('bad500.csv', [...bad, 'x1,Web,organic,Other,2024-01-05,,2024-01-09']);
    const human = await runCli(['import', csv, '--db', db]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('bad500.csv: 501 rows break the leads contract (first 20 shown); nothing was imported:');
    expect(human.stderr).toMatch(/rows per rule:\n +500 {2}sql_date must not be before mql_date\n +1 {2}an SQO must have an sql_date\n/);
    expect(human.stderr).toContain('bad500.csv line 502 column sqo_date: SQO on 2024-01-09 but sql_date is empty');
    expect(human.stderr).not.toContain('more');

    const json = await runCliJson<{ error: { problems: unknown[]; rules: { rule: string; rows: number }[] } }>(['import', csv, '--db', db]);
    expect(json.code).toBe(1);
    expect(json.json.error.problems).toHaveLength(20);
    expect(json.json.error.rules).toEqual([
      { rule: 'sql_date must not be before mql_date', rows: 500 },
      { rule: 'an SQO must have an sql_date', rows: 1 },
    ]);
  });

  it('names --upsert and --replace for a lead id already imported; --upsert then updates it, --replace swaps the leads', async () => {
    const db = join(dir.path, 'replace.duckdb');
    const csv = await leads('first.csv', ['a1,Web,organic,Other,2024-01-02,,']);
    expect((await runCli(['import', csv, '--db', db])).code).toBe(0);
    const again = await runCli(['import', csv, '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'lead_id "a1" is already in the warehouse (to update the leads already there, import with --upsert; to swap every lead for this file, with --replace)',
    );
    const moved = await leads('moved.csv', ['a1,Web,organic,Other,2024-01-02,2024-01-05,', 'a2,Web,organic,Other,2024-01-03,,']);
    const upserted = await runCli(['import', moved, '--db', db, '--upsert']);
    expect(upserted.code, upserted.stderr).toBe(0);
    expect(upserted.stdout).toContain('Upserted 2 leads from moved.csv (1 added, 1 updated, 0 unchanged); the warehouse now holds 2.');
    const json = await runCliJson<Record<string, unknown>>(['import', moved, '--db', db, '--upsert']);
    expect(json.json).toEqual({ source: 'moved.csv', mode: 'upsert', imported: 0, added: 0, updated: 0, unchanged: 2, total_leads: 2 });
    expect((await runCli(['import', csv, '--db', db, '--upsert', '--replace'])).code).toBe(2);
    const replaced = await runCli(['import', csv, '--db', db, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('Imported 1 leads from first.csv (replacing the previous leads); the warehouse now holds 1.');
  });

  it('shows the superSegments line that accepts the file, and that line makes the import pass', async () => {
    const db = join(dir.path, 'segments.duckdb');
    const csv = await leads('segments.csv', ['s1,Web,organic,Mid-Market,2024-01-02,,', 's2,Web,organic,Inbound,2024-01-03,,']);
    const refused = await runCli(['import', csv, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('set superSegments in the config file');
    const line = /^ +(superSegments: \[.*\])$/m.exec(refused.stderr)?.[1];
    expect(line).toBe('superSegments: [Inbound, "Mid-Market"]');
    const config = await file('segments.yaml', `${line}\n`);
    const accepted = await runCli(['import', csv, '--db', db, '--config', config]);
    expect(accepted.code, accepted.stderr).toBe(0);

    // A refresh whose config lists other segments than the leads shows the same line.
    const other = await file('other.yaml', 'superSegments: [Inbound, Outbound]\n');
    const refresh = await runCli(['refresh', '--db', db, '--config', other, '--as-of', '2024-02-01', '--dry-run']);
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toMatch(/superSegments \(config\): does not match the leads' super-segments: .*\n +superSegments: \[Inbound, "Mid-Market"\]/);
  });

  it('keeps the day of a timestamp, and reads other formats with --date-format, showing progress', async () => {
    const db = join(dir.path, 'dates.duckdb');
    const stamped = await leads('stamped.csv', ['t1,Web,organic,Other,2024-10-01 00:00:00,2024-10-02T09:30:00Z,', 't2,Web,organic,Other,2024-10-01 13:45:00,,']);
    const imported = await runCli(['import', stamped, '--db', db]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Reading the file…\nChecking 2 rows against the leads contract…\nWriting 2 rows…\n');

    const european = await leads('european.csv', ['e1,Web,organic,Other,31/10/2024,02/11/2024,']);
    const refused = await runCli(['import', european, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`"31/10/2024" is not a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. '%d/%m/%Y')`);
    const read = await runCliJson<{ imported: number; total_leads: number }>(['import', european, '--db', db, '--date-format', '%d/%m/%Y']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.json).toMatchObject({ imported: 1, total_leads: 3 });
  });
});

describe('enqueue --wait with no worker connected', () => {
  let redis: ControlledRedis;
  beforeAll(async () => {
    redis = await startControlledRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('says at once that no worker is connected, and --timeout stops waiting with exit 3, leaving the job queued', async () => {
    const started = Date.now();
    const result = await runCli(['enqueue', '--as-of', '2024-02-01', '--wait', '--timeout', '2'], { cwd: dir.path, env: { REDIS_URL: redis.url } });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/No worker is connected to queue funnelcast-refresh on redis:\/\/127\.0\.0\.1:\d+: the refresh waits until one starts/);
    expect(result.stderr).toMatch(/gave up waiting after 2 s: job \S+ is waiting on .* and stays queued/);
    expect(Date.now() - started).toBeLessThan(30_000);

    const connection = createRedisConnection(redis.url);
    const queue = createRefreshQueue(parseConfig({}), connection);
    try {
      expect(await queue.getWaitingCount()).toBe(1);
    } finally {
      await queue.close();
      await connection.quit();
    }
    const usage = await runCli(['enqueue', '--timeout', '5'], { cwd: dir.path, env: { REDIS_URL: redis.url } });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--timeout limits --wait: add --wait');
  });
});

describe('funnelcast train', () => {
  it('trains nothing on an embedded target and says why (its models are fitted at every refresh), exit 0', async () => {
    const dir = await tempDir();
    try {
      const text = await runCli(['train'], { cwd: dir.path });
      expect(text).toMatchObject({ code: 0, stdout: 'Nothing to train: local is a duckdb target: its embedded models are fitted at every refresh and need no training (funnelcast train trains the BigQuery ML models of a bigquery target).\n' });
      const json = await runCliJson<Record<string, unknown>>(['train', '--stage', 'mqls', '--dry-run'], { cwd: dir.path });
      expect(json.code).toBe(0);
      expect(json.json).toMatchObject({ train_id: null, target: 'local', warehouse: 'duckdb', dry_run: true, models: [], evaluations: [] });
      // Nothing was opened or created where the default target points.
      expect(existsSync(join(dir.path, '.funnelcast'))).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });
});

describe('small things', () => {
  it('funnelcast and funnelcast-worker print their version; a mistyped worker flag prints the usage, exit 2', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'apps', 'worker', 'package.json'), 'utf8')) as { version: string };
    const worker = await runWorker(['--version']);
    expect(worker).toMatchObject({ code: 0, stdout: `${version}\n` });
    const cli = await runCli(['--version']);
    expect(cli.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const typo = await runWorker(['--conifg', 'x.yaml']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^funnelcast-worker: Unknown option '--conifg'.* \(did you mean --config\?\)\n/);
    expect(typo.stderr).toContain('Usage: funnelcast-worker [--config <file>]');
    expect(typo.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });

  it('funnelcast init writes a commented config that loads as the defaults, and refuses to overwrite without --force', async () => {
    const cwd = (await tempDir('funnelcast-init-')).path;
    const written = await runCli(['init'], { cwd });
    expect(written.code, written.stderr).toBe(0);
    const path = join(cwd, 'funnelcast.config.yaml');
    const text = await readFile(path, 'utf8');
    expect(text).toContain('horizon: 90   # days forecast from the as-of date');
    expect((await loadConfigFile(path)).config).toEqual(parseConfig({}));

    await writeFile(path, 'horizon: 30\n');
    const refused = await runCli(['init'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('funnelcast.config.yaml exists; nothing was written (add --force to overwrite it)');
    expect(await readFile(path, 'utf8')).toBe('horizon: 30\n');
    expect((await runCli(['init', '--force'], { cwd })).code).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('funnelcast completion prints a script that asks funnelcast for the words, and the words come', async () => {
    const script = await runCli(['completion'], { env: { SHELL: '/bin/bash' } });
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('funnelcast --get-yargs-completions');
    const words = await runCli(['--get-yargs-completions', 'funnelcast', 'import', '--']);
    expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['--replace', '--date-format']));
  });

  it('the refresh summary says in words what each model it names means', async () => {
    const db = join(dir.path, 'demo.duckdb');
    const demo = await runCli(['demo', '--db', db, '--as-of', '2025-11-01']);
    expect(demo.code, demo.stderr).toBe(0);
    const models = /models, chosen by backtest[^\n]*\n((?: {4}.*\n)+)/.exec(demo.stdout)?.[1] ?? '';
    expect(models).toContain('    what the names mean:');
    const named = new Set(
      models
        .split('\n')
        .filter((l) => /^ {4}(MQLs|SQLs| {4})/.test(l))
        .flatMap((l) => l.match(/(?:blend:)?[a-z0-9.]+(?:-[a-z0-9.]+)+(?:\+[a-z0-9.-]+)?/g) ?? [])
        .flatMap((m) => (m.startsWith('blend:') ? m.slice(6).split('+') : [m])),
    );
    expect(named.size).toBeGreaterThan(0);
    for (const model of named) expect(models, model).toMatch(new RegExp(`^ {6}${model.replace('.', '\\.')}: \\w`, 'm'));
  });
});

describe('funnelcast docs', () => {
  it('generates the committed docs/columns.md and docs/leads-contract.md, and --check fails on drift', async () => {
    const out = join(dir.path, 'docs');
    const written = await runCli(['docs', '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    for (const name of ['columns.md', 'leads-contract.md']) {
      expect(await readFile(join(out, name), 'utf8'), name).toBe(await readFile(join(repoRoot, 'docs', name), 'utf8'));
    }
    expect((await runCli(['docs', '--check'])).code).toBe(0);
    await writeFile(join(out, 'columns.md'), 'edited\n');
    const drifted = await runCli(['docs', '--out', out, '--check']);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain('columns.md');
  });

  it('the README links the docs in the repository, not a folder beside it', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).not.toContain('../shared/');
    // A link names a file or a folder (docs/json/); either must be in the repository.
    for (const [, target] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) expect(existsSync(join(repoRoot, target!)), target).toBe(true);
  });
});
