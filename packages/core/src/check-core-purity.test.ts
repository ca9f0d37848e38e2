/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The checker is a plain Node script (it runs before anything is built); run it as lint does.
const script = fileURLToPath(new URL('../../../scripts/check-core-purity.mjs', import.meta.url));
const coreSrc = fileURLToPath(new URL('.', import.meta.url));
const run = (directory: string) => spawnSync(process.execPath, [script, directory], { encoding: 'utf8' });

describe('scripts/check-core-purity.mjs', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('passes on packages/core/src', () => {
    const result = run(coreSrc);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on every impurity, naming file and line, and ignores tests and comments', () => {
    dir = mkdtempSync(join(tmpdir(), 'core-purity-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(
      join(dir, 'nested', 'bad.ts'),
      [
        "import { readFileSync } from 'node:fs';", // 1
        "import { z } from 'zod';", // 2: allowed
        "import { addDays } from '../dates.js';", // 3: allowed
        '// Math.random and process.env in a comment are fine', // 4
        'export const seed = Math.random();', // 5
        'export const now = new Date();', // 6
        'export const stamp = Date.now();', // 7
        'export const home = process.env.HOME;', // 8
        'export const g = globalThis;', // 9
        "export const m = require('x');", // 10
        "export const r = fetch('https://example.com');", // 11
        "export const lazy = import('pino');", // 12
        "export const fixed = new Date('2025-01-01');", // 13: allowed, not the clock
        "import gammaln from '@stdlib/math-base-special-gammaln';", // 14: allowed, pure maths
        "import poisson from '@stdlib/random-base-poisson';", // 15: not on the allow-list
      ].join('\n'),
    );
    writeFileSync(join(dir, 'bad.test.ts'), 'export const t = Date.now();\n');
    const result = run(dir);
    expect(result.status).toBe(1);
    const lines = [...result.stderr.matchAll(/bad\.ts:(\d+):/g)].map((m) => Number(m[1]));
    expect(lines).toEqual([1, 5, 6, 7, 8, 9, 10, 11, 12, 15]);
    expect(result.stderr).toContain('imports "node:fs"');
    expect(result.stderr).not.toContain('bad.test.ts');
  });

  it("fails on a dependency of the package beside the directory that is not on the allow-list", () => {
    dir = mkdtempSync(join(tmpdir(), 'core-purity-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'ok.ts'), "import { z } from 'zod';\nexport const s = z.string();\n");
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { zod: '4.6.7', '@stdlib/math-base-special-gammaln': '0.3.1', pino: '9.0.0' } }));
    const result = run(join(dir, 'src'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('package.json: depends on "pino"');
    expect(result.stderr).not.toContain('zod"');
  });
});
