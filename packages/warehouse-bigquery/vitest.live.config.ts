import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

// `npm run test:bigquery-live` only (scripts/test-bigquery-live.mjs): real jobs take seconds each, and the default
// include (`*.test.ts`) never picks these files up, so `npm test` cannot reach a real project.
export default mergeConfig(base, defineConfig({ test: { include: ['src/live/**/*.live.ts'], testTimeout: 600_000, hookTimeout: 600_000 } }));
