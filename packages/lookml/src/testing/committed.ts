import { resolve } from 'node:path';

/** The repository's committed LookML project (this file is packages/lookml/src/testing/committed.ts). */
export const COMMITTED_LOOKML_DIR = resolve(import.meta.dirname, '..', '..', '..', '..', 'lookml');
