#!/usr/bin/env node
/**
 * Checks the benchmark gate itself: takes a baseline, then runs the gate N times against it on an
 * idle machine (each should pass: a false alarm is a failure of the gate), then once with
 * DSIM_BENCH_SLOWDOWN=0.25 (a quarter more work in every task: it must be caught).
 *
 *   node bench/gate-check.js [RUNS=10] [--rounds 3] [--time 300] [--max-regression 15]
 *
 * Prints one line per run and a summary; exits 1 if the gate raised a false alarm or missed the
 * slowdown. Slow on purpose (about a minute a run): not part of CI, figures go in the README.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const gate = ['--rounds', opt('rounds', '3'), '--time', opt('time', '300'), '--max-regression', opt('max-regression', '15')];
const dsim = join(import.meta.dirname, '..', 'bin', 'dsim.js');
const dir = mkdtempSync(join(tmpdir(), 'dsim-gate-'));
const baseline = join(dir, 'baseline.json');
const bench = (extra, env = {}) =>
  spawnSync(process.execPath, [dsim, 'bench', ...gate, ...extra], { encoding: 'utf8', env: { ...process.env, ...env } });

const b = bench(['--json', baseline]);
if (b.status !== 0) throw new Error(`baseline failed: ${b.stderr}`);
console.log(`baseline: ${JSON.parse(readFileSync(baseline, 'utf8')).tasks.length} tasks, gate ${gate.join(' ')}`);
let falseAlarms = 0;
const worst = [];
for (let i = 1; i <= runs; i++) {
  const r = bench(['--compare', baseline]);
  const changes = [...r.stdout.matchAll(/\(([+-][\d.]+)%, bound/g)].map((m) => Number(m[1]));
  worst.push(Math.max(...changes));
  if (r.status !== 0) falseAlarms++;
  console.log(
    `run ${i}: exit ${r.status}, largest change ${Math.max(...changes).toFixed(1)}%${r.status !== 0 ? ` FALSE ALARM: ${r.stderr.trim()}` : ''}`,
  );
}
const slow = bench(['--compare', baseline], { DSIM_BENCH_SLOWDOWN: '0.25' });
const caught = [...slow.stdout.matchAll(/^SLOWER (\S+)/gm)].map((m) => m[1]);
const changes = [...slow.stdout.matchAll(/\(([+-][\d.]+)%, bound/g)].map((m) => Number(m[1]));
console.log(
  `slowed by 25%: exit ${slow.status}, ${caught.length} of ${changes.length} tasks flagged (changes ${Math.min(...changes).toFixed(1)}% to ${Math.max(...changes).toFixed(1)}%)`,
);
console.log(
  `summary: ${falseAlarms} false alarm(s) in ${runs} runs (largest change ${Math.max(...worst).toFixed(1)}%); slowdown ${slow.status === 6 ? 'caught' : 'MISSED'}`,
);
process.exitCode = falseAlarms === 0 && slow.status === 6 ? 0 : 1;
