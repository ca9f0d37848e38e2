#!/usr/bin/env node
// Committed with its run bit, so the command stays runnable whatever a build or its cache does to dist/.
import '../dist/main.js';
