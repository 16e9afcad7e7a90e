#!/usr/bin/env node
/**
 * Runs a command beside N busy processes, as on a shared CI runner: each busy process is a tight
 * arithmetic loop (the same as bench/gate-check.js --load), started before the command and killed
 * by id when it ends, also on an error or Ctrl-C. Exits with the command's status.
 *
 *   node bench/busy.js N -- COMMAND [ARGS...]      e.g. node bench/busy.js 4 -- npm test
 *
 * Prints the load average at the start and the end, and the command's wall time.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const n = Number(args[0]);
if (sep !== 1 || !(Number.isInteger(n) && n >= 0 && n <= 16) || sep === args.length - 1) {
  console.error('usage: node bench/busy.js N -- COMMAND [ARGS...]   (N: 0 to 16 busy processes)');
  process.exit(2);
}
const [command, ...rest] = args.slice(sep + 1);

const busy = [];
const stop = () => {
  for (const p of busy.splice(0)) p.kill('SIGKILL');
};
process.once('exit', stop);
for (let i = 0; i < n; i++) {
  busy.push(spawn(process.execPath, ['-e', 'let x = 1; for (;;) x = (x * 1103515245 + 12345) | 0;'], { stdio: 'ignore' }));
}
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.error(`busy.js: ${n} busy processes (pids ${busy.map((p) => p.pid).join(', ') || 'none'}); load average ${load()}`);
const started = Date.now();
const child = spawn(command, rest, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    child.kill(sig);
    process.exit(130);
  });
}
child.once('error', (e) => {
  console.error(`busy.js: ${command}: ${e.message}`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  stop();
  console.error(
    `busy.js: ${command} ${rest.join(' ')} ended (${code ?? signal}) after ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${load()}`,
  );
  process.exit(code ?? 1);
});
