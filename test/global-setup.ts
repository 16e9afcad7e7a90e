/**
 * Before the tests: worker threads and `dsim worker` processes run the compiled dist/, so build it
 * (else a pool test would run yesterday's engine against today's sources), and mark this run: every
 * process the suite starts inherits the mark (test/procs.ts).
 *
 * After the tests: any process still carrying the mark is a leak (a server, worker, redis-server
 * or chromium that a test started and nobody stopped). It is killed, and the run fails naming it.
 */
import { execFileSync } from 'node:child_process';
import { markRun } from './procs.js';

export default function setup(): () => Promise<void> {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  return markRun();
}
