import { configDefaults, defineConfig } from 'vitest/config';

// Every test file gets REDIS_URL: the one set in the environment, or a private redis-server started for the run.
export default defineConfig({
  test: {
    globalSetup: ['./src/testing/redis-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // As in vitest.base.ts: compiled test files in dist/ are not tests of the source.
    exclude: [...configDefaults.exclude, '**/dist/**'],
  },
});
