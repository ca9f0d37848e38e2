import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.base.js';

// One GoogleSQL server for the run: the local BigQuery test server analyses every statement with it.
export default mergeConfig(base, defineConfig({ test: { globalSetup: ['./src/testing/googlesql-server.ts'] } }));
