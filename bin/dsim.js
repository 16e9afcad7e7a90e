#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
// The command is done: if a connection to a Redis that has gone away still retries, it must not
// keep the process alive (stdout has long been flushed by then).
setTimeout(() => process.exit(), 2000).unref();
