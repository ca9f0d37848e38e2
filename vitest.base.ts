import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The settings every workspace's tests share. CI machines have two shared cores: a test that is fast alone can take
 * several times longer under load, so time limits are generous and no test relies on speed (`npm run bench` measures
 * speed).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest 4 no longer skips build output: compiled copies of test files left in a dist/ (by an older build, or a
    // cache restoring one) would run a second time, against the build instead of the source.
    exclude: [...configDefaults.exclude, '**/dist/**'],
  },
});
