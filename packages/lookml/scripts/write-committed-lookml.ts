// Regenerates the committed top-level lookml/ from the default configuration: `npm run generate -w @funnelcast/lookml`.
import { join } from 'node:path';
import { parseConfig } from '@funnelcast/core';
import { generateLookml } from '../src/index.js';
import { COMMITTED_LOOKML_DIR } from '../src/testing/committed.js';
import { writeLookmlDir } from '../src/testing/write-lookml-dir.js';

const files = generateLookml(parseConfig({}).lookml);
await writeLookmlDir(COMMITTED_LOOKML_DIR, files);
process.stdout.write(`Wrote ${files.length} files to ${join(COMMITTED_LOOKML_DIR)}\n`);
