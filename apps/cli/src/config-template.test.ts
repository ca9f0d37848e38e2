import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@funnelcast/core';
import { loadConfigFile } from '@funnelcast/pipeline';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEY_MEANINGS, configTemplate, defaultKeyPaths, UNSET_EXAMPLES } from './config-template.js';

describe('the config template of funnelcast init', () => {
  it('explains exactly the keys the defaults have, plus the keys with no default', () => {
    expect(Object.keys(CONFIG_KEY_MEANINGS).sort()).toEqual([...defaultKeyPaths(), ...Object.keys(UNSET_EXAMPLES)].sort());
  });

  it('parses back, through the loader the commands use, to exactly the defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'funnelcast-init-'));
    try {
      const file = join(dir, 'funnelcast.config.yaml');
      await writeFile(file, configTemplate());
      expect((await loadConfigFile(file)).config).toEqual(parseConfig({}));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives every key its meaning on its own line, and shows the unset ones commented out', () => {
    const text = configTemplate();
    for (const [path, meaning] of Object.entries(CONFIG_KEY_MEANINGS)) expect(text, path).toContain(`# ${meaning}`);
    expect(text).toContain('  # project: my-gcp-project');
  });
});
