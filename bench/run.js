#!/usr/bin/env node
// The benchmark suite lives in src/bench/suite.ts so that `dsim bench` can run it too; this is
// `npm run bench` (add `-- --json FILE`, `-- --compare BASELINE.json`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(['bench', ...process.argv.slice(2)]);
