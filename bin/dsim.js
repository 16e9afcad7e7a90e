#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { main } from '../dist/cli/main.js';

// A reader that goes away (`dsim import --sample d | head -3`) ends the output, not the process with a stack.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
// The command is done: if a connection to a Redis that has gone away still retries, it must not
// keep the process alive (stdout has long been flushed by then).
setTimeout(() => process.exit(), 2000).unref();
