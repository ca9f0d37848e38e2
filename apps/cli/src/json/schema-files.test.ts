import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_DIR } from './schema-dir.js';
import { jsonSchemaFiles } from './schema-files.js';

describe('docs/json', () => {
  it('holds exactly the schemas generated from the zod declarations (regenerate with `npm run generate -w @funnelcast/cli`)', async () => {
    const files = jsonSchemaFiles();
    const committed = (await readdir(JSON_SCHEMA_DIR)).filter((name) => name.endsWith('.schema.json')).sort();
    expect(committed).toEqual(files.map((file) => file.path).sort());
    for (const file of files) expect(await readFile(join(JSON_SCHEMA_DIR, file.path), 'utf8'), file.path).toBe(file.contents);
  });
});
