#!/usr/bin/env node
/**
 * Checks the benchmark gate itself: takes a baseline on this machine, idle, then runs the gate once
 * with DSIM_BENCH_SLOWDOWN=0.25 (a quarter more work in every task: every task must be caught),
 * then N times as it is (each should pass: a failure is a false alarm of the gate).
 * With --load L, L busy processes (a tight arithmetic loop each, like a neighbour's build) run
 * beside the slowdown run and the N gate runs: on this machine only, stopped at the end, also on
 * an error or Ctrl-C.
 *
 *   node bench/gate-check.js [RUNS=10] [--load L] [--rounds R] [--time MS] [--max-regression PCT]
 *   node bench/gate-check.js [RUNS=10] --against "$(node bench/ab-base.js HEAD)" [--load L] …
 *
 * With --against DIR the gate measured is the A/B one (`dsim bench --against DIR`), with no
 * baseline to take: DIR should be a build of this very commit (an A/A: every task's true ratio is
 * 1, so a failed run is a false alarm, and the slowdown should read +25%).
 *
 * Without --rounds, --time or --max-regression, the gate runs with dsim bench's defaults. Prints
 * one line per run and a summary; exits 1 if the gate raised a false alarm or missed the slowdown
 * on any task. Slow on purpose (about a minute and a half a run): not part of CI; figures go in
 * the README.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 10);
const load = Number(opt('load') ?? 0);
if (!(Number.isInteger(load) && load >= 0 && load <= 16)) throw new Error('--load takes 0 to 16 busy processes');
const gate = ['rounds', 'time', 'max-regression'].flatMap((k) => (opt(k) === undefined ? [] : [`--${k}`, opt(k)]));
const against = opt('against');
const dsim = join(import.meta.dirname, '..', 'bin', 'dsim.js');
const dir = mkdtempSync(join(tmpdir(), 'dsim-gate-'));
const baseline = join(dir, 'baseline.json');
/** One `dsim bench` (asynchronous, so a signal to this script is handled at once). */
const bench = (extra, env = {}) =>
  new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [dsim, 'bench', ...gate, ...extra], { env: { ...process.env, ...env } });
    running.add(p);
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    p.once('error', reject);
    p.once('close', (status) => {
      running.delete(p);
      resolve({ status, stdout, stderr });
    });
  });
const changesOf = (out) =>
  [...out.matchAll(/^(?:ok {4}|SLOWER) (\S+)\s+ratio \S+ -> \S+ \(([+-][\d.]+)%, bound/gm)].map((m) => [m[1], Number(m[2])]);

/** The tasks a gate run measured again (near the bound), as a clause; none: ''. */
const again = (out) => {
  const tasks = [...out.matchAll(/^(\S+) .*\((\d+) rounds: measured again/gm)].map((m) => `${m[1]} (${m[2]} rounds)`);
  return tasks.length === 0 ? '' : `; measured again: ${tasks.join(', ')}`;
};

const busy = [];
const running = new Set();
const stopLoad = () => {
  for (const p of busy.splice(0)) p.kill('SIGKILL');
};
process.once('exit', () => {
  stopLoad();
  for (const p of running) p.kill('SIGTERM');
});
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

const versus = against === undefined ? ['--compare', baseline] : ['--against', against];
if (against === undefined) {
  const b = await bench(['--json', baseline]);
  if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
  console.log(
    `baseline (idle): ${JSON.parse(readFileSync(baseline, 'utf8')).tasks.length} tasks; gate: dsim bench ${gate.join(' ') || '(defaults)'}`,
  );
} else console.log(`gate: dsim bench --against ${against} ${gate.join(' ') || '(defaults)'}`);
for (let i = 0; i < load; i++) {
  busy.push(spawn(process.execPath, ['-e', 'let x = 1; for (;;) x = (x * 1103515245 + 12345) | 0;'], { stdio: 'ignore' }));
}
if (load > 0) console.log(`load: ${load} busy processes (pids ${busy.map((p) => p.pid).join(', ')})`);
/** Each round's ratio of a task in a run's report (README: which child read what, in which order). */
let reports = 0;
const reportFile = () => join(dir, `run-${reports++}.json`);
const roundsOf = (file, task) => {
  try {
    const t = JSON.parse(readFileSync(file, 'utf8')).tasks.find((x) => x.task === task);
    return t?.roundRatios ? ` [rounds ${t.roundRatios.join(', ')}; this build first in rounds 1, 3, …]` : '';
  } catch {
    return '';
  }
};
const slowFile = reportFile();
const slow = await bench([...versus, '--json', slowFile], { DSIM_BENCH_SLOWDOWN: '0.25' });
const caught = [...slow.stdout.matchAll(/^SLOWER (\S+)/gm)].map((m) => m[1]);
const slowChanges = changesOf(slow.stdout);
const changes = slowChanges.map((c) => c[1]);
console.log(
  `slowed by 25%: exit ${slow.status}, ${caught.length} of ${changes.length} tasks flagged (changes ${Math.min(...changes).toFixed(1)}% to ${Math.max(...changes).toFixed(1)}%): ${slowChanges
    .map(([t, c]) => `${t} ${c >= 0 ? '+' : ''}${c.toFixed(1)}%`)
    .join(', ')}${again(slow.stdout)}${slowChanges
    .filter(([t]) => !caught.includes(t))
    .map(([t]) => `; missed ${t}${roundsOf(slowFile, t)}`)
    .join('')}`,
);
let falseAlarms = 0;
const worst = [];
for (let i = 1; i <= runs; i++) {
  const file = reportFile();
  const r = await bench([...versus, '--json', file]);
  const runChanges = changesOf(r.stdout);
  const [task, most] = runChanges.reduce((a, c) => (c[1] > a[1] ? c : a), ['', -Infinity]);
  worst.push(most);
  if (r.status !== 0) falseAlarms++;
  console.log(
    `run ${i}: exit ${r.status}, largest change ${most.toFixed(1)}% (${task}${roundsOf(file, task)})${again(r.stdout)}${r.status !== 0 ? ` FALSE ALARM: ${r.stderr.trim()}` : ''}`,
  );
}
stopLoad();
const allCaught = slow.status === 6 && caught.length === changes.length && changes.length > 0;
console.log(
  `summary${load > 0 ? ` with ${load} busy processes` : ', idle'}: ${falseAlarms} false alarm(s) in ${runs} runs (largest change ${Math.max(...worst).toFixed(1)}%); slowdown caught on ${caught.length} of ${changes.length} tasks`,
);
process.exitCode = falseAlarms === 0 && allCaught ? 0 : 1;
