#!/usr/bin/env node
// Committed with its run bit, so the command stays runnable whatever a build or its cache does to dist/. It runs the
// esbuild bundle (scripts/bundle.mjs): a cold start loads a few files instead of hundreds of modules.
import '../dist/bundle/main.js';
