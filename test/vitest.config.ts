import { defineConfig } from 'vitest/config';

// End-to-end tests run the built binaries; they are slower and share two cores, so files run two at a time.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
