import { defineConfig } from 'vitest/config';

// `npm run test:bigquery-live` only (scripts/test-bigquery-live.mjs): the default include (`*.test.ts`) never picks
// up `live/*.live.ts`, so `npm test` cannot reach a real project.
export default defineConfig({ test: { include: ['live/**/*.live.ts'], testTimeout: 1_800_000, hookTimeout: 600_000 } });
