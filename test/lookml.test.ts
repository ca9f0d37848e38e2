import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli, runCliJson, tempDir } from './support/cli.js';

let dir: { path: string; cleanup: () => Promise<void> };

beforeEach(async () => {
  dir = await tempDir('funnelcast-lookml-');
});

afterEach(async () => {
  await dir.cleanup();
});

/** The LookML files under `root`, by relative path. */
async function tree(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && /\.(lkml|lookml)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  return new Map(await Promise.all(files.map(async (file) => [file.slice(root.length + 1), await readFile(file, 'utf8')] as const)));
}

describe('funnelcast lookml', () => {
  it('writes the committed project, then --check passes, then flags an edited file with exit 1', async () => {
    const out = join(dir.path, 'lookml');
    // Run in the temp folder so no funnelcast.config.* of the repository applies: the defaults generate lookml/.
    const written = await runCli(['lookml', '--out', out], { cwd: dir.path });
    expect(written.code, written.stderr).toBe(0);
    expect(await tree(out)).toEqual(await tree(join(repoRoot, 'lookml')));

    const clean = await runCli(['lookml', '--out', out, '--check'], { cwd: dir.path });
    expect(clean.code, clean.stderr).toBe(0);

    const view = join(out, 'views', 'vw_production_forecast.view.lkml');
    await writeFile(view, (await readFile(view, 'utf8')).replace('value_format_name: decimal_1', 'value_format_name: decimal_2'));
    const before = await tree(out);
    const drifted = await runCli(['lookml', '--out', out, '--check'], { cwd: dir.path });
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain('views/vw_production_forecast.view.lkml');
    expect(await tree(out)).toEqual(before);

    const json = await runCliJson<{ error: { details: { changed: string[]; missing: string[]; extra: string[] } } }>(['lookml', '--out', out, '--check'], { cwd: dir.path });
    expect(json.code).toBe(1);
    expect(json.json.error.details).toMatchObject({ changed: ['views/vw_production_forecast.view.lkml'], missing: [], extra: [] });
  });

  it('uses the flags over the config, and --check reports a missing folder as missing files', async () => {
    const out = join(dir.path, 'bi');
    const result = await runCliJson<{ files: string[]; written: string[] }>(['lookml', '--out', out, '--connection', 'bq_prod', '--dataset', 'revops', '--project', 'acme-analytics'], { cwd: dir.path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.written).toEqual(result.json.files);
    const manifest = await readFile(join(out, 'manifest.lkml'), 'utf8');
    expect(manifest).toContain('value: "bq_prod"');
    expect(manifest).toContain('value: "acme-analytics.revops"');

    const missing = await runCliJson<{ error: { details: { missing: string[] } } }>(['lookml', '--out', join(dir.path, 'absent'), '--check'], { cwd: dir.path });
    expect(missing.code).toBe(1);
    expect(missing.json.error.details.missing).toContain('manifest.lkml');
  });

  it('refuses a dataset name that could break the LookML with exit 2, naming the flag, and writes nothing', async () => {
    const out = join(dir.path, 'hostile');
    const result = await runCli(['lookml', '--out', out, '--dataset', 'x` ;; DROP'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dataset');
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
