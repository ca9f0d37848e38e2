import { parseConfig } from '@funnelcast/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffLookml, isInSync } from './diff-lookml.js';
import { GENERATED_HEADER, generateLookml } from './generate-lookml.js';
import { COMMITTED_LOOKML_DIR } from './testing/committed.js';
import { readLookmlDir } from './testing/read-lookml-dir.js';
import { writeLookmlDir } from './testing/write-lookml-dir.js';

const files = generateLookml(parseConfig({}).lookml);

describe('the committed lookml/', () => {
  it('is exactly what the generator produces now (regenerate with `npm run generate -w @funnelcast/lookml`)', async () => {
    const drift = diffLookml(await readLookmlDir(COMMITTED_LOOKML_DIR), files);
    expect(drift).toEqual({ changed: [], missing: [], extra: [] });
  });
});

describe('diffLookml', () => {
  it('lists changed, missing and stale generated files, and ignores the team’s own files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'funnelcast-lookml-'));
    try {
      await writeLookmlDir(dir, files);
      expect(isInSync(diffLookml(await readLookmlDir(dir), files))).toBe(true);
      await writeFile(join(dir, 'views/vw_production_forecast.view.lkml'), `${files.find((f) => f.path === 'views/vw_production_forecast.view.lkml')!.contents}# edited\n`);
      await rm(join(dir, 'manifest.lkml'));
      await writeFile(join(dir, 'views/old_name.view.lkml'), `${GENERATED_HEADER}\nview: old_name {}\n`);
      await writeFile(join(dir, 'views/refinements.view.lkml'), 'view: +vw_production_forecast { }\n');
      expect(diffLookml(await readLookmlDir(dir), files)).toEqual({
        changed: ['views/vw_production_forecast.view.lkml'],
        missing: ['manifest.lkml'],
        extra: ['views/old_name.view.lkml'],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
