import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

// Every test file gets REDIS_URL: the one set in the environment, or a private redis-server started for the run.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: ['./src/testing/redis-server.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  }),
);
