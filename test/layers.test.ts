import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The layer check is a plain Node script that reads scripts/layers.json beside it; each test runs a copy of it in a
// tree of its own, as lint runs it in the repository.
const repo = fileURLToPath(new URL('..', import.meta.url));
const check = (root: string, ...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/check-layers.mjs'), ...args], { encoding: 'utf8' });

describe('scripts/check-layers.mjs', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  /** A tree with the real script, declaration and doc, and the given workspaces' package.json files. */
  function tree(workspaces: Record<string, object>): string {
    const dir = mkdtempSync(join(tmpdir(), 'layers-'));
    for (const folder of ['scripts', 'docs', 'packages', 'apps', 'test']) mkdirSync(join(dir, folder));
    for (const file of ['scripts/check-layers.mjs', 'scripts/layers.json', 'docs/architecture.md']) copyFileSync(join(repo, file), join(dir, file));
    for (const [path, pkg] of Object.entries(workspaces)) {
      mkdirSync(join(dir, path), { recursive: true });
      writeFileSync(join(dir, path, 'package.json'), JSON.stringify(pkg));
    }
    return dir;
  }

  it('passes on the repository: its workspaces keep their layers and the doc says what the declaration says', () => {
    const result = check(repo);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('names a dependency that runs up the layers and a workspace the declaration does not know', () => {
    root = tree({
      'packages/core': { name: '@funnelcast/core', dependencies: { zod: '4.6.7' } },
      'packages/models': { name: '@funnelcast/models', devDependencies: { '@funnelcast/pipeline': '*' } },
      'packages/extra': { name: '@funnelcast/extra' },
      test: { name: '@funnelcast/e2e', dependencies: { '@funnelcast/cli': '*' } },
    });
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('@funnelcast/models may not depend on @funnelcast/pipeline');
    expect(result.stderr).toContain('@funnelcast/extra: not declared in scripts/layers.json');
    expect(result.stderr).not.toContain('e2e');
  });

  it('fails when the layer table of docs/architecture.md drifts, and --write-doc regenerates it from the declaration', () => {
    root = tree({ 'packages/core': { name: '@funnelcast/core' } });
    const layers = JSON.parse(readFileSync(join(root, 'scripts/layers.json'), 'utf8'));
    layers.layers[0].packages.core.owns = 'everything';
    writeFileSync(join(root, 'scripts/layers.json'), JSON.stringify(layers));
    expect(check(root).stderr).toContain('docs/architecture.md: the layer table differs from scripts/layers.json');
    expect(check(root, '--write-doc').status).toBe(0);
    expect(readFileSync(join(root, 'docs/architecture.md'), 'utf8')).toContain('| domain | `core` | everything | nothing |');
    expect(check(root).status).toBe(0);
  });
});
