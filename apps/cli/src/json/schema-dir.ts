import { fileURLToPath } from 'node:url';

/** docs/json of the repository, where the committed schemas live (from src/json or dist/json alike). */
export const JSON_SCHEMA_DIR = fileURLToPath(new URL('../../../../docs/json/', import.meta.url));
