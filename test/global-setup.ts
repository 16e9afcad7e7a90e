/**
 * Worker threads and `dsim worker` processes run the compiled dist/, so build it before the tests
 * (else a pool test would run yesterday's engine against today's sources).
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
