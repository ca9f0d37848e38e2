// Regenerates docs/json from the zod schemas beside the commands (apps/cli/src/json); the drift test fails until run.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonSchemaFiles } from '../src/json/schema-files.js';
import { JSON_SCHEMA_DIR } from '../src/json/schema-dir.js';

const files = jsonSchemaFiles();
await mkdir(JSON_SCHEMA_DIR, { recursive: true });
for (const name of await readdir(JSON_SCHEMA_DIR)) {
  if (name.endsWith('.schema.json') && !files.some((file) => file.path === name)) await rm(join(JSON_SCHEMA_DIR, name));
}
for (const file of files) await writeFile(join(JSON_SCHEMA_DIR, file.path), file.contents);
console.log(`Wrote ${files.length} schemas to ${JSON_SCHEMA_DIR}`);
