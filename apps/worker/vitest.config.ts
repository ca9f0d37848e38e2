import { defineConfig } from 'vitest/config';

// Every test file gets REDIS_URL: the one set in the environment, or a private redis-server started for the run.
export default defineConfig({
  test: {
    globalSetup: ['./src/testing/redis-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
